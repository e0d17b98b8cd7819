// The steps a person takes in TokenTap, in any browser, by accessible names: shared by the
// end-to-end tests, the headless tour of `npm start` and the benchmarks. The demo's user, password
// and provider names come from the demo itself.
import {
  DEMO_PROVIDER_NAMES,
  READYCLOUD_NO_REDIRECT_CLIENT_ID,
  SKYVAULT_PASSWORD,
  SKYVAULT_USER_ID,
  type Demo,
  type DemoProviderId,
} from '../demo/index';
import type { Account } from '../src/accounts/account';
import type { Driver, DrivenPage, Scope } from './driver';

/** The popup's list of accounts. */
export const ACCOUNTS: Scope = { role: 'list', name: 'Accounts' };

/** Pastes provider JSON on the options page and presses Import; returns the message shown. */
export async function importProviders(driver: Driver, providerJson: unknown): Promise<string> {
  const options = await driver.openOptions();
  await options.fill('Provider JSON', JSON.stringify(providerJson, null, 2));
  await options.click('Import');
  const text = await waitForText(options, ['status', 'alert']);
  await options.close();
  return text;
}

/** Options page, Approved sites: types `origin` under the account and presses Approve; returns the message shown. */
export async function approveSite(driver: Driver, accountName: string, origin: string): Promise<string> {
  const options = await driver.openOptions();
  const section = { role: 'region', name: accountName };
  await options.fill('Site origin', origin, section);
  await options.click('Approve', { within: section });
  const text = await waitForText(options, ['status', 'alert'], section);
  await options.close();
  return text;
}

/** The options page's Add from preset form. */
export const PRESET_FORM: Scope = { role: 'form', name: 'Add from preset' };

/** Options page, Add from preset: chooses `presetName` and returns the Redirect URL shown for it before anything is added. */
export async function presetRedirectUrl(options: DrivenPage, presetName: string): Promise<string> {
  await options.select('Preset', presetName, PRESET_FORM);
  return options.value('Redirect URL', PRESET_FORM);
}

/**
 * Options page, Add from preset: chooses `presetName`, types each of `fields` (label → value: the
 * preset's own fields, Client ID, Client secret) and presses Add {presetName}; returns the message shown.
 */
export async function addFromPreset(options: DrivenPage, presetName: string, fields: Record<string, string>): Promise<string> {
  await options.select('Preset', presetName, PRESET_FORM);
  for (const [label, value] of Object.entries(fields)) await options.fill(label, value, PRESET_FORM);
  await options.click(`Add ${presetName}`, { within: PRESET_FORM });
  return waitForText(options, ['status', 'alert'], PRESET_FORM);
}

/** ReadyCloud-like consent page: press Allow. */
export async function allowReadyCloud(signIn: DrivenPage): Promise<void> {
  await signIn.click('Allow');
}

/** SkyVault-like login page: sign in as the demo user and allow. */
export async function signInToSkyVault(signIn: DrivenPage): Promise<void> {
  await signIn.fill('User ID', SKYVAULT_USER_ID);
  await signIn.fill('Password', SKYVAULT_PASSWORD);
  await signIn.click('Sign in and allow');
}

/** The test OpenID provider's sign-in page (test/e2e/oidc-server.ts): any user name and password, then allow. */
export async function signInToOidcProvider(signIn: DrivenPage, user: string): Promise<void> {
  await signIn.fill('User name', user);
  await signIn.fill('Password', `${user}-password`);
  await signIn.click('Sign in and allow');
}

/** The stored account of provider `providerId`, decrypted as TokenTap's pages read it; undefined while there is none. */
export async function storedAccountOf(driver: Driver, providerId: string): Promise<Account | undefined> {
  return (((await driver.storage()).accounts ?? []) as Account[]).find((account) => account.providerId === providerId);
}

/** The names of the accounts the popup lists ("SkyVault Account 1"), in its order. */
export function accountNames(popup: DrivenPage): Promise<string[]> {
  return popup.names('listitem', ACCOUNTS);
}

/**
 * Presses Connect {provider} in the popup, signs in at the demo provider as its user, and waits
 * until the popup lists the new account; returns the sign-in page (closed by then) and the account's name.
 */
export function connectDemoAccount(popup: DrivenPage, providerId: DemoProviderId): Promise<{ signIn: DrivenPage; account: string }> {
  return connectAccount(popup, DEMO_PROVIDER_NAMES[providerId], providerId === 'skyvault' ? signInToSkyVault : allowReadyCloud);
}

