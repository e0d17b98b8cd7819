// Keeping tokens fresh (README: Keeping tokens fresh), in Chromium and Firefox ESR: scheduled renewal
// across the expiries of 6-second tokens, a rotated refresh token, Refresh pressed twice, passing
// failures with retry, a dead refresh token, the 401 watch, and the background stopped between
// renewals.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SKYVAULT_CLIENT_ID, SKYVAULT_CLIENT_SECRET, type Demo } from '../../demo/index';
import type { Driver, DrivenPage } from '../../drive/driver';
import {
  accountText,
  alertMessage,
  approveSite,
  badgeText,
  holdsPermission,
  signInToSkyVault,
  statusesAcrossRenewals,
} from '../../drive/steps';
import { connectedSetup, type ConnectedSetup } from './setup';

const ACCOUNT = 'SkyVault Account 1';
const REFRESHED = 'Refreshed: a new access token is in use.';

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let driver: Driver;
  let demo: Demo;
  let popup: DrivenPage;
  let playground: DrivenPage;

  interface StoredAccount {
    id: string;
    providerId: string;
    accessToken: string;
    refreshToken?: string;
    retry?: unknown;
  }
  const skyvaultAccount = async () => ((await driver.storage()).accounts as StoredAccount[]).find((a) => a.providerId === 'skyvault')!;
  /** How many refresh-token grants SkyVault's token endpoint has received. */
  const refreshes = () => demo.skyvault.requests.filter((r) => r.path === '/oauth/token' && r.params.grant_type === 'refresh_token').length;
  const item = { role: 'listitem', name: ACCOUNT };
  const itemText = () => accountText(popup, ACCOUNT);
  const statusText = async () => (await popup.texts('status'))[0];
  /** Kills a token at the provider, as an admin or a leaked-token response would. */
  const revoke = (token: string, hint: 'access_token' | 'refresh_token') =>
    fetch(`${demo.skyvault.origin}/oauth/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, token_type_hint: hint, client_id: SKYVAULT_CLIENT_ID, client_secret: SKYVAULT_CLIENT_SECRET }),
    });
  /** What the playground page gets from the SkyVault API, the token attached by TokenTap or not. */
  const callApi = () => playground.evaluate(async (u) => (await fetch(u, { cache: 'no-store' })).status, `${demo.skyvault.origin}/api/sites`);
  /** Reconnect in the popup, signing in again at SkyVault; waits until the account is active. */
  const reconnect = async () => {
    await signInToSkyVault(await popup.clickForNewPage('Reconnect', { within: item }));
    await popup.bringToFront();
    await expect.poll(itemText).toMatch(/Account 1\s*active/);
  };
  /** Hour-long tokens from here on, and one now (pressed Refresh): no scheduled renewal adds requests of its own. */
  const hourLongToken = async () => {
    demo.skyvault.config.accessTokenLifetimeSeconds = 3600;
    const before = refreshes();
    await popup.click('Refresh', { within: item });
    await expect.poll(refreshes).toBeGreaterThan(before);
    await expect.poll(statusText).toBe(REFRESHED);
  };

  let setup: ConnectedSetup;
  beforeAll(async () => {
    // Six-second access tokens: renewal runs at half-life, so several expiries pass in a test.
    setup = await connectedSetup(browserName, { connect: ['skyvault'], approve: [ACCOUNT], skyvault: { accessTokenLifetimeSeconds: 6 } });
    ({ driver, demo, popup, playground } = setup);
  });
  afterAll(() => setup?.close());
  afterEach(() => {
    // A failed test must not spoil the next ones.
    demo.skyvault.config.tokenFault = 'none';
    demo.skyvault.config.rotateRefreshTokens = false;
  });

  describe('scheduled refresh', () => {
    it('keeps the approved page answering 200 across several expiries, without a click', async () => {
      const first = (await skyvaultAccount()).accessToken;
      // Three renewals at half-life outlast two 6-second tokens; the page calls after each one.
      const statuses = await statusesAcrossRenewals(refreshes, callApi);
      expect(statuses).toEqual([200, 200, 200, 200]);
      expect((await skyvaultAccount()).accessToken).not.toBe(first);
    });

    it('shows the refresh token lifetime the provider states', async () => {
      await expect.poll(itemText).toMatch(/refresh token: (6 d 23 h|7 d)/);
    });

    it('survives the background being stopped', async () => {
      const before = refreshes();
      await driver.stopBackground();
      // The next renewal is an alarm: it wakes the background, which has no timer of its own left.
      await expect.poll(refreshes, { timeout: 15_000 }).toBeGreaterThan(before);
      expect(await callApi()).toBe(200);
    });

    it('replaces a rotated refresh token', async () => {
      demo.skyvault.config.rotateRefreshTokens = true;
      const old = (await skyvaultAccount()).refreshToken;
      await expect.poll(async () => (await skyvaultAccount()).refreshToken, { timeout: 15_000 }).not.toBe(old);
      expect(await callApi()).toBe(200);
    });
  });

  describe('refresh failures', () => {
    it('Refresh shares one request when pressed twice', async () => {
      await hourLongToken();
      const before = refreshes();
      // A double click, both presses on the button: nothing above it may vanish at the first press
      // (as the last status would), and the second press reaches the background while the first renewal runs.
      await popup.reload();
      await popup.doubleClick('Refresh', { within: item });
      await expect.poll(refreshes).toBeGreaterThan(before);
      await expect.poll(statusText).toBe(REFRESHED);
      const stored = (await skyvaultAccount()).accessToken;
      expect(refreshes() - before).toBe(1);
      expect(stored).toBe(demo.skyvault.issued.at(-1)!.access_token);
    });

    it.each([
      ['http500', "SkyVault's token endpoint answered HTTP 500. Try again later. The account keeps its current token."],
      [
        'dropConnection',
        'Could not reach SkyVault (network error). Check that it is running and try again. The account keeps its current token.',
      ],
    ] as const)('a passing failure (%s) keeps the token and says when the next try is', async (fault, message) => {
      await hourLongToken();
      const before = await skyvaultAccount();
      demo.skyvault.config.tokenFault = fault;
      await popup.click('Refresh', { within: item });
      await expect.poll(() => alertMessage(popup)).toBe(message);
      await expect.poll(itemText).toMatch(/Next try in (29|30) s/);
      const account = await skyvaultAccount();
      expect(account).toMatchObject({ accessToken: before.accessToken, refreshToken: before.refreshToken, retry: { attempt: 1 } });
      expect(await callApi()).toBe(200); // the current token is still attached

      demo.skyvault.config.tokenFault = 'none';
      await popup.click('Dismiss');
      await popup.click('Refresh', { within: item });
      await expect.poll(async () => (await skyvaultAccount()).retry).toBeUndefined();
      expect((await skyvaultAccount()).accessToken).not.toBe(account.accessToken);
      await expect.poll(itemText).not.toMatch(/Next try/);
    });

    it('a dead refresh token → needs reconnect, a badge, and Reconnect keeps the account and its site', async () => {
      const account = await skyvaultAccount();
      await revoke(account.refreshToken!, 'refresh_token');
      await popup.click('Refresh', { within: item });
      await expect.poll(() => alertMessage(popup)).toMatch(/SkyVault.*invalid_grant/);
      await expect.poll(itemText).toMatch(/needs reconnect/);
      await expect.poll(() => badgeText(popup)).toBe('1');

      await popup.click('Dismiss');
      await reconnect();
      expect(await popup.names('listitem', { role: 'list', name: 'Accounts' })).toEqual([ACCOUNT]);
      const reconnected = await skyvaultAccount();
      expect(reconnected.id).toBe(account.id);
      expect(reconnected.accessToken).not.toBe(account.accessToken);
      expect(await callApi()).toBe(200); // the approval survived, and the new token is attached
      await expect.poll(() => badgeText(popup)).toBe('');
    });
  });

  describe('a 401 on an approved call', () => {
    it('triggers one refresh, and the next call works', async () => {
      await revoke((await skyvaultAccount()).accessToken, 'access_token');
      const before = refreshes();
      expect(await callApi()).toBe(401);
      await expect.poll(refreshes).toBe(before + 1);
      await expect.poll(callApi).toBe(200);
    });

    it('does not loop when the provider keeps refusing', async () => {
      const account = await skyvaultAccount();
      await revoke(account.refreshToken!, 'refresh_token');
      await revoke(account.accessToken, 'access_token');
      const before = refreshes();
      for (let i = 0; i < 4; i++) expect(await callApi()).toBe(401);
      await expect.poll(itemText).toMatch(/needs reconnect/);
      // A loop would show as more requests later, and no state marks that none is coming: watch for a second.
      await new Promise((done) => setTimeout(done, 1_000));
      expect(refreshes()).toBe(before + 1);
    });
  });

  describe('the 401 watch', () => {
    const holdsWebRequest = () => holdsPermission(popup, 'webRequest');

    it('holds webRequest only while a site is approved (Chromium slows every request while it is held)', async () => {
      expect(await holdsWebRequest()).toBe(true);
      const options = await driver.openOptions();
      await options.click('Remove', { within: { role: 'listitem', name: demo.playground.origin } });
      await expect.poll(holdsWebRequest).toBe(false);
      await options.close();

      expect(await approveSite(driver, ACCOUNT, demo.playground.origin)).toBe(`Approved ${demo.playground.origin}.`);
      expect(await holdsWebRequest()).toBe(true);
    });

    it('watches again once re-granted, in the same background: a refused token is renewed', async () => {
      await popup.bringToFront();
      await reconnect(); // the last tests left it needing one
      await revoke((await skyvaultAccount()).accessToken, 'access_token');
      const before = refreshes();
      expect(await callApi()).toBe(401);
      await expect.poll(refreshes).toBe(before + 1);
      await expect.poll(callApi).toBe(200);
    });
  });
});
