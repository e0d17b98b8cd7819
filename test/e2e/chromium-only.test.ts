import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { demoRedirectUris, startDemo, type Demo } from '../../demo/index';
import { launchExtension, type ExtensionBrowser } from '../../drive/chromium';
import {
  accountItems,
  allowReadyCloud,
  approveSite,
  importProviders,
  openSignIn as openSignInWindow,
  signInToSkyVault,
  stopServiceWorker,
} from '../../demo/drive';
import { startSiteServer } from './site-server';

/**
 * What only Chromium (Playwright) can show: the first run, the clipboard, closing the sign-in
 * window, the provider form, and stopping the service worker (CDP; Firefox has an event page).
 * The main job from import to disconnect runs in both browsers in both-browsers.test.ts.
 */

let browser: ExtensionBrowser;
let demo: Demo;
let site: Awaited<ReturnType<typeof startSiteServer>>;
let popup: Page;
/** The site server as the site approved for SkyVault Account 1. */
let approvedOrigin: string;

beforeAll(async () => {
  browser = await launchExtension();
  demo = await startDemo({ redirectUris: demoRedirectUris(browser.redirectUrl) });
  site = await startSiteServer();
  approvedOrigin = `http://localhost:${site.port}`;
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await site?.close();
});

const accounts = () => accountItems(popup);
const alert = () => popup.getByRole('alert');
const openSignIn = (providerName: string) => openSignInWindow(browser, popup, providerName);

async function storedAccounts(): Promise<{ accessToken: string; refreshToken?: string; providerId: string }[]> {
  return ((await browser.storage()).accounts ?? []) as never;
}

describe('first run', () => {
  it('explains how to add a provider', async () => {
    popup = await browser.openPopup();
    await expect.poll(() => popup.getByRole('heading', { name: 'Add a provider to start' }).isVisible()).toBe(true);
    expect(await popup.getByRole('button', { name: /^Connect / }).count()).toBe(0);
  });
});

describe('with the demo providers, ReadyCloud and SkyVault connected', () => {
  beforeAll(async () => {
    expect(await importProviders(browser, demo.providerJson)).toBe('Imported: added readycloud, skyvault.');
    await popup.reload();
    await allowReadyCloud(await openSignIn('ReadyCloud'));
    await accounts().first().waitFor();
    await signInToSkyVault(await openSignIn('SkyVault'));
    await accounts().nth(1).waitFor();
    expect(await approveSite(browser, 'SkyVault Account 1', approvedOrigin)).toBe(`Approved ${approvedOrigin}.`);
  });

  it('Copy token puts the access token on the clipboard', async () => {
    await popup.bringToFront();
    await accounts().first().getByRole('button', { name: 'Copy token' }).click();
    await expect.poll(() => popup.getByRole('status').textContent()).toBe('ReadyCloud token copied to the clipboard.');
    // Read the clipboard back from an ordinary page that is allowed to.
    await browser.context.grantPermissions(['clipboard-read'], { origin: demo.playground.origin });
    const reader = await browser.context.newPage();
    await reader.goto(demo.playground.origin);
    const [first] = await storedAccounts();
    expect(first!.providerId).toBe('readycloud');
    expect(await reader.evaluate(() => navigator.clipboard.readText())).toBe(first!.accessToken);
    await reader.close();
  });

  it('closing the sign-in window → a clear alert, and every stored account as it was', async () => {
    await popup.bringToFront();
    expect(await alert().count()).toBe(0);
    const before = await browser.storage();
    const signIn = await openSignIn('SkyVault');
    await signIn.close();
    await expect.poll(() => alert().textContent()).toContain('The sign-in window was closed before finishing.');
    expect(await browser.storage()).toEqual(before);
  });

  it('the alert is still there when the popup is opened again', async () => {
    await popup.reload();
    await expect.poll(() => alert().textContent()).toContain('The sign-in window was closed before finishing.');
  });

  it('injection survives the service worker being stopped', async () => {
    const page = await browser.context.newPage();
    await page.goto(`${approvedOrigin}/`);
    await stopServiceWorker(browser, popup);
    const url = `${demo.skyvault.origin}/api/sites?m=after-stop`;
    await page.evaluate((u) => fetch(u, { cache: 'no-store' }).then(() => undefined, () => undefined), url);
    const received = demo.skyvault.requests.find((r) => r.query.m === 'after-stop');
    expect(received).toBeDefined();
    const skyvault = (await storedAccounts()).find((a) => a.providerId === 'skyvault')!;
    expect(received!.headers.authorization).toBe(`Bearer ${skyvault.accessToken}`);
    await page.close();
  });

  it('the provider form adds a provider from its fields, and names a bad field', async () => {
    const options = await browser.openOptions();
    const form = options.getByRole('form', { name: 'Add a provider' });
    await form.getByLabel('Name', { exact: true }).fill('ReadyCloud Staging');
    await form.getByLabel('Flow').selectOption('implicit');
    await form.getByLabel('Authorization URL').fill('ftp://example.com/authorize');
    await form.getByLabel('Client ID').fill('readycloud-demo-app');
    await form.getByLabel('Scopes').fill('orders:read');
    await form.getByLabel('API base URLs').fill(`${demo.readycloud.origin}/api/v1/`);
    const before = await browser.storage();
    await form.getByRole('button', { name: 'Save provider' }).click();
    await expect.poll(() => form.getByRole('alert').textContent()).toMatch(/^authorizationUrl must be/);
    expect(await browser.storage()).toEqual(before);

    await form.getByLabel('Authorization URL').fill(`${demo.readycloud.origin}/oauth/authorize`);
    await form.getByRole('button', { name: 'Save provider' }).click();
    await expect.poll(() => form.getByRole('status').textContent()).toBe('Saved ReadyCloud Staging.');
    await options.close();
    await popup.reload();
    await expect.poll(() => popup.getByRole('button', { name: 'Connect ReadyCloud Staging' }).isVisible()).toBe(true);
  });
});
