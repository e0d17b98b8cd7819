// Tab mode (README: Architecture, src/content/): a provider that accepts only its own fixed
// redirect page (ReadyCloud's default token page, for an app registered without a redirect URI)
// signs in through a normal tab, and the content script on that page hands the token to the
// background. In Chromium and Firefox ESR, with the background stopped mid-sign-in too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_CALLBACK_PATH, SKYVAULT_CLIENT_ID, SKYVAULT_CLIENT_SECRET, SKYVAULT_SCOPE, type Demo } from '../../demo/index';
import type { Driver, DrivenPage } from '../../drive/driver';
import {
  ACCOUNTS,
  READYCLOUD_TAB_NAME as NAME,
  accountNames,
  allowReadyCloud,
  importProviders,
  readyCloudTabProvider,
  signInToSkyVault,
} from '../../drive/steps';
import { launchWithDemo, type DemoSetup } from './setup';

/** The extension API of an extension page: `browser` in Firefox, `chrome` in Chromium. */
type ExtensionGlobal = { browser?: typeof chrome; chrome: typeof chrome };

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let setup: DemoSetup;
  let driver: Driver;
  let demo: Demo;
  let popup: DrivenPage;

  beforeAll(async () => {
    setup = await launchWithDemo(browserName);
    ({ driver, demo } = setup);
  });
  afterAll(async () => {
    await setup?.close();
  });

  const tokenPage = () => readyCloudTabProvider(demo).redirectUri;
  const accountTexts = () => popup.texts('listitem', ACCOUNTS);
  const alertText = async () => (await popup.texts('alert'))[0];
  const openSignIn = () => popup.clickForNewPage(`Connect ${NAME}`);
  /** Waits until TokenTap has closed the sign-in tab, as it does once the sign-in ends. */
  const closedByTokenTap = (signIn: DrivenPage) => expect.poll(() => signIn.isClosed()).toBe(true);

  async function storedAccounts(): Promise<{ accessToken: string; providerId: string }[]> {
    return ((await driver.storage()).accounts ?? []) as never;
  }

  /** The content scripts the background registered, as scripting.getRegisteredContentScripts() lists them. */
  const registeredScripts = () =>
    popup.evaluate(() => ((globalThis as unknown as ExtensionGlobal).browser ?? chrome).scripting.getRegisteredContentScripts(), undefined);

  async function dismissAlert(): Promise<void> {
    if ((await popup.texts('alert')).length === 0) return;
    await popup.bringToFront();
    await popup.click('Dismiss');
    await expect.poll(() => popup.texts('alert')).toEqual([]);
  }

  /**
   * Lets the background work through captures it must ignore: an ignored capture changes nothing
   * and answers nobody, so there is no state or counter to poll.
   */
  const settle = () => new Promise((resolve) => setTimeout(resolve, 750));

  describe('setup', () => {
    it('imports a tab-mode provider and registers the capture script for its redirect page', async () => {
      expect(await importProviders(driver, { providers: [readyCloudTabProvider(demo)] })).toBe('Imported: added readycloud-tab.');
      popup = await driver.openPopup();
      expect(await registeredScripts()).toEqual([
        expect.objectContaining({
          id: 'redirect-capture',
          js: ['src/content/redirect-capture.js'],
          matches: expect.arrayContaining(['http://127.0.0.1/oauth/token-page', 'http://127.0.0.1/oauth/token-page?*']) as unknown,
          runAt: 'document_start',
        }),
      ]);

      const options = await driver.openOptions();
      await options.click('Export');
      await expect.poll(() => options.value('Provider JSON')).toContain('readycloud-tab');
      const exported = JSON.parse(await options.value('Provider JSON')) as { providers: object[] };
      expect(exported.providers[0]).toMatchObject({ redirectMode: 'tab', redirectUri: tokenPage() });
      await options.close();

      await expect.poll(() => popup.names('button')).toContain(`Connect ${NAME}`);
    });
  });

  describe('connect in a tab', () => {
    it('Allow: the tab closes by itself and the account is stored as with the auth window', async () => {
      const signIn = await openSignIn();
      const authorize = new URL(await signIn.url());
      expect(authorize.pathname).toBe('/oauth/authorize');
      expect(authorize.searchParams.get('response_type')).toBe('token');
      expect(authorize.searchParams.get('redirect_uri')).toBe(tokenPage());
      // A normal tab in a normal window: no auth window (a window of another type) is open.
      const windowTypes = await popup.evaluate(async () => {
        const api = (globalThis as unknown as ExtensionGlobal).browser ?? chrome;
        const windows = await api.windows.getAll({ windowTypes: ['normal', 'popup', 'panel', 'app', 'devtools'] });
        return [...new Set(windows.map((w) => w.type))];
      }, undefined);
      expect(windowTypes).toEqual(['normal']);

      await allowReadyCloud(signIn);
      await closedByTokenTap(signIn);

      await expect.poll(() => accountNames(popup)).toEqual([`${NAME} Account 1`]);
      await expect.poll(async () => (await accountTexts())[0]).toMatch(/ReadyCloud \(default page\).*Account 1.*active/);
      const [account] = await storedAccounts();
      expect(account!.providerId).toBe('readycloud-tab');
      const api = await fetch(`${demo.readycloud.origin}/api/v1/orders`, { headers: { Authorization: `Bearer ${account!.accessToken}` } });
      expect(api.status).toBe(200);
      // Nothing of the sign-in is left behind in session storage.
      const session = await popup.evaluate(
        () => ((globalThis as unknown as ExtensionGlobal).browser ?? chrome).storage.session.get(null),
        undefined,
      );
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
      expect(await importProviders(driver, { providers: [provider] })).toBe('Imported: added skyvault-tab.');
      // The registration follows the providers: both redirect pages now.
      await expect
        .poll(async () => (await registeredScripts())[0]?.matches)
        .toEqual(expect.arrayContaining(['http://127.0.0.1/oauth/token-page?*', 'http://localhost/callback', 'http://localhost/callback?*']));
      await popup.reload();

      const signIn = await popup.clickForNewPage('Connect SkyVault (callback page)');
      expect(new URL(await signIn.url()).searchParams.get('redirect_uri')).toBe(callback);
      await signInToSkyVault(signIn);
      await closedByTokenTap(signIn);

      await expect.poll(async () => (await accountTexts()).length).toBe(2);
      await expect.poll(async () => (await accountTexts())[1]).toMatch(/SkyVault \(callback page\).*Account 1.*active/);
      const exchange = demo.skyvault.requests.find((r) => r.path === '/oauth/token')!;
      expect(exchange.params).toMatchObject({ grant_type: 'authorization_code', redirect_uri: callback });
      const skyvault = (await storedAccounts()).find((a) => a.providerId === 'skyvault-tab')!;
      const api = await fetch(`${demo.skyvault.origin}/api/sites`, { headers: { Authorization: `Bearer ${skyvault.accessToken}` } });
      expect(api.status).toBe(200);
    });
  });

  describe('failures leave storage as it was', () => {
    it('Deny → the tab closes and the popup says access was denied', async () => {
      const before = await driver.storage();
      const signIn = await openSignIn();
      await signIn.click('Deny');
      await closedByTokenTap(signIn);
      await expect.poll(alertText).toMatch(/^ReadyCloud \(default page\) denied access \(access_denied\b.*\)\. Nothing was changed\./);
      expect(await driver.storage()).toEqual(before);
    });

    it('closing the sign-in tab → "closed before finishing"', async () => {
      await dismissAlert();
      const before = await driver.storage();
      const signIn = await openSignIn();
      await signIn.close();
      await expect.poll(alertText).toContain('The sign-in window was closed before finishing. Nothing was changed.');
      expect(await driver.storage()).toEqual(before);
    });

    it("an answer with another state in the sign-in's own tab → state mismatch", async () => {
      await dismissAlert();
      const before = await driver.storage();
      const signIn = await openSignIn();
      const forged = `${tokenPage()}#access_token=forged-token&token_type=Bearer&state=not-this-sign-in`;
      // The tab goes on to the redirect page, as a provider's redirect would take it.
      await signIn.evaluate((url) => void (location.href = url), forged).catch(() => undefined);
      await closedByTokenTap(signIn);
      await expect
        .poll(alertText)
        .toMatch(/^The answer did not match this sign-in \(state mismatch\); it was ignored\. Try connecting again\. Nothing was changed\./);
      expect(await driver.storage()).toEqual(before);
    });
  });

  describe('forged captures are ignored', () => {
    it('from an extension page, from another tab with the real state, or with an unknown state', async () => {
      await dismissAlert();
      const before = await driver.storage();
      const signIn = await openSignIn();
      const state = new URL(await signIn.url()).searchParams.get('state')!;
      const forged = `${tokenPage()}#access_token=forged-token&token_type=Bearer&state=${state}`;

      // An extension page is not the redirect page; the page-only handler does not know the message either.
      const answer = await popup.evaluate(
        (url) =>
          ((globalThis as unknown as ExtensionGlobal).browser ?? chrome).runtime.sendMessage<unknown, unknown>({
            type: 'redirectCaptured',
            url,
          }),
        forged,
      );
      expect(answer).toMatchObject({ ok: false });
      // The redirect page in another tab: its content script runs, but it is not the sign-in's tab.
      const otherTab = await driver.openPage(forged);
      const unknownState = await driver.openPage(`${tokenPage()}#access_token=forged-token&token_type=Bearer&state=unknown`);
      await settle();

      expect(otherTab.isClosed()).toBe(false);
      expect(unknownState.isClosed()).toBe(false);
      expect(signIn.isClosed()).toBe(false);
      expect(await driver.storage()).toEqual(before);
      expect(await popup.texts('alert')).toEqual([]);
      await otherTab.close();
      await unknownState.close();

      // The sign-in itself still finishes, with the provider's token.
      await allowReadyCloud(signIn);
      await closedByTokenTap(signIn);
      await expect.poll(async () => (await accountTexts()).length).toBe(3);
      const tokens = (await storedAccounts()).map((account) => account.accessToken);
      expect(tokens).not.toContain('forged-token');
    });
  });

  // A sign-in in a tab holds nothing awake: the browser may stop the background while the user signs in.
  describe('a stopped background', () => {
    it('the capture still completes the sign-in from session storage', async () => {
      await dismissAlert();
      const signIn = await openSignIn();
      await driver.stopBackground();
      await allowReadyCloud(signIn);
      await closedByTokenTap(signIn);
      await expect.poll(async () => (await accountTexts()).length).toBe(4);
      await expect.poll(async () => (await accountNames(popup)).filter((name) => name.startsWith(NAME)).length).toBe(3);
      expect(await popup.texts('alert')).toEqual([]);
    });

    it('closing the tab afterwards still reports it, through the last error', async () => {
      const before = await driver.storage();
      const signIn = await openSignIn();
      await driver.stopBackground();
      await signIn.close();
      await expect.poll(alertText).toContain('The sign-in window was closed before finishing. Nothing was changed.');
      expect(await driver.storage()).toEqual(before);
    });
  });
});
