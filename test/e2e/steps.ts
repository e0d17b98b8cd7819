// The steps a person takes, in any browser, shared by the scenario files.
import type { Driver, DrivenPage } from './drivers';
import { stopServiceWorker } from '../../demo/drive';

export async function importProviders(driver: Driver, providerJson: unknown): Promise<string> {
  const options = await driver.openOptions();
  await options.fill('Provider JSON', JSON.stringify(providerJson, null, 2));
  await options.click('Import');
  const text = await waitForText(options, ['status', 'alert']);
  await options.close();
  return text;
}

export async function approveSite(driver: Driver, accountName: string, origin: string): Promise<string> {
  const options = await driver.openOptions();
  const section = { role: 'region', name: accountName };
  await options.fill('Site origin', origin, section);
  await options.click('Approve', { within: section });
  const text = await waitForText(options, ['status', 'alert'], section);
  await options.close();
  return text;
}

export async function signInToSkyVault(signIn: DrivenPage): Promise<void> {
  await signIn.fill('User ID', 'fred.bloggs');
  await signIn.fill('Password', 'skyvault');
  await signIn.click('Sign in and allow');
}

/** The first text found among elements of these roles, waiting for one (also outside a test, in hooks). */
export async function waitForText(page: DrivenPage, roles: string[], within?: { role: string; name: string }): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    for (const role of roles) {
      const [text] = await page.texts(role, within);
      if (text !== undefined) return text;
    }
    if (Date.now() > deadline) throw new Error(`no ${roles.join(' or ')} text on ${await page.url()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Waits until `check` holds (also outside a test, in hooks, where expect.poll is refused). */
export async function waitUntil(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** The extension API of an extension page: `browser` in Firefox, `chrome` in Chromium. */
export type ExtensionGlobal = { browser?: typeof chrome; chrome: typeof chrome };

/** The toolbar badge's text, read in an extension page (the popup) with the browser's own API. */
export const badgeText = (extensionPage: DrivenPage): Promise<string> =>
  extensionPage.evaluate(() => ((globalThis as unknown as ExtensionGlobal).browser ?? chrome).action.getBadgeText({}), undefined);

/** Whether TokenTap holds the optional API `permission` now, read in an extension page with the browser's own API. */
export const holdsPermission = (extensionPage: DrivenPage, permission: chrome.runtime.ManifestPermission): Promise<boolean> =>
  extensionPage.evaluate((p) => ((globalThis as unknown as ExtensionGlobal).browser ?? chrome).permissions.contains({ permissions: [p] }), permission);

/** The popup alert's message, without its Dismiss button; null while there is no alert. */
export const alertMessage = (popup: DrivenPage): Promise<string | null> =>
  popup.evaluate(() => document.querySelector('[role="alert"] p')?.textContent ?? null, undefined);

/** The text of the popup's account item named `name` ("SkyVault Account 1"); '' while it is not listed. */
export async function accountText(popup: DrivenPage, name: string): Promise<string> {
  const list = { role: 'list', name: 'Accounts' };
  const names = await popup.names('listitem', list);
  const texts = await popup.texts('listitem', list);
  // Read in two goes: a list that changed in between gives '' (and a poll reads again).
  return names.length === texts.length ? (texts[names.indexOf(name)] ?? '') : '';
}

/** Stops the extension's service worker as Chrome does when it idles (Chromium only), over a popup of its own. */
export async function stopChromiumWorker(driver: Driver): Promise<void> {
  const chromium = driver.chromium!();
  const page = await chromium.openPopup();
  await stopServiceWorker(chromium, page);
  await page.close();
}

/**
 * What a page's API call gets now and after each of the next `renewals` renewals, counted on the
 * provider's token counter `issued`: the same call across several token lifetimes, without a click.
 */
export async function statusesAcrossRenewals(issued: () => number, call: () => Promise<number>, renewals = 3): Promise<number[]> {
  const before = issued();
  const statuses = [await call()];
  for (let renewal = 1; renewal <= renewals; renewal++) {
    await waitUntil(`renewal ${renewal}`, async () => issued() >= before + renewal);
    statuses.push(await call());
  }
  return statuses;
}
