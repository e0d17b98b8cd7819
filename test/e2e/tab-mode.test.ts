// PRODUCT.md flow 7: a provider that accepts only its own fixed redirect page (ReadyCloud's
// default token page, for an app registered without a redirect URI) signs in through a normal tab,
// and the content script on that page hands the token to the background.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import {
  PLAYGROUND_CALLBACK_PATH,
  READYCLOUD_NO_REDIRECT_CLIENT_ID,
  SKYVAULT_CLIENT_ID,
  SKYVAULT_CLIENT_SECRET,
  SKYVAULT_SCOPE,
  demoRedirectUris,
  startDemo,
  type Demo,
} from '../../demo/index';
import { launchExtension, type ExtensionBrowser } from '../../demo/browser';
import { accountItems, allowReadyCloud, importProviders, openSignInTab, signInToSkyVault } from '../../demo/drive';

const NAME = 'ReadyCloud (default page)';

let browser: ExtensionBrowser;
let demo: Demo;
let popup: Page;

beforeAll(async () => {
  browser = await launchExtension();
  demo = await startDemo({ redirectUris: demoRedirectUris(browser.redirectUrl) });
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
});

const tokenPage = () => `${demo.readycloud.origin}/oauth/token-page`;
const accounts = () => accountItems(popup);
const alert = () => popup.getByRole('alert');
const openSignIn = () => openSignInTab(browser, popup, NAME);

/** Provider JSON for the demo app registered without a redirect URI: its default page is the only one. */
function tabModeProviderJson() {
  return {
    providers: [
      {
        id: 'readycloud-tab',
        name: NAME,
        flow: 'implicit',
        redirectMode: 'tab',
        redirectUri: tokenPage(),
        authorizationUrl: `${demo.readycloud.origin}/oauth/authorize`,
        clientId: READYCLOUD_NO_REDIRECT_CLIENT_ID,
        scopes: ['orders:read'],
        apiBaseUrls: [`${demo.readycloud.origin}/api/v1/`],
      },
    ],
  };
}

/** What the extension keeps in storage.local, decrypted (read from an extension page, so also while the worker is stopped). */
const storage = (): Promise<Record<string, unknown>> => browser.storage();

async function storedAccounts(): Promise<{ accessToken: string; providerId: string }[]> {
  return ((await storage()).accounts ?? []) as never;
}

/** Opens a page in its own tab at `url` and waits for it to load (the content script runs at its start). */
async function openTab(url: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(url);
  return page;
}

async function dismissAlert(): Promise<void> {
  if ((await alert().count()) === 0) return;
  await alert().getByRole('button', { name: 'Dismiss' }).click();
  await expect.poll(() => alert().count()).toBe(0);
}

