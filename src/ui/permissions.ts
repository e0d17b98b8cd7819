import { browser } from '../platform';
import { providerOf } from '../accounts/account-provider';
import type { Provider } from '../providers/model';
import { tokenRequestEndpoints } from '../providers/token-endpoints';
import type { StoredState } from '../storage/read-state';

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
  if (urls.length === 0) return Promise.resolve(true);
  return browser.permissions.request({ origins: hostPatterns(urls) }).catch(() => false);
}

/**
 * For an Approve or Use on this tab only click: host access to the site and the API, and
 * `webRequest`, with which the background notices the API's 401 answers (it gives it back when no
 * site is approved and no tab has a choice any more). Neither browser prompts for `webRequest`;
 * call it first thing in the click, as above.
 */
export function requestSiteAccess(urls: readonly string[]): Promise<boolean> {
  return browser.permissions.request({ origins: hostPatterns(urls), permissions: ['webRequest'] }).catch(() => false);
}

/**
 * Per key, the host patterns among its URLs that TokenTap may not yet reach; keys missing none are
 * left out. Each host is asked about once, however many accounts need it.
 */
export async function missingHostAccess(urlsByKey: Record<string, readonly string[]>): Promise<Record<string, string[]>> {
  const patterns = [...new Set(Object.values(urlsByKey).flatMap(hostPatterns))];
  const granted = await Promise.all(patterns.map((pattern) => browser.permissions.contains({ origins: [pattern] })));
  return missingByKey(urlsByKey, new Set(patterns.filter((_, i) => granted[i])));
}

/** Per key, the host patterns of its URLs not among `granted`; keys missing none are left out. */
export function missingByKey(urlsByKey: Record<string, readonly string[]>, granted: ReadonlySet<string>): Record<string, string[]> {
  const missing = Object.entries(urlsByKey).map(([key, urls]) => [key, hostPatterns(urls).filter((pattern) => !granted.has(pattern))] as const);
  return Object.fromEntries(missing.filter(([, patterns]) => patterns.length > 0));
}

/** What the user is told when they refuse host access: nothing was approved, and why it matters. */
export function accessRefusedMessage(site: string): string {
  return `TokenTap was not allowed to reach ${site} and the API, so the browser could not attach the token there. Nothing was changed.`;
}

/**
 * The provider URLs the background fetches itself (token exchange and refresh, revocation,
 * device authorization, userinfo, discovery). Without host access to them the browser treats those requests as cross-origin.
 */
export function providerEndpoints(
  provider: Pick<Provider, 'tokenUrl' | 'revocationUrl' | 'deviceAuthorizationUrl' | 'userinfoUrl' | 'issuer'>,
): string[] {
  return [...tokenRequestEndpoints(provider), ...[provider.userinfoUrl, provider.issuer].filter((url) => url !== undefined)];
}

/** What the user is told when they refuse access to a provider's token endpoint. */
export function endpointsRefusedMessage(providerName: string, urls: readonly string[]): string {
  const hosts = [...new Set(urls.map((url) => new URL(url).host))].join(', ');
  return `TokenTap was not allowed to reach ${hosts}, where ${providerName} issues tokens, so it could not sign in or renew there. Nothing was changed.`;
}

/**
 * Per account, the URLs the browser must let TokenTap reach: its provider's token endpoints, and
 * once it has approved sites, those sites and the API (network rules act only with access to both).
 */
export function hostsNeeded(state: StoredState | undefined): Record<string, string[]> {
  const needed: Record<string, string[]> = {};
  if (!state) return needed;
  for (const account of state.accounts) {
    const provider = providerOf(state.providers, account.providerId);
    const sites = state.approvals.filter((a) => a.accountId === account.id).map((a) => a.origin);
    if (provider) needed[account.id] = [...providerEndpoints(provider), ...(sites.length > 0 ? [...sites, ...provider.apiBaseUrls] : [])];
  }
  return needed;
}

/** `http://localhost/*`, `https://api.example.com/*` → `localhost, api.example.com`. */
export function hostNames(patterns: readonly string[]): string {
  return patterns.map((pattern) => new URL(pattern.replace(/\*$/, '')).hostname).join(', ');
}

/** The note next to an account whose hosts the browser does not let TokenTap reach. */
export function missingAccessNote(patterns: readonly string[]): string {
  return `The browser does not let TokenTap reach ${hostNames(patterns)}, so this token is not attached or renewed there.`;
}
