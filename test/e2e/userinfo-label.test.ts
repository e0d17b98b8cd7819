// The default label from userinfo in both browsers (README "Account labels"): oidc-provider puts
// the `email` claim only at its userinfo endpoint, so the id_token names nobody; TokenTap asks the
// userinfo endpoint (found by discovery) once with the new access token, and labels the account by
// that email. A userinfo endpoint that fails leaves "Account 1" and the Connect succeeds.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, type Driver, type DrivenPage } from '../../drive/driver';
import { connectAccount, importProviders, signInToOidcProvider, storedAccountOf } from '../../drive/steps';
import { OIDC_IDENTITY_SCOPES, OIDC_SCOPE, OIDC_USER, oidcEmail, startOidcServer, type OidcServer } from './oidc-server';

const FOUND = { id: 'oidc', name: 'OIDC' } as const;
const BROKEN = { id: 'oidc-broken', name: 'OIDC Broken' } as const;
const CLIENT = {
  clientSecret: 'userinfo-secret-0123456789abcdef',
  authMethod: 'client_secret_basic',
  scope: [OIDC_SCOPE, ...OIDC_IDENTITY_SCOPES].join(' '),
} as const;

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let driver: Driver;
  let oidc: OidcServer;
  let popup: DrivenPage;
  const signIn = (page: DrivenPage) => signInToOidcProvider(page, OIDC_USER);

  beforeAll(async () => {
    driver = await drivers[browserName]();
    oidc = await startOidcServer(
      [FOUND, BROKEN].map(({ id }) => ({ ...CLIENT, clientId: `${id}-client`, redirectUri: driver.redirectUrlFor(id) })),
      { emailAtUserinfoOnly: true },
    );
    const common = {
      flow: 'code',
      clientSecret: CLIENT.clientSecret,
      clientAuth: 'basic',
      scopes: [OIDC_SCOPE, ...OIDC_IDENTITY_SCOPES],
      apiBaseUrls: [`${oidc.issuer}/api/`],
    };
    const providers = [
      // By issuer alone: discovery fills the endpoints, the userinfo URL among them.
      { ...FOUND, ...common, issuer: oidc.issuer, clientId: `${FOUND.id}-client` },
      {
        ...BROKEN,
        ...common,
        issuer: oidc.issuer,
        authorizationUrl: oidc.authorizationUrl,
        tokenUrl: oidc.tokenUrl,
        userinfoUrl: `${oidc.issuer}/no-such-userinfo`,
        clientId: `${BROKEN.id}-client`,
      },
    ];
    expect(await importProviders(driver, { providers })).toMatch(/^Imported: /);
    popup = await driver.openPopup();
  });

  afterAll(async () => {
    await driver?.close();
    await oidc?.close();
  });

  it("the userinfo URL comes from the issuer's metadata, and the account is labelled by the email userinfo names", async () => {
    const stored = ((await driver.storage()).providers as { id: string; userinfoUrl?: string }[]).find((p) => p.id === FOUND.id);
    expect(stored?.userinfoUrl).toBe(oidc.userinfoUrl);
    expect((await connectAccount(popup, FOUND.name, signIn)).account).toBe(`${FOUND.name} ${oidcEmail(OIDC_USER)}`);
    const account = (await storedAccountOf(driver, FOUND.id))!;
    // The id_token names nobody (only `sub`): the label came from the one userinfo call, made with the new access token.
    expect(account.idToken).toBeDefined();
    expect(oidc.userinfoCalls).toEqual([{ authorization: `Bearer ${account.accessToken}`, status: 200 }]);
    expect(oidc.errors).toEqual([]);
  });

  it('a userinfo endpoint that fails leaves "Account 1", and the Connect succeeds', async () => {
    expect((await connectAccount(popup, BROKEN.name, signIn)).account).toBe(`${BROKEN.name} Account 1`);
    expect((await storedAccountOf(driver, BROKEN.id))?.accessToken).toBeTruthy();
    expect(oidc.userinfoCalls.length).toBe(1);
  });
});
