import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Page, type Worker } from 'playwright-core';
import { decryptedStorage, decryptInExtensionPage } from './stored-state';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const EXTENSION_DIR = resolve(import.meta.dirname, '../dist/chrome');

/** A real Chromium with the built extension loaded, driven as a person would. */
export interface ExtensionBrowser {
  context: BrowserContext;
  extensionId: string;
  redirectUrl: string;
  userDataDir: string;
  worker(): Promise<Worker>;
  openPopup(): Promise<Page>;
  openOptions(): Promise<Page>;
  /** Everything the extension keeps in storage.local, secrets decrypted as its pages read them, for before/after comparisons. */
  storage(): Promise<Record<string, unknown>>;
  /** Exactly what storage.local holds: what any content script's storage.local.get gets. */
  rawStorage(): Promise<Record<string, unknown>>;
  /**
   * Stops the extension's service worker, as Chrome does when it idles or after an update, and
   * waits until it is stopped (DevTools protocol). The next event starts a fresh one.
   */
  stopServiceWorker(): Promise<void>;
  /**
   * Clicks the extension's toolbar button on the tab showing `url`, as a person does, which grants
   * the extension activeTab there (DevTools protocol, Extensions.triggerAction). Only when launched
   * with `toolbarClicks`.
   */
  clickToolbarButton?(url: string): Promise<void>;
  close(options?: { keepProfile?: boolean }): Promise<void>;
}

/** Chromium's command line for these runs; with `extensionDir`, that unpacked extension loaded. */
export function chromiumArgs(extensionDir?: string): string[] {
  return [
    ...(extensionDir ? [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`] : []),
    // This machine has no network: keep Chromium from calling Google at start.
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--disable-gpu',
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
  ];
}

export async function launchExtension(
  options: {
    userDataDir?: string;
    headless?: boolean;
    extensionDir?: string;
    /** Opens a DevTools port on loopback with the Extensions domain, for clickToolbarButton. */
    toolbarClicks?: boolean;
  } = {},
): Promise<ExtensionBrowser> {
  const extensionDir = options.extensionDir ?? EXTENSION_DIR;
  const userDataDir = options.userDataDir ?? mkdtempSync(join(tmpdir(), 'tokentap-profile-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: options.headless ?? true,
    args: [
      ...chromiumArgs(extensionDir),
      ...(options.toolbarClicks ? ['--enable-unsafe-extension-debugging', '--remote-debugging-port=0'] : []),
    ],
  });
  const worker = async () =>
    context.serviceWorkers().find((w) => w.url().startsWith('chrome-extension://')) ??
    (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
  const extensionId = new URL((await worker()).url()).host;
  const redirectUrl = await (await worker()).evaluate(() => chrome.identity.getRedirectURL());
  // What a person allows when a page asks to paste: the tests read the console's Copy as from the
  // clipboard. For every origin: DevTools takes a chrome-extension:// origin for an opaque one.
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const open = async (path: string) => {
    const page = await context.newPage();
    await page.goto(`chrome-extension://${extensionId}/${path}`);
    return page;
  };
  // Storage is read from an extension page, not the worker: tests stop the worker on purpose.
  let probe: Page | undefined;
  const probePage = async () => {
    if (!probe || probe.isClosed()) probe = await open('manifest.json');
    return probe;
  };
  const rawStorage = async () => (await probePage()).evaluate(() => chrome.storage.local.get(null));
  const storage = async () => {
    const page = await probePage();
    return decryptedStorage(await rawStorage(), (request) => page.evaluate(decryptInExtensionPage, request));
  };
  const stopServiceWorker = async () => {
    const cdp = await context.newCDPSession(await probePage());
    const script = `chrome-extension://${extensionId}/`;
    type VersionsUpdated = { versions: { scriptURL: string; runningStatus: string }[] };
    const stopped = new Promise<void>((resolve) => {
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }: VersionsUpdated) => {
        if (versions.some((v) => v.scriptURL.startsWith(script) && v.runningStatus === 'stopped')) resolve();
      });
    });
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await stopped;
    await cdp.detach();
  };
  // The Extensions domain answers a browser-level session only, which a persistent context does not give: connect again over the port.
  let browserSession: Promise<CDPSession> | undefined;
  const clickToolbarButton = async (url: string) => {
    browserSession ??= (async () => {
      const [port] = readFileSync(join(userDataDir, 'DevToolsActivePort'), 'utf8').split('\n');
      return (await chromium.connectOverCDP(`http://127.0.0.1:${port}`)).newBrowserCDPSession();
    })();
    const session = await browserSession;
    const { targetInfos } = await session.send('Target.getTargets', { filter: [{ type: 'tab' }] });
    const tabs = targetInfos.filter((target) => target.url === url);
    if (tabs.length !== 1) throw new Error(`${tabs.length} tabs show ${url}; the toolbar click needs exactly one`);
    await session.send('Extensions.triggerAction', { id: extensionId, targetId: tabs[0]!.targetId });
  };
  return {
    context,
    extensionId,
    ...(options.toolbarClicks && { clickToolbarButton }),
    redirectUrl,
    userDataDir,
    worker,
    storage,
    rawStorage,
    stopServiceWorker,
    openPopup: () => open('src/popup/index.html'),
    openOptions: () => open('src/options/index.html'),
    close: async ({ keepProfile = false } = {}) => {
      await context.close();
      if (!keepProfile) rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
