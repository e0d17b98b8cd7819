import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { SKYVAULT_CLIENT_ID, SKYVAULT_CLIENT_SECRET, type Demo } from '../../demo/index';
import type { ExtensionBrowser } from '../../drive/chromium';
import type { Driver, DrivenPage } from '../../drive/driver';
import { approveSite, signInToSkyVault } from '../../drive/steps';
import { connectedSetup, type ConnectedSetup } from './setup';

let setup: ConnectedSetup;
let driver: Driver;
let browser: ExtensionBrowser;
let demo: Demo;
let popup: Page;
let playground: DrivenPage;

interface StoredAccount { id: string; providerId: string; accessToken: string; refreshToken?: string; refreshExpiresAt?: number; retry?: unknown }
const skyvaultAccount = async () =>
  ((await browser.storage()).accounts as StoredAccount[]).find((a) => a.providerId === 'skyvault')!;
const tokenRequests = (grant: string) => demo.skyvault.requests.filter((r) => r.path === '/oauth/token' && r.params.grant_type === grant);
const item = () => popup.getByRole('listitem', { name: /SkyVault/ });
/** Kills a token at the provider, as an admin or a leaked-token response would. */
const revoke = (token: string, hint: 'access_token' | 'refresh_token') =>
  fetch(`${demo.skyvault.origin}/oauth/revoke`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, token_type_hint: hint, client_id: SKYVAULT_CLIENT_ID, client_secret: SKYVAULT_CLIENT_SECRET }),
  });

/** What the playground page gets from the SkyVault API, the token attached by TokenTap or not. */
const callApi = () =>
  playground.evaluate(async (u) => (await fetch(u, { cache: 'no-store' })).status, `${demo.skyvault.origin}/api/sites`);

/** Reconnect in the popup, through the shared steps, and the demo user's sign-in. */
async function reconnect(): Promise<void> {
  await setup.popup.bringToFront();
  await signInToSkyVault(await setup.popup.clickForNewPage('Reconnect', { within: { role: 'listitem', name: 'SkyVault Account 1' } }));
  await popup.bringToFront();
}

beforeAll(async () => {
  // Six-second access tokens: renewal runs at half-life, so several expiries pass in a test.
  setup = await connectedSetup('chromium', { connect: ['skyvault'], approve: ['SkyVault Account 1'], skyvault: { accessTokenLifetimeSeconds: 6 } });
  ({ driver, demo, playground } = setup);
  browser = driver.chromium!();
  popup = await browser.openPopup();
});
afterAll(async () => {
  await setup?.close();
});
afterEach(() => {
  demo.skyvault.config.tokenFault = 'none'; // a failed test must not spoil the next ones
});

describe('scheduled refresh', () => {
  it('keeps the approved page answering 200 across several expiries, without a click', async () => {
    const first = (await skyvaultAccount()).accessToken;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(await callApi());
      await new Promise((done) => setTimeout(done, 3_000));
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect((await skyvaultAccount()).accessToken).not.toBe(first);
    expect(tokenRequests('refresh_token').length).toBeGreaterThanOrEqual(2);
  });

  it('shows the refresh token lifetime the provider states', async () => {
    await expect.poll(() => item().textContent()).toMatch(/refresh token: (6 d 23 h|7 d)/);
  });

  it('survives the service worker being stopped', async () => {
    const cdp = await browser.context.newCDPSession(popup);
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    const before = tokenRequests('refresh_token').length;
    // The next renewal is an alarm: it wakes the worker, which has no timer of its own left.
    await expect.poll(() => tokenRequests('refresh_token').length, { timeout: 15_000 }).toBeGreaterThan(before);
    expect(await callApi()).toBe(200);
  });

  it('replaces a rotated refresh token', async () => {
    demo.skyvault.config.rotateRefreshTokens = true;
    const old = (await skyvaultAccount()).refreshToken;
    await expect.poll(async () => (await skyvaultAccount()).refreshToken, { timeout: 15_000 }).not.toBe(old);
    expect(await callApi()).toBe(200);
    demo.skyvault.config.rotateRefreshTokens = false;
  });
});

