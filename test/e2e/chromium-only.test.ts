import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READYCLOUD_CLIENT_ID, type Demo } from '../../demo/index';
import type { ExtensionBrowser } from '../../drive/chromium';
import type { Driver, DrivenPage } from '../../drive/driver';
import { accountNames, approveSite, connectDemoAccount, importProviders } from '../../drive/steps';
import { launchWithDemo, type DemoSetup } from './setup';

/**
 * Run in Chromium only: the first run, closing the sign-in window, the provider form, and stopping
 * the service worker (CDP; Firefox has an event page). The main job from import to disconnect runs
 * in both browsers in both-browsers.test.ts, Copy token in details.test.ts.
 */

let setup: DemoSetup;
let driver: Driver;
/** The Playwright browser underneath, for the service worker. */
let browser: ExtensionBrowser;
let demo: Demo;
let popup: DrivenPage;

beforeAll(async () => {
  setup = await launchWithDemo('chromium');
  ({ driver, demo } = setup);
  browser = driver.chromium!();
});
afterAll(async () => {
  await setup?.close();
});

const alertText = async () => (await popup.texts('alert'))[0];

async function storedAccounts(): Promise<{ accessToken: string; refreshToken?: string; providerId: string }[]> {
  return ((await driver.storage()).accounts ?? []) as never;
}

describe('first run', () => {
  it('explains how to add a provider', async () => {
    popup = await driver.openPopup();
    await expect.poll(() => popup.texts('heading')).toContain('Add a provider to start');
    expect((await popup.names('button')).filter((name) => name.startsWith('Connect '))).toEqual([]);
  });
});

describe('with the demo providers, ReadyCloud and SkyVault connected', () => {
  beforeAll(async () => {
    expect(await importProviders(driver, demo.providerJson)).toBe('Imported: added readycloud, skyvault.');
    await popup.reload();
    await connectDemoAccount(popup, 'readycloud');
    await connectDemoAccount(popup, 'skyvault');
    expect(await accountNames(popup)).toEqual(['ReadyCloud Account 1', 'SkyVault Account 1']);
    expect(await approveSite(driver, 'SkyVault Account 1', demo.playground.origin)).toBe(`Approved ${demo.playground.origin}.`);
  });

  it('closing the sign-in window → a clear alert, and every stored account as it was', async () => {
    await popup.bringToFront();
    expect(await popup.texts('alert')).toEqual([]);
    const before = await driver.storage();
    const signIn = await popup.clickForNewPage('Connect SkyVault');
    await signIn.close();
    await expect.poll(alertText).toContain('The sign-in window was closed before finishing.');
    expect(await driver.storage()).toEqual(before);
  });

  it('the alert is still there when the popup is opened again', async () => {
    await popup.reload();
    await expect.poll(alertText).toContain('The sign-in window was closed before finishing.');
  });

  it('injection survives the service worker being stopped', async () => {
    const page = await driver.openPage(`${demo.playground.origin}/`);
    await browser.stopServiceWorker();
    const url = `${demo.skyvault.origin}/api/sites?m=after-stop`;
    await page.evaluate(
      (u) =>
        fetch(u, { cache: 'no-store' }).then(
          () => undefined,
          () => undefined,
        ),
      url,
    );
    const received = demo.skyvault.requests.find((r) => r.query.m === 'after-stop');
    expect(received).toBeDefined();
    const skyvault = (await storedAccounts()).find((a) => a.providerId === 'skyvault')!;
    expect(received!.headers.authorization).toBe(`Bearer ${skyvault.accessToken}`);
    await page.close();
  });

  it('the provider form adds a provider from its fields, and names a bad field', async () => {
    const options = await driver.openOptions();
    const form = { role: 'form', name: 'Add a provider' };
    await options.fill('Name', 'ReadyCloud Staging', form);
    await options.select('Flow', 'Implicit (token in the redirect)', form);
    await options.fill('Authorization URL', 'ftp://example.com/authorize', form);
    await options.fill('Client ID', READYCLOUD_CLIENT_ID, form);
    await options.fill('Scopes', 'orders:read', form);
    await options.fill('API base URLs', `${demo.readycloud.origin}/api/v1/`, form);
    const before = await driver.storage();
    await options.click('Save provider', { within: form });
    await expect.poll(async () => (await options.texts('alert', form))[0]).toMatch(/^authorizationUrl must be/);
    expect(await driver.storage()).toEqual(before);

    await options.fill('Authorization URL', `${demo.readycloud.origin}/oauth/authorize`, form);
    await options.click('Save provider', { within: form });
    await expect.poll(async () => (await options.texts('status', form))[0]).toBe('Saved ReadyCloud Staging.');
    await options.close();
    await popup.reload();
    await expect.poll(() => popup.names('button')).toContain('Connect ReadyCloud Staging');
  });
});
