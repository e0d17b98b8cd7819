import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { decryptedStorage, decryptInExtensionPage } from './stored-state';

export const FIREFOX = process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr';
export const FIREFOX_EXTENSION_DIR = resolve(import.meta.dirname, '../dist/firefox');
/** The add-on id of the Firefox build (vite.config.ts GECKO_ID); the redirect URL derives from it. */
export const FIREFOX_ADDON_ID = 'tokentap@tokentap.dev';
/**
 * Firefox gives each install a random UUID for its moz-extension:// origin; this pref pins it, so
 * the tests know the extension pages' URLs before the extension starts.
 */
export const FIREFOX_EXTENSION_UUID = '7d2c6f4e-0b1a-4c3d-9e8f-5a6b7c8d9e0f';

/** A real Firefox ESR with the built extension installed, driven over WebDriver BiDi. */
export interface FirefoxExtension {
  browser: Browser;
  /** The moz-extension:// host of the extension's pages. */
  extensionOrigin: string;
  redirectUrl: string;
  userDataDir: string;
  openPopup(): Promise<Page>;
  openOptions(): Promise<Page>;
  /** Opens any extension page by its path in the build. */
  openExtensionPage(path: string): Promise<Page>;
  /** Everything the extension keeps in storage.local, secrets decrypted as its pages read them, for before/after comparisons. */
  storage(): Promise<Record<string, unknown>>;
  /** Exactly what storage.local holds: what any content script's storage.local.get gets. */
  rawStorage(): Promise<Record<string, unknown>>;
  /** The host permissions the extension holds now. */
  grantedOrigins(): Promise<string[]>;
  /** Withdraws host permissions, as the user does with the add-on's switches in the Add-ons Manager. */
  revokeHostAccess(patterns: string[]): Promise<void>;
  /** Quits Firefox; with `keepProfile` the profile (and the installed extension) stays for a relaunch. */
  close(options?: { keepProfile?: boolean }): Promise<void>;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/**
 * Waits until `page` shows `url` and has loaded. Firefox moves a tab to a privileged process to
 * show a moz-extension:// page, so the navigation's own promise never settles (its frame goes
 * away); the page itself answers `evaluate` once it is there.
 */
export async function waitForExtensionPage(page: Page, url: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // The extension's own global, so an error page at the same address does not count.
    const here = await page.evaluate(() => `${document.readyState} ${'browser' in globalThis} ${location.href}`).catch(() => '');
    if (here === `complete true ${url}`) return;
    if (Date.now() > deadline) throw new Error(`Firefox did not open ${url} (last seen: ${here || 'nothing'})`);
    await sleep(100);
  }
}

export interface FirefoxLaunchOptions {
  headless?: boolean;
  extensionDir?: string;
  /** A profile kept from an earlier launch (`close({ keepProfile: true })`): a browser restart. */
  userDataDir?: string;
  /**
   * 'granted' (default): the manifest's host permissions (localhost, 127.0.0.1) are granted at
   * install, as Firefox 127+ does after its install prompt. 'opt-in': Firefox leaves them to the
   * user, as Firefox 109–126 did and as after the user turns them off in the Add-ons Manager; the
   * extension must ask from a click, and Firefox's permission prompt is answered Allow (its
   * requireUserInput check still applies: a request outside a click is refused).
   */
  hostAccess?: 'granted' | 'opt-in';
}