describe('refresh failures', () => {
  it('Refresh shares one request when pressed twice', async () => {
    const before = tokenRequests('refresh_token').length;
    const refresh = item().getByRole('button', { name: 'Refresh' });
    await Promise.all([refresh.click(), refresh.click()]);
    await expect.poll(() => popup.getByRole('status').textContent()).toBe('Refreshed: a new access token is in use.');
    expect(tokenRequests('refresh_token').length - before).toBeLessThanOrEqual(2);
  });

  it.each([
    ['http500', "SkyVault's token endpoint answered HTTP 500. Try again later. The account keeps its current token."],
    ['dropConnection', 'Could not reach SkyVault (network error). Check that it is running and try again. The account keeps its current token.'],
  ] as const)('a passing failure (%s) keeps the token and says when the next try is', async (fault, message) => {
    demo.skyvault.config.accessTokenLifetimeSeconds = 3600; // no scheduled renewals from here on
    await item().getByRole('button', { name: 'Refresh' }).click(); // an hour-long token now
    await expect.poll(() => popup.getByRole('status').textContent()).toBe('Refreshed: a new access token is in use.');
    const before = await driver.storage();
    demo.skyvault.config.tokenFault = fault;
    await item().getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => popup.getByRole('alert').locator('p').textContent()).toBe(message);
    await expect.poll(() => item().textContent()).toMatch(/Next try in (29|30) s/);
    const account = await skyvaultAccount();
    const { accounts: [was] } = before as { accounts: StoredAccount[] };
    expect(account).toMatchObject({ accessToken: was!.accessToken, refreshToken: was!.refreshToken, retry: { attempt: 1 } });
    expect(await callApi()).toBe(200); // the current token is still attached

    demo.skyvault.config.tokenFault = 'none';
    await popup.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();
    await item().getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(async () => (await skyvaultAccount()).retry).toBeUndefined();
    expect((await skyvaultAccount()).accessToken).not.toBe(account.accessToken);
    await expect.poll(() => item().textContent()).not.toMatch(/Next try/);
  });

  it('a dead refresh token → needs reconnect, a badge, and Reconnect keeps the account and its site', async () => {
    const account = await skyvaultAccount();
    await revoke(account.refreshToken!, 'refresh_token');
    await item().getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => popup.getByRole('alert').textContent()).toMatch(/SkyVault.*invalid_grant/);
    await expect.poll(() => item().textContent()).toMatch(/needs reconnect/);
    const worker = await browser.worker();
    expect(await worker.evaluate(() => chrome.action.getBadgeText({}))).toBe('1');

    await popup.getByRole('alert').getByRole('button', { name: 'Dismiss' }).click();
    await reconnect();
    await expect.poll(() => item().textContent()).toMatch(/Account 1.*active/);
    expect(await popup.getByRole('list', { name: 'Accounts' }).getByRole('listitem').count()).toBe(1);
    const reconnected = await skyvaultAccount();
    expect(reconnected.id).toBe(account.id);
    expect(reconnected.accessToken).not.toBe(account.accessToken);
    expect(await callApi()).toBe(200); // the approval survived, and the new token is attached
    expect(await (await browser.worker()).evaluate(() => chrome.action.getBadgeText({}))).toBe('');
  });
});

describe('a 401 on an approved call', () => {
  it('triggers one refresh, and the next call works', async () => {
    const account = await skyvaultAccount();
    await revoke(account.accessToken, 'access_token');
    const before = tokenRequests('refresh_token').length;
    expect(await callApi()).toBe(401);
    await expect.poll(() => tokenRequests('refresh_token').length).toBe(before + 1);
    await expect.poll(callApi).toBe(200);
  });

  it('does not loop when the provider keeps refusing', async () => {
    const account = await skyvaultAccount();
    await revoke(account.refreshToken!, 'refresh_token');
    await revoke(account.accessToken, 'access_token');
    const before = tokenRequests('refresh_token').length;
    for (let i = 0; i < 4; i++) expect(await callApi()).toBe(401);
    await expect.poll(() => item().textContent()).toMatch(/needs reconnect/);
    await new Promise((done) => setTimeout(done, 1_000));
    expect(tokenRequests('refresh_token').length).toBe(before + 1);
  });
});

describe('the 401 watch', () => {
  const holdsWebRequest = () => popup.evaluate(() => chrome.permissions.contains({ permissions: ['webRequest'] }));

  it('holds webRequest only while a site is approved (Chromium slows every request while it is held)', async () => {
    expect(await holdsWebRequest()).toBe(true);
    const options = await browser.openOptions();
    const section = options.getByRole('region', { name: 'SkyVault Account 1' });
    await section.getByRole('listitem').filter({ hasText: demo.playground.origin }).getByRole('button', { name: 'Remove' }).click();
    await expect.poll(holdsWebRequest).toBe(false);
    await options.close();

    expect(await approveSite(driver, 'SkyVault Account 1', demo.playground.origin)).toBe(`Approved ${demo.playground.origin}.`);
    expect(await holdsWebRequest()).toBe(true);
  });

  it('watches again once re-granted, in the same worker: a refused token is renewed', async () => {
    await reconnect(); // the last test left it needing one
    await expect.poll(() => item().textContent()).toMatch(/Account 1\s*active/);
    await revoke((await skyvaultAccount()).accessToken, 'access_token');
    const before = tokenRequests('refresh_token').length;
    expect(await callApi()).toBe(401);
    await expect.poll(() => tokenRequests('refresh_token').length).toBe(before + 1);
    await expect.poll(callApi).toBe(200);
  });
});
