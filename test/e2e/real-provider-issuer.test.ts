// Adding a real provider by its issuer URL alone (README: Provider JSON, adding a provider from an
// issuer URL), in both browsers: oidc-provider advertises `iss` in its metadata and sends it, so its
// providers require it; the demo SkyVault without a configured issuer neither advertises nor sends
// `iss`, so its provider accepts answers without it, while one that requires `iss` refuses them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../../demo/index';
import type { Driver, DrivenPage } from '../../drive/driver';
import type { Provider } from '../../src/providers/model';
import {
  accountText,
  alertMessage,
  connectAccount,
  connectDemoAccount,
  importProviders,
  signInToOidcProvider,
  signInToSkyVault,
} from '../../drive/steps';
import { OIDC_SCOPE, OIDC_USER, startOidcServer, type OidcClient, type OidcServer } from './oidc-server';
import { launchWithDemo, type DemoSetup } from './setup';

const FORM = { role: 'form', name: 'Add a provider' };
/** One client added by Import, one by the provider form (its id comes from its name). */
const IMPORTED = { providerId: 'oidc-import', name: 'OIDC Import' } as const;
const FORMED = { providerId: 'oidc-form', name: 'OIDC Form' } as const;

type StoredAccount = { providerId: string; accessToken: string; refreshToken?: string };

