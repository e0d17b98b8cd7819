// The client-credentials grant (README "Client credentials") against a real OpenID provider,
// oidc-provider with its `clientCredentials` feature, in both browsers: Connect with no window and
// no tab, the token attached to an approved page's call to the API, Refresh asking again (one
// request when pressed twice), Disconnect revoking, and a wrong secret refused with nothing stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, type Driver, type DrivenPage } from '../../drive/driver';
import { accountText, alertMessage, approveSite, importProviders, storedAccountOf } from '../../drive/steps';
import { OIDC_SCOPE, startOidcServer, type OidcMachineClient, type OidcServer } from './oidc-server';
import { startSiteServer, type SiteServer } from './site-server';

/** One machine client per way of sending the secret: in the form body, and as HTTP Basic. */
const CLIENTS = [
  { providerId: 'machine-body', name: 'Machine Body', clientAuth: 'body', authMethod: 'client_secret_post' },
  { providerId: 'machine-basic', name: 'Machine Basic', clientAuth: 'basic', authMethod: 'client_secret_basic' },
] as const;
/** A client whose tokens live 6 seconds: renewal at half-life, so two renewals pass in a test. */
const SHORT_LIVED = { providerId: 'machine-short', name: 'Machine Short', clientAuth: 'body', authMethod: 'client_secret_post' } as const;
/** A provider of the body client with a secret the provider does not know. */
const WRONG_SECRET = { providerId: 'machine-wrong', name: 'Machine Wrong Secret' } as const;
const REFRESHED = 'Refreshed: a new access token is in use.';

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let driver: Driver;
  let oidc: OidcServer;
  let site: SiteServer;
  let popup: DrivenPage;
  let opened: () => string[];

  // One server, two sites: the app on localhost calls its API on 127.0.0.1, which records the header it got.
  const appOrigin = () => `http://localhost:${site.port}`;
  const apiBaseUrl = () => `http://127.0.0.1:${site.port}/api/`;
  const storedAccount = (providerId: string) => storedAccountOf(driver, providerId);
  const postsTo = (url: string) => oidc.posts.filter((post) => post.path === new URL(url).pathname);

  beforeAll(async () => {
    driver = await drivers[browserName]();
    const clients: OidcMachineClient[] = [...CLIENTS, SHORT_LIVED].map(({ providerId, authMethod }) => ({
      clientId: `${providerId}-client`,
      clientSecret: `${providerId}-secret-0123456789abcdef`,
      authMethod,
      ...(providerId === SHORT_LIVED.providerId && { tokenSeconds: 6 }),
    }));
    [oidc, site] = await Promise.all([startOidcServer([], { machineClients: clients }), startSiteServer()]);
    const provider = (providerId: string, name: string, clientAuth: string, client: OidcMachineClient) => ({
      id: providerId,
      name,
      flow: 'client_credentials',
      tokenUrl: oidc.tokenUrl,
      revocationUrl: oidc.revocationUrl,
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      clientAuth,
      scopes: [OIDC_SCOPE],
      apiBaseUrls: [apiBaseUrl()],
    });
    const providers = [
      ...CLIENTS.map(({ providerId, name, clientAuth }, index) => provider(providerId, name, clientAuth, clients[index]!)),
      provider(SHORT_LIVED.providerId, SHORT_LIVED.name, SHORT_LIVED.clientAuth, clients[CLIENTS.length]!),
      provider(WRONG_SECRET.providerId, WRONG_SECRET.name, 'body', { ...clients[0]!, clientSecret: 'not-the-secret-0123456789' }),
    ];
    expect(await importProviders(driver, { providers })).toMatch(/^Imported: /);
    popup = await driver.openPopup();
    opened = driver.recordOpenedPages();
  });

  afterAll(async () => {
    await driver?.close();
    await Promise.all([oidc?.close(), site?.close()]);
  });

  /** The Authorization header the API got for a call from the approved app page. */
  const authorizationOfApiCall = async (path: string): Promise<string | undefined> => {
    const page = await driver.openPage(`${appOrigin()}/`);
    // `no-cors`: the API sends no CORS headers; the page need not read the answer for the API to record the call.
    await page.evaluate((url) => fetch(url, { mode: 'no-cors', cache: 'no-store' }).then(() => undefined), `${apiBaseUrl()}${path}`);
    await page.close();
    return site.requests.findLast((request) => request.path === `/api/${path}`)?.headers.authorization;
  };

  describe.each(CLIENTS)('$name (client secret as $authMethod)', ({ providerId, name }) => {
    const account = `${name} Account 1`;
    const item = { role: 'listitem', name: account };

    it('Connect gets a token with no window and no tab, from a token request without Origin', async () => {
      const pagesBefore = opened().length;
      const before = postsTo(oidc.tokenUrl).length;
      await popup.click(`Connect ${name}`);
      await expect.poll(() => accountText(popup, account)).toMatch(/active/);
      expect(postsTo(oidc.tokenUrl).slice(before)).toEqual([{ path: '/token', origin: '' }]);
      expect(opened().slice(pagesBefore)).toEqual([]);
      const stored = (await storedAccount(providerId))!;
      expect(stored.refreshToken).toBeUndefined();
      expect(await oidc.holds(stored.accessToken)).toBe(true);
      expect(oidc.errors).toEqual([]);
    });

    it("attaches the token to an approved page's call to the API base URL, and not before it is approved", async () => {
      expect(await authorizationOfApiCall(`${providerId}/reports`)).toBeUndefined();
      expect(await approveSite(driver, account, appOrigin())).toMatch(/^Approved/);
      const { accessToken } = (await storedAccount(providerId))!;
      expect(await authorizationOfApiCall(`${providerId}/reports`)).toBe(`Bearer ${accessToken}`);
    });

    it('Refresh asks again for a new token: one token request when pressed twice, and the new token attached', async () => {
      const old = (await storedAccount(providerId))!;
      const before = postsTo(oidc.tokenUrl).length;
      // Both presses on the button: the second reaches the background while the first renewal runs.
      await popup.reload();
      await popup.doubleClick('Refresh', { within: item });
      await expect.poll(async () => (await popup.texts('status'))[0]).toBe(REFRESHED);
      const renewed = (await storedAccount(providerId))!;
      expect(renewed.accessToken).not.toBe(old.accessToken);
      expect(postsTo(oidc.tokenUrl).slice(before)).toEqual([{ path: '/token', origin: '' }]);
      expect(await oidc.holds(renewed.accessToken)).toBe(true);
      expect(await authorizationOfApiCall(`${providerId}/reports`)).toBe(`Bearer ${renewed.accessToken}`);
      expect(await accountText(popup, account)).toMatch(/active/);
      expect(oidc.errors).toEqual([]);
    });

    it('Disconnect revokes the token at the provider, with no Origin on the revocation request', async () => {
      const { accessToken } = (await storedAccount(providerId))!;
      const before = postsTo(oidc.revocationUrl).length;
      await popup.click('Disconnect', { within: item });
      await expect.poll(() => oidc.holds(accessToken)).toBe(false);
      expect(postsTo(oidc.revocationUrl).slice(before)).toEqual([{ path: '/token/revocation', origin: '' }]);
      expect(await storedAccount(providerId)).toBeUndefined();
      expect(oidc.errors).toEqual([]);
    });
  });

  it('a wrong client secret: an alert that says to check it, and no account stored', async () => {
    const before = await driver.storage();
    await popup.click(`Connect ${WRONG_SECRET.name}`);
    await expect
      .poll(() => alertMessage(popup))
      .toBe(
        `${WRONG_SECRET.name}'s token endpoint refused the request (invalid_client: client authentication failed). Check the client ID and client secret. Nothing was changed.`,
      );
    expect(await driver.storage()).toEqual(before);
    expect(await storedAccount(WRONG_SECRET.providerId)).toBeUndefined();
  });

  it('renews a 6-second token before it expires by asking again: no click, no window, a live token attached each time', async () => {
    const account = `${SHORT_LIVED.name} Account 1`;
    const pagesBefore = opened().length;
    // The wrong-secret case before left its invalid_client there.
    const errorsBefore = oidc.errors.length;
    await popup.click(`Connect ${SHORT_LIVED.name}`);
    await expect.poll(() => accountText(popup, account)).toMatch(/active/);
    expect(await approveSite(driver, account, appOrigin())).toMatch(/^Approved/);
    const seen = [(await storedAccount(SHORT_LIVED.providerId))!.accessToken];
    for (const _renewal of [1, 2]) {
      await expect.poll(async () => (await storedAccount(SHORT_LIVED.providerId))?.accessToken, { timeout: 10_000 }).not.toBe(seen.at(-1));
      seen.push((await storedAccount(SHORT_LIVED.providerId))!.accessToken);
      const attached = (await authorizationOfApiCall(`${SHORT_LIVED.providerId}/reports`))?.replace(/^Bearer /, '');
      expect(await oidc.holds(attached ?? '')).toBe(true);
    }
    expect(
      opened()
        .slice(pagesBefore)
        .filter((url) => URL.canParse(url) && new URL(url).origin === oidc.issuer),
    ).toEqual([]);
    expect(oidc.errors.slice(errorsBefore)).toEqual([]);
    await popup.click('Disconnect', { within: { role: 'listitem', name: account } });
    await expect.poll(() => storedAccount(SHORT_LIVED.providerId)).toBeUndefined();
  });
});
