import type { Page } from 'playwright-core';
import type { ExtensionBrowser } from '../drive/chromium';

/**
 * The steps a person takes in TokenTap, by the accessible names of PRODUCT.md. The end-to-end
 * tests and the headless tour of `npm start` both drive the extension through these.
 */

/** Pastes provider JSON on the options page and presses Import; returns the result text. */
export async function importProviders(browser: ExtensionBrowser, providerJson: unknown): Promise<string> {
  const options = await browser.openOptions();
  await options.getByLabel('Provider JSON').fill(JSON.stringify(providerJson, null, 2));
  await options.getByRole('button', { name: 'Import' }).click();
  const result = options.getByRole('status').or(options.getByRole('alert'));
  await result.first().waitFor();
  const text = (await result.first().textContent()) ?? '';
  await options.close();
  return text;
}

/** Clicks Connect {provider} in the popup and returns the provider's sign-in window. */
export async function openSignIn(browser: ExtensionBrowser, popup: Page, providerName: string): Promise<Page> {
  const signIn = browser.context.waitForEvent('page');
  await popup.getByRole('button', { name: `Connect ${providerName}` }).click();
  const page = await signIn;
  await page.waitForLoadState();
  return page;
}

/** ReadyCloud-like consent page: press Allow. */
export async function allowReadyCloud(signIn: Page): Promise<void> {
  await signIn.getByRole('button', { name: 'Allow' }).click();
}

/** SkyVault-like login page: sign in as the demo user and allow. */
export async function signInToSkyVault(signIn: Page, user = 'fred.bloggs', password = 'skyvault'): Promise<void> {
  await signIn.getByLabel('User ID').fill(user);
  await signIn.getByLabel('Password').fill(password);
  await signIn.getByRole('button', { name: 'Sign in and allow' }).click();
}

/** The items of the popup's Accounts list. */
export function accountItems(popup: Page) {
  return popup.getByRole('list', { name: 'Accounts' }).getByRole('listitem');
}

/** Options page, Approved sites: types `origin` into the account's Site origin field and approves. */
export async function approveSite(browser: ExtensionBrowser, accountName: string, origin: string): Promise<string> {
  const options = await browser.openOptions();
  const section = options.getByRole('region', { name: accountName });
  await section.getByLabel('Site origin').fill(origin);
  await section.getByRole('button', { name: 'Approve' }).click();
  const result = section.getByRole('status').or(section.getByRole('alert'));
  await result.first().waitFor();
  const text = (await result.first().textContent()) ?? '';
  await options.close();
  return text;
}

/**
 * Clicks Connect {provider} in the popup for a provider in tab mode (flow 7) and returns the
 * normal tab the sign-in opens in, once it shows the provider's page (not the blank page a new
 * tab may be reported with first).
 */
export async function openSignInTab(browser: ExtensionBrowser, popup: Page, providerName: string): Promise<Page> {
  const signIn = browser.context.waitForEvent('page');
  await popup.getByRole('button', { name: `Connect ${providerName}` }).click();
  const page = await signIn;
  await page.waitForURL((url) => url.protocol !== 'about:');
  await page.waitForLoadState();
  return page;
}

/**
 * Stops the extension's service worker, as Chrome does when it idles or after an update, and
 * waits until it is stopped. `extensionPage` is any extension page (the CDP session runs there).
 */
export async function stopServiceWorker(browser: ExtensionBrowser, extensionPage: Page): Promise<void> {
  const cdp = await browser.context.newCDPSession(extensionPage);
  type VersionsUpdated = { versions: { runningStatus: string }[] };
  const stopped = new Promise<void>((resolve) => {
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }: VersionsUpdated) => {
      if (versions.some((version) => version.runningStatus === 'stopped')) resolve();
    });
  });
  await cdp.send('ServiceWorker.enable');
  await cdp.send('ServiceWorker.stopAllWorkers');
  await stopped;
  await cdp.detach();
}