/**
 * Presses Connect {name} in the popup, takes the provider's sign-in page through `signIn`, and
 * waits until the popup lists the new account; returns the sign-in page (closed by then) and the account's name.
 */
export async function connectAccount(
  popup: DrivenPage,
  name: string,
  signInAtProvider: (signIn: DrivenPage) => Promise<void>,
): Promise<{ signIn: DrivenPage; account: string }> {
  const before = await accountNames(popup);
  const signIn = await popup.clickForNewPage(`Connect ${name}`);
  await signInAtProvider(signIn);
  let account: string | undefined;
  await waitUntil(`a new ${name} account in the popup`, async () => {
    account = (await accountNames(popup)).find((shown) => shown.startsWith(`${name} `) && !before.includes(shown));
    return account !== undefined;
  });
  return { signIn, account: account! };
}

/** The name of the demo ReadyCloud app registered without a redirect URI, in tab mode. */
export const READYCLOUD_TAB_NAME = 'ReadyCloud (default page)';

/**
 * Provider JSON entry for that app: ReadyCloud answers it on its own default token page, so
 * TokenTap signs in through a normal tab (tab mode, README: Architecture, src/content/).
 */
export function readyCloudTabProvider(demo: Demo) {
  return {
    id: 'readycloud-tab',
    name: READYCLOUD_TAB_NAME,
    flow: 'implicit',
    redirectMode: 'tab',
    redirectUri: `${demo.readycloud.origin}/oauth/token-page`,
    authorizationUrl: `${demo.readycloud.origin}/oauth/authorize`,
    clientId: READYCLOUD_NO_REDIRECT_CLIENT_ID,
    scopes: ['orders:read'],
    apiBaseUrls: [`${demo.readycloud.origin}/api/v1/`],
  };
}

/** The first text found among elements of these roles, waiting for one (also outside a test, in hooks). */
export async function waitForText(page: DrivenPage, roles: string[], within?: Scope): Promise<string> {
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

/**
 * What a person would paste now: the clipboard's text, read in `page` (one of TokenTap's pages),
 * brought to the front first since reading needs focus. Both browsers allow it: the Chromium
 * launcher grants clipboard access, and Firefox's launch prefs let readText skip its Paste menu.
 */
export async function clipboardText(page: DrivenPage): Promise<string> {
  await page.bringToFront();
  return page.evaluate(() => navigator.clipboard.readText(), undefined);
}

/** The extension API of an extension page: `browser` in Firefox, `chrome` in Chromium. */
export type ExtensionGlobal = { browser?: typeof chrome; chrome: typeof chrome };

/** The toolbar badge's text, read in an extension page (the popup) with the browser's own API. */
export const badgeText = (extensionPage: DrivenPage): Promise<string> =>
  extensionPage.evaluate(() => ((globalThis as unknown as ExtensionGlobal).browser ?? chrome).action.getBadgeText({}), undefined);

/** Sends `message` to the background from an extension page (the popup), as the popup's own requests go; returns its answer. */
export const sendFromExtensionPage = (extensionPage: DrivenPage, message: unknown): Promise<unknown> =>
  extensionPage.evaluate(
    (m) => ((globalThis as unknown as ExtensionGlobal).browser ?? chrome).runtime.sendMessage<unknown, unknown>(m),
    message,
  );

/** Whether TokenTap holds the optional API `permission` now, read in an extension page with the browser's own API. */
export const holdsPermission = (extensionPage: DrivenPage, permission: chrome.runtime.ManifestPermission): Promise<boolean> =>
  extensionPage.evaluate(
    (p) => ((globalThis as unknown as ExtensionGlobal).browser ?? chrome).permissions.contains({ permissions: [p] }),
    permission,
  );

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

/**
 * What a page's API call gets now and after each of the next `renewals` renewals, counted on the
 * provider's token counter `issued`: the same call across several token lifetimes, without a click.
 */
export async function statusesAcrossRenewals(issued: () => number, call: () => Promise<number>, renewals = 3): Promise<number[]> {
  const before = issued();
  const statuses = [await call()];
  for (let renewal = 1; renewal <= renewals; renewal++) {
    await waitUntil(`renewal ${renewal}`, () => Promise.resolve(issued() >= before + renewal));
    statuses.push(await call());
  }
  return statuses;
}
