// Flow 4 for implicit-grant accounts (ReadyCloud-like, no refresh token): renewal is a silent
// re-authorization, launchWebAuthFlow with interactive: false. It works while the provider
// remembers the consent; when it asks again, the token works until it expires and Reconnect
// gets a new one.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { Demo } from '../../demo/index';
import type { ExtensionBrowser } from '../../drive/chromium';
import type { DrivenPage } from '../../drive/driver';
import { allowReadyCloud } from '../../drive/steps';
import { connectedSetup, type ConnectedSetup } from './setup';

let setup: ConnectedSetup;
let browser: ExtensionBrowser;
let demo: Demo;
let popup: Page;
let playground: DrivenPage;
/** Every page the browser opened after the first sign-in: a consent page shown to the user would be one. */
const opened: string[] = [];

interface StoredAccount { id: string; providerId: string; accessToken: string; needsSignIn?: unknown }
const account = async () => ((await setup.driver.storage()).accounts as StoredAccount[])[0]!;
const item = () => popup.getByRole('listitem', { name: /ReadyCloud/ });
const badge = async () => (await browser.worker()).evaluate(() => chrome.action.getBadgeText({}));
const callApi = () =>
  playground.evaluate(async (u) => (await fetch(u, { cache: 'no-store' })).status, `${demo.readycloud.origin}/api/v1/orders`);
const pause = (ms: number) => new Promise((done) => setTimeout(done, ms));

beforeAll(async () => {
  // Six-second tokens: renewal runs at half-life, so several expiries pass in a test.
  setup = await connectedSetup('chromium', {
    connect: ['readycloud'],
    approve: ['ReadyCloud Account 1'],
    readycloud: { tokenLifetimeSeconds: 6, rememberConsent: true },
  });
  ({ demo, playground } = setup);
  browser = setup.driver.chromium!();
  popup = await browser.openPopup();
  browser.context.on('page', (page) => opened.push(page.url()));
});
afterAll(async () => {
  await setup?.close();
});

describe('an implicit-grant account', () => {
  it('renews silently while the provider remembers the consent: the page keeps getting 200, no window, no click', async () => {
    const first = (await account()).accessToken;
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      statuses.push(await callApi());
      await pause(3_000);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200]);
    expect((await account()).accessToken).not.toBe(first);
    expect(demo.readycloud.issued.length).toBeGreaterThanOrEqual(3);
    expect(opened.filter((url) => url.startsWith(demo.readycloud.origin))).toEqual([]);
    expect(await badge()).toBe('');
  });

  it('Refresh renews it on demand the same way', async () => {
    const before = demo.readycloud.issued.length;
    demo.readycloud.config.tokenLifetimeSeconds = 8;
    await item().getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => popup.getByRole('status').textContent()).toBe('Refreshed: a new access token is in use.');
    expect(demo.readycloud.issued.length).toBeGreaterThan(before);
  });

  it('when the provider asks for consent again: the token works until it expires, and Reconnect gets a new one', async () => {
    demo.readycloud.config.rememberConsent = false;
    const { id, accessToken } = await account();
    // The next scheduled renewal (at half of the 8 s) meets the consent page, which it cannot show.
    await expect.poll(() => item().textContent(), { timeout: 10_000 }).toContain(
      'ReadyCloud needs you to sign in again for a new token. Press Reconnect before this one expires.',
    );
    expect(await item().getByRole('button', { name: 'Reconnect' }).count()).toBe(1);
    expect(await item().getByRole('button', { name: 'Refresh' }).count()).toBe(0);
    expect(await badge()).toBe('1');
    expect((await account()).accessToken).toBe(accessToken);
    expect(await callApi()).toBe(200); // still attached, still valid
    await expect.poll(() => item().textContent(), { timeout: 10_000 }).toMatch(/expired/);

    await setup.popup.bringToFront();
    await allowReadyCloud(await setup.popup.clickForNewPage('Reconnect', { within: { role: 'listitem', name: 'ReadyCloud Account 1' } }));
    await popup.bringToFront();
    await expect.poll(() => item().textContent()).toMatch(/Account 1\s*active/);
    const reconnected = await account();
    expect(reconnected).toMatchObject({ id });
    expect(reconnected.accessToken).not.toBe(accessToken);
    expect(reconnected.needsSignIn).toBeUndefined();
    expect(await callApi()).toBe(200);
    expect(await badge()).toBe('');
  });
});