export async function launchFirefoxExtension(options: FirefoxLaunchOptions = {}): Promise<FirefoxExtension> {
  const optIn = options.hostAccess === 'opt-in';
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'tokentap-firefox-'));
  // Installed in the profile, as a permanent add-on is: a file named by the add-on id that holds
  // the unpacked build's path. A temporary add-on (WebDriver BiDi's webExtension.install, the
  // remote agent's only way) is removed when Firefox quits, so it could not show a restart.
  mkdirSync(join(userDataDir, 'extensions'), { recursive: true });
  writeFileSync(join(userDataDir, 'extensions', FIREFOX_ADDON_ID), `${resolve(options.extensionDir ?? FIREFOX_EXTENSION_DIR)}\n`);
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: FIREFOX,
    headless: options.headless ?? true,
    userDataDir,
    // Without it Firefox hides moz-extension:// pages from the remote agent.
    args: ['--remote-allow-system-access'],
    extraPrefsFirefox: {
      'extensions.webextensions.uuids': JSON.stringify({ [FIREFOX_ADDON_ID]: FIREFOX_EXTENSION_UUID }),
      // An unpacked build is unsigned (ESR honours this pref), and an add-on found in the profile
      // starts enabled rather than waiting for the user to confirm it.
      'xpinstall.signatures.required': false,
      'extensions.autoDisableScopes': 0,
      // Grant the manifest's host_permissions at install (Firefox's default since 127), or not.
      'extensions.originControls.grantByDefault': !optIn,
      // Opt-in mode only: no permission doorhanger (the remote agent cannot click it); Allow.
      'extensions.webextOptionalPermissionPrompts': !optIn,
      // The popup often sits in a background tab while a test drives it: refresh it (and its
      // accessibility tree) as often as a foreground tab, not once a second.
      'layout.throttled_frame_rate': 60,
      // navigator.clipboard.readText without Firefox's Paste menu: the tests read the console's Copy as from the clipboard.
      'dom.events.testing.asyncClipboard': true,
      // This machine has no network: keep Firefox from calling Mozilla at start.
      'app.normandy.enabled': false,
      'browser.safebrowsing.downloads.remote.enabled': false,
      'extensions.getAddons.cache.enabled': false,
      'network.captive-portal-service.enabled': false,
      'network.connectivity-service.enabled': false,
    },
  });
  const extensionOrigin = `moz-extension://${FIREFOX_EXTENSION_UUID}`;
  const openExtensionPage = async (path: string) => {
    const page = await browser.newPage();
    const url = `${extensionOrigin}/${path}`;
    void page.goto(url).catch(() => undefined);
    await waitForExtensionPage(page, url);
    return page;
  };
  // One extension page kept open to read storage and the redirect URL from. The add-on starts
  // with the browser; until it has, its address is an error page: try again a few times.
  let probe: Page | undefined;
  for (let attempt = 1; !probe; attempt++) {
    try {
      probe = await openExtensionPage('manifest.json');
    } catch (error) {
      if (attempt === 3) {
        await browser.close();
        if (!options.userDataDir) rmSync(userDataDir, { recursive: true, force: true });
        throw error;
      }
    }
  }
  const redirectUrl = await probe.evaluate(() =>
    (globalThis as unknown as typeof globalThis & { browser: typeof chrome }).browser.identity.getRedirectURL(),
  );
  const rawStorage = () => probe.evaluate(() => (globalThis as unknown as { browser: typeof chrome }).browser.storage.local.get(null));
  return {
    browser,
    extensionOrigin,
    redirectUrl,
    userDataDir,
    openExtensionPage,
    openPopup: () => openExtensionPage('src/popup/index.html'),
    openOptions: () => openExtensionPage('src/options/index.html'),
    rawStorage,
    storage: async () => decryptedStorage(await rawStorage(), (request) => probe.evaluate(decryptInExtensionPage, request)),
    grantedOrigins: async () =>
      (await probe.evaluate(() => (globalThis as unknown as { browser: typeof chrome }).browser.permissions.getAll())).origins ?? [],
    revokeHostAccess: async (patterns) => {
      const removed = await probe.evaluate(
        (origins) => (globalThis as unknown as { browser: typeof chrome }).browser.permissions.remove({ origins }),
        patterns,
      );
      if (!removed) throw new Error(`Firefox kept host access to ${patterns.join(', ')}`);
    },
    close: async ({ keepProfile = false } = {}) => {
      await browser.close();
      if (!keepProfile) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
