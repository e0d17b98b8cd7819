import { browser } from '../platform';

/** Host match patterns (all ports) for the origins or URLs given. */
export function hostPatterns(urls: readonly string[]): string[] {
  return [...new Set(urls.map((url) => `${new URL(url).protocol}//${new URL(url).hostname}/*`))];
}

/**
 * Asks for host access from the user's click. Call it first thing in the click handler: Firefox
 * only shows the prompt when it is called synchronously from the user's action. Resolves true
 * when access is (or already was) granted; never prompts for hosts granted at install.
 */
export function requestHostAccess(urls: readonly string[]): Promise<boolean> {
  return browser.permissions.request({ origins: hostPatterns(urls) }).catch(() => false);
}

/** The hosts among `urls` that TokenTap may not yet reach. */
export async function missingHostAccess(urls: readonly string[]): Promise<string[]> {
  const missing: string[] = [];
  for (const pattern of hostPatterns(urls)) {
    if (!(await browser.permissions.contains({ origins: [pattern] }))) missing.push(pattern);
  }
  return missing;
}

/** What the user is told when they refuse host access: nothing was approved, and why it matters. */
export function accessRefusedMessage(site: string): string {
  return `TokenTap was not allowed to reach ${site} and the API, so the browser could not attach the token there. Nothing was changed.`;
}
