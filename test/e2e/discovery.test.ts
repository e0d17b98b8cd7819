import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SKYVAULT_CLIENT_ID, SKYVAULT_CLIENT_SECRET, SKYVAULT_SCOPE, type Demo } from '../../demo/index';
import type { Driver } from '../../drive/driver';
import { accountText, connectDemoAccount, importProviders, signInToSkyVault } from '../../drive/steps';
import { launchWithDemo, type DemoSetup } from './setup';

/**
 * Adding a provider from its issuer URL (README: Provider JSON): Import fills the endpoints of a
 * provider given by `issuer` from the demo SkyVault's RFC 8414 metadata, the provider form's
 * Discover fills its fields, and metadata naming another issuer is refused with storage unchanged.
 * The form's Flow select also adds a device-grant provider (SkyVault's) from its own fields.
 */

const FORM = { role: 'form', name: 'Add a provider' };

interface StoredProvider {
  id: string;
  flow: string;
  authorizationUrl?: string;
  deviceAuthorizationUrl?: string;
  tokenUrl?: string;
  revocationUrl?: string;
  issuer?: string;
  clientAuth: string;
  pkce: boolean;
}

describe.each(['chromium', 'firefox'] as const)('%s: a provider added from its issuer URL', (browserName) => {
  let setup: DemoSetup;
  let driver: Driver;
  let demo: Demo;

  beforeAll(async () => {
    setup = await launchWithDemo(browserName);
    ({ driver, demo } = setup);
    // SkyVault then names itself in its metadata and sends `iss` in its answers (RFC 9207), as the imported issuer requires.
    demo.skyvault.config.issuer = demo.skyvault.origin;
  });
  afterAll(async () => {
    await setup?.close();
  });

  const metadataUrl = () => `${demo.skyvault.origin}/.well-known/oauth-authorization-server`;
  const storedProviders = async () => ((await driver.storage()).providers ?? []) as StoredProvider[];
  /** The demo's SkyVault provider given by issuer: no endpoints, no clientAuth, no pkce. */
  const byIssuer = () => {
    const skyvault = (demo.providerJson.providers as Record<string, unknown>[]).find((p) => p.id === 'skyvault')!;
    const { authorizationUrl: _a, tokenUrl: _t, revocationUrl: _r, clientAuth: _c, pkce: _p, ...rest } = skyvault;
    return { providers: [rest] };
  };

  it('Import fills the endpoints from the issuer, says where it found them, and Connect works', async () => {
    expect(await importProviders(driver, byIssuer())).toBe(`Imported: added skyvault (endpoints from ${metadataUrl()}).`);
    const origin = demo.skyvault.origin;
    expect((await storedProviders()).find((p) => p.id === 'skyvault')).toMatchObject({
      authorizationUrl: `${origin}/oauth/authorize`,
      tokenUrl: `${origin}/oauth/token`,
      revocationUrl: `${origin}/oauth/revoke`,
      issuer: origin,
      // SkyVault lists client_secret_post first, and S256.
      clientAuth: 'body',
      pkce: true,
    });
    const popup = await driver.openPopup();
    const { account } = await connectDemoAccount(popup, 'skyvault');
    expect(account).toBe('SkyVault Account 1');
    const exchange = demo.skyvault.requests.find((r) => r.path === '/oauth/token');
    expect(exchange?.params.code_verifier).toMatch(/^[\w.~-]{43,128}$/);
    await popup.close();
  });

  it('Discover fills the provider form from the Issuer URL, and Save provider keeps what the metadata says', async () => {
    const options = await driver.openOptions();
    await options.fill('Issuer URL', demo.skyvault.origin, FORM);
    await options.click('Discover', { within: FORM });
    await expect
      .poll(async () => (await options.texts('status', FORM))[0])
      .toBe(`Found the endpoints at ${metadataUrl()}. Check them, then press Save provider.`);
    expect(await options.value('Authorization URL', FORM)).toBe(`${demo.skyvault.origin}/oauth/authorize`);
    expect(await options.value('Token URL', FORM)).toBe(`${demo.skyvault.origin}/oauth/token`);
    expect((await options.texts('paragraph', FORM)).some((text) => text === 'Offered by the issuer: public_api')).toBe(true);

    await options.fill('Name', 'SkyVault EU', FORM);
    await options.fill('Client ID', 'eu-client', FORM);
    await options.fill('Client secret', SKYVAULT_CLIENT_SECRET, FORM);
    await options.fill('API base URLs', `${demo.skyvault.origin}/api/`, FORM);
    await options.click('Save provider', { within: FORM });
    await expect.poll(async () => (await options.texts('status', FORM))[0]).toBe('Saved SkyVault EU.');
    expect((await storedProviders()).find((p) => p.id === 'skyvault-eu')).toMatchObject({
      authorizationUrl: `${demo.skyvault.origin}/oauth/authorize`,
      tokenUrl: `${demo.skyvault.origin}/oauth/token`,
      revocationUrl: `${demo.skyvault.origin}/oauth/revoke`,
      issuer: demo.skyvault.origin,
      clientAuth: 'body',
      pkce: true,
    });
    await options.close();
  });

  it('metadata naming another issuer is refused, at Import and at Discover, and nothing stored changes', async () => {
    demo.skyvault.config.issuer = 'https://auth.skyvault.example';
    try {
      const before = await driver.rawStorage();
      const refused = `${metadataUrl()} names the issuer https://auth.skyvault.example, not ${demo.skyvault.origin}/: check the Issuer URL (it must be exactly the provider's issuer)`;
      const document = byIssuer();
      (document.providers[0] as Record<string, unknown>)['issuer'] = demo.skyvault.origin;
      expect(await importProviders(driver, { providers: [{ ...document.providers[0], id: 'other', name: 'Other' }] })).toBe(
        `providers[0].issuer: ${refused}. Nothing was imported.`,
      );

      const options = await driver.openOptions();
      await options.fill('Issuer URL', demo.skyvault.origin, FORM);
      await options.click('Discover', { within: FORM });
      await expect.poll(async () => (await options.texts('alert', FORM))[0]).toBe(`${refused}. Nothing was changed.`);
      expect(await options.value('Authorization URL', FORM)).toBe('');
      await options.close();
      expect(await driver.rawStorage()).toEqual(before);
    } finally {
      demo.skyvault.config.issuer = demo.skyvault.origin;
    }
  });

  it("the Flow select offers the device grant with its fields (no Authorization URL); the provider saved is connected on SkyVault's page", async () => {
    const origin = demo.skyvault.origin;
    const options = await driver.openOptions();
    await options.select('Flow', 'Device authorization (RFC 8628)', FORM);
    const fields = await options.evaluate(
      () => [...document.querySelectorAll('form[aria-label="Add a provider"] label')].map((label) => label.textContent),
      undefined,
    );
    expect(fields).toEqual(expect.arrayContaining(['Device authorization URL', 'Token URL', 'Client ID']));
    expect(fields).not.toContain('Authorization URL');
    await options.fill('Name', 'SkyVault TV', FORM);
    await options.fill('Device authorization URL', `${origin}/oauth/device`, FORM);
    await options.fill('Token URL', `${origin}/oauth/token`, FORM);
    await options.fill('Client ID', SKYVAULT_CLIENT_ID, FORM);
    await options.fill('Client secret', SKYVAULT_CLIENT_SECRET, FORM);
    await options.fill('Scopes', SKYVAULT_SCOPE, FORM);
    await options.fill('API base URLs', `${origin}/api/`, FORM);
    await options.click('Save provider', { within: FORM });
    await expect.poll(async () => (await options.texts('status', FORM))[0]).toBe('Saved SkyVault TV.');
    const stored = (await storedProviders()).find((p) => p.id === 'skyvault-tv');
    expect(stored).toMatchObject({ flow: 'device', deviceAuthorizationUrl: `${origin}/oauth/device`, tokenUrl: `${origin}/oauth/token` });
    expect(stored).not.toHaveProperty('authorizationUrl');
    await options.close();

    const popup = await driver.openPopup();
    const page = await popup.clickForNewPage('Connect SkyVault TV');
    expect(await popup.value('User code')).not.toBe('');
    await signInToSkyVault(page);
    // TokenTap's next poll (every 5 s, SkyVault's interval) gets the tokens.
    await expect.poll(() => accountText(popup, 'SkyVault TV Account 1'), { timeout: 15_000 }).toMatch(/active/);
    await popup.close();
  });
});
