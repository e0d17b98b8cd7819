// The failure matrix of a connect (README: Architecture, test/e2e): every way a sign-in can fail,
// triggered through the popup as a user would, with the demo providers' fault switches, in Chromium
// and Firefox ESR. Each one must show a clear alert (a closed sign-in window's still there when the
// popup is opened again) and leave storage.local (accounts, providers, approvals) exactly as it was.
// The background stopped as the browser stops it when idle: injection goes on without it, and a
// sign-in is lost with Chromium's worker, while Firefox keeps its event page awake for one. Reading
// the background's console is Chromium-only.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleMessage, Worker } from 'playwright-core';
import { SKYVAULT_CLIENT_SECRET, type Demo, type SkyVaultTokenFault } from '../../demo/index';
import type { ExtensionBrowser } from '../../drive/chromium';
import { DEFAULT_READYCLOUD_CONFIG } from '../../demo/readycloud';
import { DEFAULT_SKYVAULT_CONFIG } from '../../demo/skyvault';
import type { Driver, DrivenPage } from '../../drive/driver';
import { KeptAwakeError } from '../../drive/firefox-event-page';
import { accountNames, alertMessage, allowReadyCloud, signInToSkyVault, type ExtensionGlobal } from '../../drive/steps';
import { apiCallFrom } from './observed';
import { connectedSetup, type ConnectedSetup } from './setup';

