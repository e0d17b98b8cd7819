// Renewal of implicit-grant accounts (README: Keeping tokens fresh), in Chromium and Firefox ESR:
// ReadyCloud-like, no refresh token, so renewal is a silent re-authorization (launchWebAuthFlow with
// interactive: false). It works while the provider remembers the consent; when it asks again, the
// token works until it expires and Reconnect gets a new one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../../demo/index';
import type { Driver, DrivenPage } from '../../drive/driver';
import { connectedSetup, type ConnectedSetup } from './setup';
import { accountText, badgeText, statusesAcrossRenewals } from '../../drive/steps';

const ACCOUNT = 'ReadyCloud Account 1';

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let driver: Driver;
  let demo: Demo;
  let popup: DrivenPage;
  let playground: DrivenPage;
  /** The addresses of every page the browser opened after the first sign-in: a consent page shown to the user would be one. */
  let opened: () => string[];

  interface StoredAccount {
    id: string;
    providerId: string;
    accessToken: string;
    needsSignIn?: unknown;
  }
  const account = async () => ((await driver.storage()).accounts as StoredAccount[])[0]!;
  const item = { role: 'listitem', name: ACCOUNT };
  const itemText = () => accountText(popup, ACCOUNT);
  const issued = () => demo.readycloud.issued.length;
  const callApi = () =>
    playground.evaluate(async (u) => (await fetch(u, { cache: 'no-store' })).status, `${demo.readycloud.origin}/api/v1/orders`);

  let setup: ConnectedSetup;
  beforeAll(async () => {
    // Six-second tokens: renewal runs at half-life, so several expiries pass in a test.
    setup = await connectedSetup(browserName, {
      connect: ['readycloud'],
      approve: [ACCOUNT],
      readycloud: { tokenLifetimeSeconds: 6, rememberConsent: true },
    });
    ({ driver, demo, popup, playground } = setup);
    opened = driver.recordOpenedPages();
  });
  afterAll(() => setup?.close());

  describe('an implicit-grant account', () => {
    it('renews silently while the provider remembers the consent: the page keeps getting 200, no window, no click', async () => {
      const first = (await account()).accessToken;
      // Three renewals at half-life outlast two 6-second tokens; the page calls after each one.
      const statuses = await statusesAcrossRenewals(issued, callApi);
      expect(statuses).toEqual([200, 200, 200, 200]);
      expect((await account()).accessToken).not.toBe(first);
      expect(opened().filter((url) => url.startsWith(demo.readycloud.origin))).toEqual([]);
      expect(await badgeText(popup)).toBe('');
    });

    it('Refresh renews it on demand the same way', async () => {
      const before = issued();
      demo.readycloud.config.tokenLifetimeSeconds = 8;
      await popup.click('Refresh', { within: item });
      await expect.poll(async () => (await popup.texts('status'))[0]).toBe('Refreshed: a new access token is in use.');
      expect(issued()).toBeGreaterThan(before);
    });

    it('when the provider asks for consent again: the token works until it expires, and Reconnect gets a new one', async () => {
      demo.readycloud.config.rememberConsent = false;
      const { id, accessToken } = await account();
      // The next scheduled renewal (at half of the 8 s) meets the consent page, which it cannot show.
      await expect
        .poll(itemText, { timeout: 10_000 })
        .toContain('ReadyCloud needs you to sign in again for a new token. Press Reconnect before this one expires.');
      const buttons = await popup.names('button', item);
      expect(buttons).toContain('Reconnect');
      expect(buttons).not.toContain('Refresh');
      await expect.poll(() => badgeText(popup)).toBe('1');
      expect((await account()).accessToken).toBe(accessToken);
      expect(await callApi()).toBe(200); // still attached, still valid
      await expect.poll(itemText, { timeout: 10_000 }).toMatch(/expired/);

      const windows = opened().length;
      await (await popup.clickForNewPage('Reconnect', { within: item })).click('Allow');
      expect(opened().length).toBeGreaterThan(windows); // the recorder does see a sign-in window open
      await popup.bringToFront();
      await expect.poll(itemText).toMatch(/Account 1\s*active/);
      const reconnected = await account();
      expect(reconnected).toMatchObject({ id });
      expect(reconnected.accessToken).not.toBe(accessToken);
      expect(reconnected.needsSignIn).toBeUndefined();
      expect(await callApi()).toBe(200);
      await expect.poll(() => badgeText(popup)).toBe('');
    });
  });
});