/** Lets the background work through what it was sent (a capture it must ignore leaves no trace to wait for). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 750));

describe('setup', () => {
  it('imports a tab-mode provider and registers the capture script for its redirect page', async () => {
    expect(await importProviders(browser, tabModeProviderJson())).toBe('Imported: added readycloud-tab.');
    const registered = await (await browser.worker()).evaluate(() => chrome.scripting.getRegisteredContentScripts());
    expect(registered).toEqual([
      expect.objectContaining({
        id: 'redirect-capture',
        js: ['src/content/redirect-capture.js'],
        matches: expect.arrayContaining(['http://127.0.0.1/oauth/token-page', 'http://127.0.0.1/oauth/token-page?*']) as unknown,
        runAt: 'document_start',
      }),
    ]);

    const options = await browser.openOptions();
    await options.getByRole('button', { name: 'Export' }).click();
    const exported = JSON.parse(await options.getByLabel('Provider JSON').inputValue()) as { providers: object[] };
    expect(exported.providers[0]).toMatchObject({ redirectMode: 'tab', redirectUri: tokenPage() });
    await options.close();

    popup = await browser.openPopup();
    await expect.poll(() => popup.getByRole('button', { name: `Connect ${NAME}` }).isVisible()).toBe(true);
  });
});

describe('connect in a tab', () => {
  it('Allow: the tab closes by itself and the account is stored as with the auth window', async () => {
    const signIn = await openSignIn();
    const authorize = new URL(signIn.url());
    expect(authorize.pathname).toBe('/oauth/authorize');
    expect(authorize.searchParams.get('response_type')).toBe('token');
    expect(authorize.searchParams.get('redirect_uri')).toBe(tokenPage());
    // A normal tab in a normal window, not the browser's auth window.
    const windowType = await (await browser.worker()).evaluate(async (url) => {
      const [tab] = await chrome.tabs.query({ url });
      return tab && (await chrome.windows.get(tab.windowId)).type;
    }, `${demo.readycloud.origin}/oauth/authorize*`);
    expect(windowType).toBe('normal');

    const closed = signIn.waitForEvent('close');
    await allowReadyCloud(signIn);
    await closed;

    await expect.poll(() => accounts().count()).toBe(1);
    await expect.poll(() => accounts().first().textContent()).toMatch(/ReadyCloud \(default page\).*Account 1.*active/);
    const [account] = await storedAccounts();
    expect(account!.providerId).toBe('readycloud-tab');
    const api = await fetch(`${demo.readycloud.origin}/api/v1/orders`, { headers: { Authorization: `Bearer ${account!.accessToken}` } });
    expect(api.status).toBe(200);
    // Nothing of the sign-in is left behind in session storage.
    const session = await popup.evaluate(() => chrome.storage.session.get(null));
    expect(Object.keys(session).filter((key) => key.startsWith('tabSignIn:'))).toEqual([]);
  });
});

describe('connect in a tab, authorization code', () => {
  it('reads the code from the query of the app callback page, then exchanges it', async () => {
    // The demo app's callback page, registered at SkyVault as its only fixed callback URL.
    const callback = `${demo.playground.origin}${PLAYGROUND_CALLBACK_PATH}`;
    demo.skyvault.clients[0]!.redirectUris.push(callback);
    const provider = {
      id: 'skyvault-tab',
      name: 'SkyVault (callback page)',
      flow: 'code',
      redirectMode: 'tab',
      redirectUri: callback,
      authorizationUrl: `${demo.skyvault.origin}/oauth/authorize`,
      tokenUrl: `${demo.skyvault.origin}/oauth/token`,
      clientId: SKYVAULT_CLIENT_ID,
      clientSecret: SKYVAULT_CLIENT_SECRET,
      scopes: [SKYVAULT_SCOPE],
      apiBaseUrls: [`${demo.skyvault.origin}/api/`],
    };
    expect(await importProviders(browser, { providers: [provider] })).toBe('Imported: added skyvault-tab.');
    // The registration follows the providers: both redirect pages now.
    await expect
      .poll(async () => (await (await browser.worker()).evaluate(() => chrome.scripting.getRegisteredContentScripts()))[0]?.matches)
      .toEqual(expect.arrayContaining(['http://127.0.0.1/oauth/token-page?*', 'http://localhost/callback', 'http://localhost/callback?*']));
    await popup.reload();

    const signIn = await openSignInTab(browser, popup, 'SkyVault (callback page)');
    expect(new URL(signIn.url()).searchParams.get('redirect_uri')).toBe(callback);
    const closed = signIn.waitForEvent('close');
    await signInToSkyVault(signIn);
    await closed;

    await expect.poll(() => accounts().count()).toBe(2);
    await expect.poll(() => accounts().nth(1).textContent()).toMatch(/SkyVault \(callback page\).*Account 1.*active/);
    const exchange = demo.skyvault.requests.find((r) => r.path === '/oauth/token')!;
    expect(exchange.params).toMatchObject({ grant_type: 'authorization_code', redirect_uri: callback });
    const skyvault = (await storedAccounts()).find((a) => a.providerId === 'skyvault-tab')!;
    const api = await fetch(`${demo.skyvault.origin}/api/sites`, { headers: { Authorization: `Bearer ${skyvault.accessToken}` } });
    expect(api.status).toBe(200);
  });
});

describe('failures leave storage as it was', () => {
  it('Deny → the tab closes and the popup says access was denied', async () => {
    const before = await storage();
    const signIn = await openSignIn();
    const closed = signIn.waitForEvent('close');
    await signIn.getByRole('button', { name: 'Deny' }).click();
    await closed;
    await expect.poll(() => alert().textContent()).toMatch(/^ReadyCloud \(default page\) denied access \(access_denied\b.*\)\. Nothing was changed\./);
    expect(await storage()).toEqual(before);
  });

  it('closing the sign-in tab → "closed before finishing"', async () => {
    await dismissAlert();
    const before = await storage();
    const signIn = await openSignIn();
    await signIn.close();
    await expect.poll(() => alert().textContent()).toContain('The sign-in window was closed before finishing. Nothing was changed.');
    expect(await storage()).toEqual(before);
  });

  it("an answer with another state in the sign-in's own tab → state mismatch", async () => {
    await dismissAlert();
    const before = await storage();
    const signIn = await openSignIn();
    const closed = signIn.waitForEvent('close');
    await signIn.goto(`${tokenPage()}#access_token=forged-token&token_type=Bearer&state=not-this-sign-in`).catch(() => undefined);
    await closed;
    await expect.poll(() => alert().textContent()).toMatch(/^The answer did not match this sign-in \(state mismatch\); it was ignored\. Try connecting again\. Nothing was changed\./);
    expect(await storage()).toEqual(before);
  });
});

describe('forged captures are ignored', () => {
  it('from an extension page, from another tab with the real state, or with an unknown state', async () => {
    await dismissAlert();
    const before = await storage();
    const signIn = await openSignIn();
    const state = new URL(signIn.url()).searchParams.get('state')!;
    const forged = `${tokenPage()}#access_token=forged-token&token_type=Bearer&state=${state}`;

    // An extension page is not the redirect page; the page-only handler does not know the message either.
    const answer = await popup.evaluate((url) => chrome.runtime.sendMessage<unknown, unknown>({ type: 'redirectCaptured', url }), forged);
    expect(answer).toMatchObject({ ok: false });
    // The redirect page in another tab: its content script runs, but it is not the sign-in's tab.
    const otherTab = await openTab(forged);
    const unknownState = await openTab(`${tokenPage()}#access_token=forged-token&token_type=Bearer&state=unknown`);
    await settle();

    expect(otherTab.isClosed()).toBe(false);
    expect(unknownState.isClosed()).toBe(false);
    expect(signIn.isClosed()).toBe(false);
    expect(await storage()).toEqual(before);
    expect(await alert().count()).toBe(0);
    await otherTab.close();
    await unknownState.close();

    // The sign-in itself still finishes, with the provider's token.
    const closed = signIn.waitForEvent('close');
    await allowReadyCloud(signIn);
    await closed;
    await expect.poll(() => accounts().count()).toBe(3);
    const tokens = (await storedAccounts()).map((account) => account.accessToken);
    expect(tokens).not.toContain('forged-token');
  });
});

describe('a stopped service worker', () => {
  it('the capture still completes the sign-in from session storage', async () => {
    await dismissAlert();
    const signIn = await openSignIn();
    await stopServiceWorker();
    const closed = signIn.waitForEvent('close');
    await allowReadyCloud(signIn);
    await closed;
    await expect.poll(() => accounts().count()).toBe(4);
    await expect.poll(() => popup.getByRole('listitem', { name: /ReadyCloud \(default page\)/ }).count()).toBe(3);
    expect(await alert().count()).toBe(0);
  });

  it('closing the tab afterwards still reports it, through the last error', async () => {
    const before = await storage();
    const signIn = await openSignIn();
    await stopServiceWorker();
    await signIn.close();
    await expect.poll(() => alert().textContent()).toContain('The sign-in window was closed before finishing. Nothing was changed.');
    expect(await storage()).toEqual(before);
  });
});

/**
 * Stops the extension's service worker, as Chrome does when it is idle (DevTools protocol). The
 * next event (here: the redirect page's message, or a closed tab) starts a fresh one.
 */
async function stopServiceWorker(): Promise<void> {
  const cdp = await browser.context.newCDPSession(popup);
  const script = `chrome-extension://${browser.extensionId}/`;
  let versionId: string | undefined;
  const stopped = new Promise<void>((resolve) => {
    cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => {
      for (const version of versions.filter((v) => v.scriptURL.startsWith(script))) {
        if (version.runningStatus === 'running' && versionId === undefined) {
          versionId = version.versionId;
          // From an event listener: the `stopped` update below is what the test waits for.
          void cdp.send('ServiceWorker.stopWorker', { versionId });
        }
        if (version.runningStatus === 'stopped' && version.versionId === versionId) resolve();
      }
    });
  });
  await cdp.send('ServiceWorker.enable');
  await stopped;
  await cdp.detach();
}