describe.each(['chromium', 'firefox'] as const)('%s: a real provider added by its issuer URL', (browserName) => {
  let setup: DemoSetup;
  let driver: Driver;
  let demo: Demo;
  let oidc: OidcServer;
  let clients: Record<string, OidcClient>;
  let popup: DrivenPage;

  const storedProvider = async (id: string) => ((await driver.storage()).providers as Provider[] | undefined)?.find((p) => p.id === id);
  const storedAccount = async (providerId: string) =>
    ((await driver.storage()).accounts as StoredAccount[] | undefined)?.find((account) => account.providerId === providerId);
  const tokenPosts = () => oidc.posts.filter((post) => post.path === new URL(oidc.tokenUrl).pathname);
  // oidc-provider serves RFC 8414's document as well as OpenID Connect's, so discovery reads the first.
  const oidcMetadataUrl = () => `${oidc.issuer}/.well-known/oauth-authorization-server`;

  /** What discovery stores from oidc-provider's metadata: its endpoints, `iss` required, HTTP Basic (its first method), PKCE. */
  const expectOidcProviderStored = async (providerId: string) =>
    expect(await storedProvider(providerId)).toMatchObject({
      authorizationUrl: oidc.authorizationUrl,
      tokenUrl: oidc.tokenUrl,
      revocationUrl: oidc.revocationUrl,
      issuer: oidc.issuer,
      requireIss: true,
      clientAuth: 'basic',
      pkce: true,
    });
  /** Connect in the popup through oidc-provider's sign-in: the code exchange is accepted and the token is live there. */
  const connectsAtOidcProvider = async (providerId: string, name: string) => {
    const before = tokenPosts().length;
    const { account } = await connectAccount(popup, name, (signIn) => signInToOidcProvider(signIn, OIDC_USER));
    expect(account).toBe(`${name} Account 1`);
    await expect.poll(() => accountText(popup, account)).toMatch(/active/);
    expect(tokenPosts().slice(before)).toEqual([{ path: '/token', origin: '' }]);
    expect(await oidc.holds((await storedAccount(providerId))!.accessToken)).toBe(true);
    expect(oidc.errors).toEqual([]);
  };

  beforeAll(async () => {
    setup = await launchWithDemo(browserName);
    ({ driver, demo } = setup);
    clients = Object.fromEntries(
      [IMPORTED, FORMED].map(({ providerId }) => [
        providerId,
        {
          clientId: `${providerId}-client`,
          clientSecret: `${providerId}-secret-0123456789abcdef`,
          // The first method oidc-provider's metadata lists, which discovery picks.
          authMethod: 'client_secret_basic',
          redirectUri: driver.redirectUrlFor(providerId),
        },
      ]),
    );
    oidc = await startOidcServer(Object.values(clients));
    popup = await driver.openPopup();
  });
  afterAll(async () => {
    await setup?.close();
    await oidc?.close();
  });

  it('Import with only the issuer fills the endpoints from the metadata, requires iss, and Connect works', async () => {
    const client = clients[IMPORTED.providerId]!;
    const provider = {
      id: IMPORTED.providerId,
      name: IMPORTED.name,
      flow: 'code',
      issuer: oidc.issuer,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      scopes: [OIDC_SCOPE],
      apiBaseUrls: [`${oidc.issuer}/api/`],
    };
    expect(await importProviders(driver, { providers: [provider] })).toBe(
      `Imported: added ${IMPORTED.providerId} (endpoints from ${oidcMetadataUrl()}).`,
    );
    await expectOidcProviderStored(IMPORTED.providerId);
    await connectsAtOidcProvider(IMPORTED.providerId, IMPORTED.name);
  });

  it('the provider form: Issuer URL, Discover, the rest by hand, Save provider, and Connect works', async () => {
    const client = clients[FORMED.providerId]!;
    const options = await driver.openOptions();
    await options.fill('Issuer URL', oidc.issuer, FORM);
    await options.click('Discover', { within: FORM });
    await expect
      .poll(async () => (await options.texts('status', FORM))[0])
      .toBe(`Found the endpoints at ${oidcMetadataUrl()}. Check them, then press Save provider.`);
    expect(await options.value('Authorization URL', FORM)).toBe(oidc.authorizationUrl);
    expect(await options.value('Token URL', FORM)).toBe(oidc.tokenUrl);
    expect(
      (await options.texts('paragraph', FORM)).some((text) => text.startsWith('Offered by the issuer: ') && text.includes(OIDC_SCOPE)),
    ).toBe(true);

    await options.fill('Name', FORMED.name, FORM);
    await options.fill('Client ID', client.clientId, FORM);
    await options.fill('Client secret', client.clientSecret, FORM);
    await options.fill('Scopes', OIDC_SCOPE, FORM);
    await options.fill('API base URLs', `${oidc.issuer}/api/`, FORM);
    await options.click('Save provider', { within: FORM });
    await expect.poll(async () => (await options.texts('status', FORM))[0]).toBe(`Saved ${FORMED.name}.`);
    await options.close();
    await expectOidcProviderStored(FORMED.providerId);
    await connectsAtOidcProvider(FORMED.providerId, FORMED.name);
  });

  it('a server that neither advertises nor sends iss: required, Connect is refused; discovered, it connects', async () => {
    // Without a configured issuer the demo SkyVault names its origin in its metadata, with
    // authorization_response_iss_parameter_supported false, and sends no `iss`.
    expect(demo.skyvault.config.issuer).toBeUndefined();
    const skyvault = (demo.providerJson.providers as Record<string, unknown>[]).find((p) => p.id === 'skyvault')!;
    const { authorizationUrl: _a, tokenUrl: _t, revocationUrl: _r, clientAuth: _c, pkce: _p, ...rest } = skyvault;
    const byIssuer = { ...rest, issuer: demo.skyvault.origin };
    const metadataUrl = `${demo.skyvault.origin}/.well-known/oauth-authorization-server`;

    // What every provider with an issuer did before requireIss: the answer without `iss` is refused.
    expect(await importProviders(driver, { providers: [{ ...byIssuer, requireIss: true }] })).toBe(
      `Imported: added skyvault (endpoints from ${metadataUrl}).`,
    );
    const before = await driver.rawStorage();
    await signInToSkyVault(await popup.clickForNewPage('Connect SkyVault'));
    await expect
      .poll(() => alertMessage(popup))
      .toBe(
        `SkyVault's answer had no "iss", which its settings require; it was ignored. If SkyVault never sends one, add it again from its issuer URL, or set "requireIss": false in its Provider JSON. Nothing was changed.`,
      );
    await popup.click('Dismiss');
    expect(await driver.rawStorage()).toEqual(before);

    expect(await importProviders(driver, { providers: [byIssuer] })).toBe(`Imported: updated skyvault (endpoints from ${metadataUrl}).`);
    expect(await storedProvider('skyvault')).toMatchObject({ issuer: demo.skyvault.origin, requireIss: false });
    const { account } = await connectDemoAccount(popup, 'skyvault');
    expect(account).toBe('SkyVault Account 1');
    await expect.poll(() => accountText(popup, account)).toMatch(/active/);

    // The form does not show requireIss: an edit that keeps the issuer keeps it too.
    const options = await driver.openOptions();
    await options.select('Edit', 'SkyVault');
    const editing = { role: 'form', name: 'Edit SkyVault' };
    await expect.poll(() => options.value('Issuer URL', editing)).toBe(demo.skyvault.origin);
    await options.fill('Name', 'SkyVault by issuer', editing);
    await options.click('Save provider', { within: editing });
    // Once saved, the form is back to adding a provider, with the status.
    await expect.poll(async () => (await options.texts('status', FORM))[0]).toBe('Saved SkyVault by issuer.');
    await options.close();
    expect(await storedProvider('skyvault')).toMatchObject({ name: 'SkyVault by issuer', requireIss: false });
  });
});
