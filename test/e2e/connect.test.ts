import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startDemo, type Demo } from '../../demo/index';
import { launchExtension, type ExtensionBrowser } from '../../demo/browser';
import { accountItems, allowReadyCloud, importProviders, openSignIn as openSignInWindow, signInToSkyVault } from '../../demo/drive';

let browser: ExtensionBrowser;
let demo: Demo;
let popup: Page;

beforeAll(async () => {
  browser = await launchExtension();
  demo = await startDemo({ redirectUris: [browser.redirectUrl] });
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
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

describe('options page', () => {
  it('shows the redirect URL to register', async () => {
    const options = await browser.openOptions();
    await expect.poll(() => options.getByLabel('Redirect URL', { exact: true }).inputValue()).toBe(browser.redirectUrl);
    expect(browser.redirectUrl).toMatch(/^https:\/\/[a-p]{32}\.chromiumapp\.org\/$/);
    await options.close();
  });

  it('refuses a bad provider file, naming the first bad field, and changes nothing', async () => {
    const options = await browser.openOptions();
    const before = await browser.storage();
    const bad = structuredClone(demo.providerJson) as { providers: Record<string, unknown>[] };
    delete bad.providers[1]!.tokenUrl;
    await options.getByLabel('Provider JSON').fill(JSON.stringify(bad));
    await options.getByRole('button', { name: 'Import' }).click();
    await expect.poll(() => options.getByRole('alert').textContent()).toMatch(/providers\[1\]\.tokenUrl/);
    expect(await browser.storage()).toEqual(before);
    await options.close();
  });

  it('imports both demo providers, then the popup offers to connect them', async () => {
    expect(await importProviders(browser, demo.providerJson)).toBe('Imported: added readycloud, skyvault.');
    const options = await browser.openOptions();
    await options.getByRole('button', { name: 'Export' }).click();
    const exported = await options.getByLabel('Provider JSON').inputValue();
    expect(exported).toContain('"skyvault"');
    expect(exported).not.toContain('skyvault-demo-secret');
    await options.close();

    await popup.reload();
    await expect.poll(() => popup.getByRole('button', { name: 'Connect ReadyCloud' }).isVisible()).toBe(true);
    await expect.poll(() => popup.getByRole('button', { name: 'Connect SkyVault' }).isVisible()).toBe(true);
  });
});

describe('connect', () => {
  it('ReadyCloud (implicit): Allow puts the fragment token in a new account', async () => {
    const signIn = await openSignIn('ReadyCloud');
    expect(new URL(signIn.url()).searchParams.get('response_type')).toBe('token');
    await allowReadyCloud(signIn);

    await expect.poll(() => accounts().count()).toBe(1);
    const item = accounts().first();
    await expect.poll(() => item.textContent()).toMatch(/ReadyCloud.*Account 1.*active/);
    const [account] = await storedAccounts();
    const api = await fetch(`${demo.readycloud.origin}/api/v1/orders`, { headers: { Authorization: `Bearer ${account!.accessToken}` } });
    expect(api.status).toBe(200);
    // The popup shows the time left and the granted scopes, never the token itself.
    expect(await item.textContent()).not.toContain(account!.accessToken);
  });

  it('SkyVault (code + PKCE): login, code exchange with the secret, refresh token stored', async () => {
    const signIn = await openSignIn('SkyVault');
    const authorize = new URL(signIn.url()).searchParams;
    expect(authorize.get('response_type')).toBe('code');
    expect(authorize.get('code_challenge_method')).toBe('S256');
    await signInToSkyVault(signIn);

    await expect.poll(() => accounts().count()).toBe(2);
    await expect.poll(() => accounts().nth(1).textContent()).toMatch(/SkyVault.*Account 1.*active.*(59 min|1 h).*public_api/);
    const skyvault = (await storedAccounts()).find((a) => a.providerId === 'skyvault')!;
    expect(skyvault.refreshToken).toBeTruthy();
    // The provider checked the PKCE verifier against the challenge; the secret went in the body.
    const exchange = demo.skyvault.requests.find((r) => r.path === '/oauth/token')!;
    expect(exchange.params).toMatchObject({ grant_type: 'authorization_code', client_secret: 'skyvault-demo-secret' });
    expect(exchange.params.code_verifier).toMatch(/^[\w-]{43,128}$/);
    const api = await fetch(`${demo.skyvault.origin}/api/sites`, { headers: { Authorization: `Bearer ${skyvault.accessToken}` } });
    expect(api.status).toBe(200);
    expect((await api.json()).list.pagination).toMatchObject({ skipCount: 0 });
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
    expect(await reader.evaluate(() => navigator.clipboard.readText())).toBe(first!.accessToken);
    await reader.close();
  });
});

describe('failures leave every stored account as it was', () => {
  it('Deny → a clear alert', async () => {
    const before = await browser.storage();
    const signIn = await openSignIn('ReadyCloud');
    await signIn.getByRole('button', { name: 'Deny' }).click();
    await expect.poll(() => alert().textContent()).toMatch(/^ReadyCloud denied access \(access_denied\b.*\)\. Nothing was changed\./);
    expect(await browser.storage()).toEqual(before);
  });

  it('closing the sign-in window → a clear alert', async () => {
    await alert().getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => alert().count()).toBe(0);
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
});

describe('disconnect', () => {
  it('forgets the account and revokes its tokens at the provider', async () => {
    const skyvault = (await storedAccounts()).find((a) => a.providerId === 'skyvault')!;
    await popup.getByRole('listitem', { name: /SkyVault/ }).getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => accounts().count()).toBe(1);
    expect((await storedAccounts()).map((a) => a.providerId)).toEqual(['readycloud']);
    // Revocation is best effort and runs after the account is gone: wait for the provider to see it.
    await expect
      .poll(async () => (await fetch(`${demo.skyvault.origin}/api/sites`, { headers: { Authorization: `Bearer ${skyvault.accessToken}` } })).status)
      .toBe(401);
  });
});

describe('the provider form', () => {
  it('adds a provider from its fields, and names a bad field', async () => {
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
