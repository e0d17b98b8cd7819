// A real OpenID provider, the npm package oidc-provider with its default CORS policy, in both
// browsers: it refuses a confidential client's token request that carries an `Origin`, so Connect,
// Refresh and Disconnect work only because TokenTap's own token requests carry none (README
// "Token requests carry no Origin"), while a web page's request to the same endpoint keeps its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, type Driver, type DrivenPage } from '../../drive/driver';
import { accountText, connectAccount, importProviders, signInToOidcProvider, storedAccountOf } from '../../drive/steps';
import { OIDC_SCOPE, OIDC_USER, startOidcServer, type OidcClient, type OidcServer } from './oidc-server';
import { startSiteServer, type SiteServer } from './site-server';

/** One client per way of sending the secret: in the form body, and as HTTP Basic. */
const CLIENTS = [
  { providerId: 'oidc-body', name: 'OIDC Body', clientAuth: 'body', authMethod: 'client_secret_post' },
  { providerId: 'oidc-basic', name: 'OIDC Basic', clientAuth: 'basic', authMethod: 'client_secret_basic' },
] as const;

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let driver: Driver;
  let oidc: OidcServer;
  let site: SiteServer;
  let popup: DrivenPage;

  const storedAccount = (providerId: string) => storedAccountOf(driver, providerId);
  const tokenPosts = () => oidc.posts.filter((post) => post.path === new URL(oidc.tokenUrl).pathname);

  beforeAll(async () => {
    driver = await drivers[browserName]();
    const clients: OidcClient[] = CLIENTS.map(({ providerId, authMethod }) => ({
      clientId: `${providerId}-client`,
      clientSecret: `${providerId}-secret-0123456789abcdef`,
      authMethod,
      redirectUri: driver.redirectUrlFor(providerId),
    }));
    [oidc, site] = await Promise.all([startOidcServer(clients), startSiteServer()]);
    // Endpoints as the provider's discovery document lists them, written out by hand.
    const providers = CLIENTS.map(({ providerId, name, clientAuth }, index) => ({
      id: providerId,
      name,
      flow: 'code',
      issuer: oidc.issuer,
      authorizationUrl: oidc.authorizationUrl,
      tokenUrl: oidc.tokenUrl,
      revocationUrl: oidc.revocationUrl,
      clientId: clients[index]!.clientId,
      clientSecret: clients[index]!.clientSecret,
      clientAuth,
      pkce: true,
      scopes: [OIDC_SCOPE],
      apiBaseUrls: [`${oidc.issuer}/api/`],
    }));
    expect(await importProviders(driver, { providers })).toMatch(/^Imported: /);
    popup = await driver.openPopup();
  });

  afterAll(async () => {
    await driver?.close();
    await Promise.all([oidc?.close(), site?.close()]);
  });

  describe.each(CLIENTS)('$name (client secret as $authMethod)', ({ providerId, name }) => {
    const account = `${name} Account 1`;

    it('connects: the code exchange reaches the provider without an Origin and is accepted', async () => {
      const before = tokenPosts().length;
      expect((await connectAccount(popup, name, (signIn) => signInToOidcProvider(signIn, OIDC_USER))).account).toBe(account);
      await expect.poll(() => accountText(popup, account)).toMatch(/active/);
      expect(tokenPosts().slice(before)).toEqual([{ path: '/token', origin: '' }]);
      const stored = (await storedAccount(providerId))!;
      expect(stored.refreshToken).toBeTruthy();
      expect(await oidc.holds(stored.accessToken)).toBe(true);
      expect(oidc.errors).toEqual([]);
    });

    it('Refresh gets a new access token and a rotated refresh token', async () => {
      const old = (await storedAccount(providerId))!;
      await popup.click('Refresh', { within: { role: 'listitem', name: account } });
      await expect.poll(async () => (await storedAccount(providerId))?.accessToken).not.toBe(old.accessToken);
      const renewed = (await storedAccount(providerId))!;
      expect(renewed.refreshToken).toBeTruthy();
      expect(renewed.refreshToken).not.toBe(old.refreshToken);
      expect(await oidc.holds(renewed.accessToken)).toBe(true);
      // Rotation: the spent refresh token is gone at the provider.
      expect(await oidc.holds(old.refreshToken!)).toBe(false);
      expect(await accountText(popup, account)).toMatch(/active/);
      expect(oidc.errors).toEqual([]);
    });

    it('Disconnect revokes the tokens at the provider, with no Origin on the revocation requests', async () => {
      const { accessToken, refreshToken } = (await storedAccount(providerId))!;
      const revocations = () => oidc.posts.filter((post) => post.path === new URL(oidc.revocationUrl).pathname);
      const before = revocations().length;
      await popup.click('Disconnect', { within: { role: 'listitem', name: account } });
      await expect.poll(() => oidc.holds(refreshToken!)).toBe(false);
      await expect.poll(() => oidc.holds(accessToken)).toBe(false);
      // Both tokens, each revoked with no Origin.
      await expect
        .poll(() =>
          revocations()
            .slice(before)
            .map((post) => post.origin),
        )
        .toEqual(['', '']);
      expect(await storedAccount(providerId)).toBeUndefined();
      expect(oidc.errors).toEqual([]);
    });
  });

  it("a web page's own POST to the token endpoint still carries the page's Origin", async () => {
    const origin = `http://127.0.0.1:${site.port}`;
    const page = await driver.openPage(`${origin}/`);
    const before = tokenPosts().length;
    // `no-cors`: the page cannot read the answer, but the browser sends the request as it is.
    await page.evaluate(
      (url) => fetch(url, { method: 'POST', mode: 'no-cors', body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: 'x' }) }),
      oidc.tokenUrl,
    );
    expect(tokenPosts().slice(before)).toEqual([{ path: '/token', origin }]);
    await page.close();
  });
});