const WINDOW_CLOSED = 'The sign-in window was closed before finishing. Nothing was changed.';
const INTERRUPTED = 'The sign-in was interrupted (TokenTap restarted). Connect again. Nothing was changed.';
const EXPIRED = 'The sign-in took more than 10 minutes, so TokenTap ignored its answer. Connect again. Nothing was changed.';
const STATE_MISMATCH = 'The answer did not match this sign-in (state mismatch); it was ignored. Try connecting again. Nothing was changed.';
const UNUSABLE_TOKEN_RESPONSE = (problem: string) =>
  `SkyVault sent an unusable token response: ${problem}. Try again; if it keeps happening, check the provider's Token URL or contact SkyVault. Nothing was changed.`;

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let setup: ConnectedSetup;
  let driver: Driver;
  let demo: Demo;
  let popup: DrivenPage;
  /** The demo's playground, approved for SkyVault Account 1. */
  let playground: DrivenPage;
  /** Everything the extension's pages and service workers wrote to the console during the run (Chromium). */
  const consoleOutput: string[] = [];

  const accounts = () => accountNames(popup);

  beforeAll(async () => {
    setup = await connectedSetup(browserName, {
      approve: ['SkyVault Account 1'],
      onLaunch: (launched) => {
        if (launched.chromium) collectConsole(launched.chromium());
      },
    });
    ({ driver, demo, popup, playground } = setup);
    expect(await accounts()).toEqual(['ReadyCloud Account 1', 'SkyVault Account 1']);
  });
  afterAll(async () => {
    await setup?.close();
  });
  afterEach(() => {
    Object.assign(demo.skyvault.config, DEFAULT_SKYVAULT_CONFIG);
    Object.assign(demo.readycloud.config, DEFAULT_READYCLOUD_CONFIG);
  });

  /** Console text of the popup, the options page and every service worker, restarted ones too. */
  function collectConsole(browser: ExtensionBrowser): void {
    const record = (message: ConsoleMessage) => consoleOutput.push(`${message.type()}: ${message.text()}`);
    const watch = (worker: Worker) => worker.on('console', record);
    browser.context.serviceWorkers().forEach(watch);
    browser.context.on('serviceworker', watch);
    browser.context.on('console', record);
    browser.context.on('weberror', (error) => consoleOutput.push(`pageerror: ${String(error.error())}`));
  }

  /** Every secret of the run: access and refresh tokens, authorization codes, PKCE verifiers, the client secret. */
  function secrets(): string[] {
    const skyvault = demo.skyvault.issued.flatMap((t) => [t.access_token, t.refresh_token]);
    const readycloud = demo.readycloud.issued.map((t) => t.accessToken);
    const exchanged = demo.skyvault.requests.flatMap((r) => [r.params.code, r.params.code_verifier]);
    return [...skyvault, ...readycloud, ...exchanged, SKYVAULT_CLIENT_SECRET].filter((secret): secret is string => secret !== undefined);
  }

  const alertText = () => alertMessage(popup);
  const tokenRequests = () => demo.skyvault.requests.filter((r) => r.path === '/oauth/token').length;

  async function pendingSignIns(): Promise<string[]> {
    const session = await popup.evaluate(() => {
      const api = (globalThis as unknown as ExtensionGlobal).browser ?? chrome;
      return api.storage.session.get(null);
    }, undefined);
    return Object.keys(session).filter((key) => key.startsWith('pending:'));
  }

  /**
   * Runs `trigger` (a connect that must fail) and checks what the user sees: exactly `message` in the
   * popup's alert, no secret in it, storage.local as before, no sign-in left pending. Then dismisses it.
   */
  async function expectFailure(message: string, trigger: () => Promise<void>): Promise<void> {
    const before = await driver.storage();
    await trigger();
    await expect.poll(alertText, { timeout: 10_000 }).toBe(message);
    for (const secret of secrets()) expect(message).not.toContain(secret);
    expect(await driver.storage()).toEqual(before);
    expect(await pendingSignIns()).toEqual([]);
    // The sign-in window took the focus: Playwright's clicks on a page in the background wait for frames that do not come.
    await popup.bringToFront();
    await popup.click('Dismiss');
    await expect.poll(() => popup.texts('alert')).toEqual([]);
  }

  const connectSkyVault = async () => signInToSkyVault(await popup.clickForNewPage('Connect SkyVault'));
  const connectReadyCloud = async () => allowReadyCloud(await popup.clickForNewPage('Connect ReadyCloud'));

  describe('the sign-in', () => {
    it('access denied', async () => {
      await expectFailure('SkyVault denied access (access_denied: The user denied access). Nothing was changed.', async () => {
        const signIn = await popup.clickForNewPage('Connect SkyVault');
        await signIn.click('Deny');
      });
    });

    it('the sign-in window closed', async () => {
      await expectFailure(WINDOW_CLOSED, async () => {
        await (await popup.clickForNewPage('Connect ReadyCloud')).close();
      });
    });

    it('the sign-in window closed: the alert is still there when the popup is opened again', async () => {
      await expectFailure(WINDOW_CLOSED, async () => {
        await (await popup.clickForNewPage('Connect SkyVault')).close();
        await expect.poll(alertText).toBe(WINDOW_CLOSED);
        await popup.reload();
      });
    });

    it('another error from the provider', async () => {
      demo.skyvault.config.redirectFault = 'temporarilyUnavailable';
      await expectFailure(
        'SkyVault could not handle the sign-in just now (temporarily_unavailable: SkyVault is busy. Try again in a minute). Try again later. Nothing was changed.',
        connectSkyVault,
      );
    });

    it('state mismatch, code flow: the code is not exchanged', async () => {
      demo.skyvault.config.redirectFault = 'wrongState';
      const before = tokenRequests();
      await expectFailure(STATE_MISMATCH, connectSkyVault);
      expect(tokenRequests()).toBe(before);
    });

    it('state mismatch, implicit flow: the token is not kept', async () => {
      demo.readycloud.config.redirectFault = 'wrongState';
      await expectFailure(STATE_MISMATCH, connectReadyCloud);
    });

    it('missing code', async () => {
      demo.skyvault.config.redirectFault = 'noCode';
      await expectFailure('SkyVault sent no sign-in code (missing code). Try connecting again. Nothing was changed.', connectSkyVault);
    });

    it('missing access token, implicit flow', async () => {
      demo.readycloud.config.redirectFault = 'noAccessToken';
      await expectFailure(
        'ReadyCloud sent no access token (missing access_token). Try connecting again. Nothing was changed.',
        connectReadyCloud,
      );
    });

    it('a token type other than bearer, implicit flow', async () => {
      demo.readycloud.config.redirectFault = 'tokenTypeMac';
      await expectFailure(
        'ReadyCloud sent back an unusable answer: "token_type" must be "Bearer" (got "mac"). Try again; if it keeps happening, check the provider settings or contact ReadyCloud. Nothing was changed.',
        connectReadyCloud,
      );
    });
  });

  describe('the code exchange', () => {
    it('a code already used (invalid_grant)', async () => {
      demo.skyvault.config.redirectFault = 'usedCode';
      await expectFailure(
        'SkyVault rejected the sign-in code (invalid_grant: The authorization code has already been used). Try connecting again. Nothing was changed.',
        connectSkyVault,
      );
    });

    it('a code expired (invalid_grant)', async () => {
      demo.skyvault.config.codeLifetimeSeconds = 0;
      await expectFailure(
        'SkyVault rejected the sign-in code (invalid_grant: The authorization code expired). Try connecting again. Nothing was changed.',
        connectSkyVault,
      );
    });

    it.each<[SkyVaultTokenFault, string]>([
      ['http500', "SkyVault's token endpoint answered HTTP 500. Try again later. Nothing was changed."],
      ['html', UNUSABLE_TOKEN_RESPONSE('the body is text/html, not JSON')],
      ['invalidJson', UNUSABLE_TOKEN_RESPONSE('the body is not valid JSON')],
      ['noAccessToken', UNUSABLE_TOKEN_RESPONSE('"access_token" is missing')],
      ['tokenTypeMac', UNUSABLE_TOKEN_RESPONSE('"token_type" must be "Bearer" (got "mac")')],
      ['expiresInNegative', UNUSABLE_TOKEN_RESPONSE('"expires_in" must be a positive number')],
      ['expiresInString', UNUSABLE_TOKEN_RESPONSE('"expires_in" must be a positive number, not a string')],
      ['dropConnection', 'Could not reach SkyVault (network error). Check that it is running and try again. Nothing was changed.'],
    ])('the token endpoint fails: %s', async (fault, message) => {
      demo.skyvault.config.tokenFault = fault;
      const before = tokenRequests();
      await expectFailure(message, connectSkyVault);
      expect(tokenRequests()).toBeGreaterThan(before);
    });
  });

  describe('an answer TokenTap no longer waits for', () => {
    it('a late answer for a sign-in that was forgotten is ignored: the code is not exchanged', async () => {
      const before = tokenRequests();
      await expectFailure(EXPIRED, async () => {
        const signIn = await popup.clickForNewPage('Connect SkyVault');
        const [pending] = await pendingSignIns();
        await popup.evaluate((key) => ((globalThis as unknown as ExtensionGlobal).browser ?? chrome).storage.session.remove(key), pending!);
        await signInToSkyVault(signIn);
      });
      expect(tokenRequests()).toBe(before);
    });

    it('an answer after more than 10 minutes is ignored', async () => {
      const before = tokenRequests();
      await expectFailure(EXPIRED, async () => {
        const signIn = await popup.clickForNewPage('Connect SkyVault');
        const [key] = await pendingSignIns();
        await popup.evaluate(async (key) => {
          const session = ((globalThis as unknown as ExtensionGlobal).browser ?? chrome).storage.session;
          const stored = (await session.get(key))[key] as { createdAt: number };
          await session.set({ [key]: { ...stored, createdAt: stored.createdAt - 11 * 60_000 } });
        }, key!);
        await signInToSkyVault(signIn);
      });
      expect(tokenRequests()).toBe(before);
    });
  });

  it("injection survives the background being stopped: the approved page's call still carries the token", async () => {
    await driver.stopBackground();
    const { status, authorization } = await apiCallFrom(demo.skyvault, playground, `${demo.skyvault.origin}/api/sites`);
    const skyvault = ((await driver.storage()).accounts as { providerId: string; accessToken: string }[]).find(
      (a) => a.providerId === 'skyvault',
    )!;
    expect(authorization).toBe(`Bearer ${skyvault.accessToken}`);
    expect(status).toBe(200);
  });

  describe('the background stopped in the middle of a sign-in', () => {
    if (browserName === 'chromium') {
      it('the answer is lost with the service worker: the user is told, and nothing changes', async () => {
        const before = tokenRequests();
        await expectFailure(INTERRUPTED, async () => {
          const signIn = await popup.clickForNewPage('Connect SkyVault');
          await driver.stopBackground();
          expect(await pendingSignIns()).toHaveLength(1); // the sign-in outlives the worker in storage.session
          // Chromium keeps the window open and still closes it on the redirect, but nobody gets the answer.
          await signInToSkyVault(signIn);
          await expect.poll(() => signIn.isClosed()).toBe(true);
        });
        expect(tokenRequests()).toBe(before);
      });
    } else {
      it('Firefox keeps the event page awake while the sign-in window is open, so its answer still arrives', async () => {
        await expectFailure('SkyVault denied access (access_denied: The user denied access). Nothing was changed.', async () => {
          const signIn = await popup.clickForNewPage('Connect SkyVault');
          // launchWebAuthFlow holds Firefox's idle timer: the page is not suspended until the window answers or closes.
          await expect(driver.stopBackground()).rejects.toThrow(new KeptAwakeError(['launchWebAuthFlow']));
          await signIn.click('Deny');
        });
      });
    }

    it('stale sign-ins are forgotten silently when the background starts', async () => {
      const stale = {
        providerId: 'skyvault',
        state: 'stale',
        redirectUri: driver.redirectUrlFor('skyvault'),
        createdAt: Date.now() - 11 * 60_000,
      };
      await popup.evaluate((value) => chrome.storage.session.set({ 'pending:stale': value }), stale);
      await driver.stopBackground();
      // Any event wakes it; here the message the popup's Dismiss sends.
      await popup.evaluate(() => chrome.runtime.sendMessage({ type: 'dismissError' }), undefined);
      await expect.poll(pendingSignIns).toEqual([]);
      expect(await popup.texts('alert')).toEqual([]);
    });

    it('after all that, connecting works', async () => {
      await connectReadyCloud();
      await expect.poll(async () => (await accounts()).length).toBe(3);
      await expect.poll(async () => (await popup.texts('status'))[0]).toBe('Connected.');
    });
  });

  // WebDriver BiDi does not give the console of Firefox's event page.
  if (browserName === 'chromium') {
    describe('no leaks', () => {
      it('no token, code or secret appears in any console output of the run', async () => {
        await popup.click('Refresh', { within: { role: 'listitem', name: 'SkyVault Account 1' } });
        await expect.poll(async () => (await popup.texts('status'))[0]).toBe('Refreshed: a new access token is in use.');
        // The collector does hear the worker that runs now (it was restarted during the run).
        await (await driver.chromium!().worker()).evaluate(() => console.info('tokentap-console-probe'));
        await expect.poll(() => consoleOutput.some((line) => line.includes('tokentap-console-probe'))).toBe(true);

        const stored = ((await driver.storage()).accounts ?? []) as { accessToken: string; refreshToken?: string }[];
        const all = [...secrets(), ...stored.flatMap((a) => [a.accessToken, a.refreshToken ?? []].flat())];
        expect(all.length).toBeGreaterThan(20);
        const output = consoleOutput.join('\n');
        for (const secret of all) expect(output).not.toContain(secret);
      });
    });
  }
});
