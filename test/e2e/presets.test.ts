// Add from preset, end to end in both browsers: the Keycloak preset added on the options page like a
// person would, against the real OpenID provider oidc-provider mounted where Keycloak serves a realm
// (`{base}/realms/{realm}`, with Keycloak's route names), then connected in the popup, and its
// token attached to an approved page's API call; a bad field is refused and stores nothing; the
// generic OpenID Connect preset gets the same realm's endpoints from its discovery document.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, type Driver, type DrivenPage } from '../../drive/driver';
import { accountText, addFromPreset, approveSite, connectAccount, presetRedirectUrl, signInToOidcProvider } from '../../drive/steps';
import { PRESETS } from '../../src/providers/presets';
import { OIDC_USER, startOidcServer, type OidcServer } from './oidc-server';
import { startSiteServer, type SiteServer } from './site-server';

const KEYCLOAK = PRESETS.find((preset) => preset.id === 'keycloak')!;
const REALM = 'dev';
/** Keycloak's endpoints under a realm (its OpenID Connect discovery document lists these). */
const KEYCLOAK_ROUTES = {
  authorization: '/protocol/openid-connect/auth',
  token: '/protocol/openid-connect/token',
  revocation: '/protocol/openid-connect/revoke',
  userinfo: '/protocol/openid-connect/userinfo',
};
const CLIENT_ID = 'tokentap';
const CLIENT_SECRET = 'tokentap-secret-0123456789abcdef';
const ACCOUNT = 'Keycloak Account 1';

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let driver: Driver;
  let oidc: OidcServer;
  let site: SiteServer;
  let options: DrivenPage;
  let popup: DrivenPage;

  /** The Keycloak preset's fields by label, with `realm` as the Realm: the API base URL holds the userinfo endpoint, our API here. */
  const keycloakFields = (realm: string): Record<string, string> => {
    const base = new URL(oidc.issuer).origin;
    const byKey: Record<string, string> = { base, realm, api: `${oidc.issuer}/protocol/openid-connect` };
    const fields = Object.fromEntries(KEYCLOAK.inputs.map((input) => [input.label, byKey[input.key] ?? `no value for ${input.key}`]));
    return { ...fields, 'Client ID': CLIENT_ID, 'Client secret': CLIENT_SECRET };
  };
  /** What oidc-provider's userinfo answered a `fetch` from `page` with (no-cors: the page cannot read it, the provider saw it). */
  const userinfoCallFrom = async (page: DrivenPage) => {
    const before = oidc.userinfoCalls.length;
    await page.evaluate((url) => fetch(url, { mode: 'no-cors', cache: 'no-store' }).then(() => undefined), oidc.userinfoUrl);
    expect(oidc.userinfoCalls.length).toBe(before + 1);
    return oidc.userinfoCalls[before]!;
  };

  beforeAll(async () => {
    driver = await drivers[browserName]();
    [oidc, site] = await Promise.all([
      startOidcServer(
        [
          {
            clientId: CLIENT_ID,
            clientSecret: CLIENT_SECRET,
            authMethod: 'client_secret_post',
            // Registered first, as the options page tells the user to.
            redirectUri: driver.redirectUrlFor(KEYCLOAK.id),
            scope: 'openid',
          },
        ],
        { mountPath: `/realms/${REALM}`, routes: KEYCLOAK_ROUTES },
      ),
      startSiteServer(),
    ]);
    options = await driver.openOptions();
  });

  afterAll(async () => {
    await driver?.close();
    await Promise.all([oidc?.close(), site?.close()]);
  });

  it('shows the redirect URL the Keycloak provider will have before it is added', async () => {
    expect(await presetRedirectUrl(options, 'Keycloak')).toBe(driver.redirectUrlFor('keycloak'));
    expect((await driver.storage()).providers ?? []).toEqual([]);
  });

  it('adds Keycloak from its base URL, realm and client, at the realm issuer oidc-provider is mounted on', async () => {
    expect(await addFromPreset(options, 'Keycloak', keycloakFields(REALM))).toBe(
      'Added Keycloak. Register its redirect URL at the provider if you have not yet, then press Connect Keycloak in the popup.',
    );
    const [provider] = (await driver.storage()).providers as Record<string, unknown>[];
    expect(provider).toMatchObject({
      id: 'keycloak',
      name: 'Keycloak',
      issuer: oidc.issuer,
      authorizationUrl: oidc.authorizationUrl,
      tokenUrl: oidc.tokenUrl,
      revocationUrl: oidc.revocationUrl,
      clientId: CLIENT_ID,
    });
  });

  it('connects through oidc-provider sign-in, and the account is active', async () => {
    popup = await driver.openPopup();
    expect((await connectAccount(popup, 'Keycloak', (signIn) => signInToOidcProvider(signIn, OIDC_USER))).account).toBe(ACCOUNT);
    await expect.poll(() => accountText(popup, ACCOUNT)).toMatch(/active/);
    expect(oidc.errors).toEqual([]);
  });

  it("attaches the account's token to an approved page's call to the API base URL, and to no other site's", async () => {
    const approved = `http://localhost:${site.port}`;
    expect(await approveSite(driver, ACCOUNT, approved)).toBe(`Approved ${approved}.`);
    const { accessToken } = ((await driver.storage()).accounts as { accessToken: string }[])[0]!;
    const page = await driver.openPage(`${approved}/`);
    await expect.poll(async () => (await userinfoCallFrom(page)).status).toBe(200);
    expect(await userinfoCallFrom(page)).toEqual({ authorization: `Bearer ${accessToken}`, status: 200 });
    const other = await driver.openPage(`http://127.0.0.1:${site.port}/`);
    expect(await userinfoCallFrom(other)).toEqual({ authorization: '', status: 401 });
    await Promise.all([page.close(), other.close()]);
  });

  it('refuses a realm that is not one path segment, naming Realm, and stores nothing', async () => {
    const before = await driver.storage();
    // Its id is taken now: a second Keycloak would be keycloak-2, with that redirect URL.
    expect(await presetRedirectUrl(options, 'Keycloak')).toBe(driver.redirectUrlFor('keycloak-2'));
    const message = await addFromPreset(options, 'Keycloak', keycloakFields('a/b'));
    expect(message).toMatch(/^Realm: /);
    expect(message).toMatch(/Nothing was added\.$/);
    expect((await options.texts('alert', { role: 'form', name: 'Add from preset' })).length).toBe(1);
    expect(await driver.storage()).toEqual(before);
  });

  it("adds the generic OpenID Connect preset from the realm's issuer URL, its endpoints discovered from the metadata", async () => {
    const generic = PRESETS.find((preset) => preset.id === 'openid')!;
    const byKey: Record<string, string> = { issuer: oidc.issuer, api: `${oidc.issuer}/protocol/openid-connect` };
    const fields = Object.fromEntries(generic.inputs.map((input) => [input.label, byKey[input.key] ?? `no value for ${input.key}`]));
    expect(await addFromPreset(options, generic.name, { ...fields, 'Client ID': CLIENT_ID })).toBe(
      `Added ${generic.name} (endpoints from ${oidc.issuer}/.well-known/openid-configuration). Register its redirect URL at the provider if you have not yet, then press Connect ${generic.name} in the popup.`,
    );
    const added = ((await driver.storage()).providers as Record<string, unknown>[]).find((provider) => provider['id'] === generic.id);
    expect(added).toMatchObject({ issuer: oidc.issuer, authorizationUrl: oidc.authorizationUrl, tokenUrl: oidc.tokenUrl, clientId: CLIENT_ID });
  });
});
