// The client-credentials grant (README "Client credentials") against a real OpenID provider,
// oidc-provider with its `clientCredentials` feature, in both browsers: Connect with no window and
// no tab, the token attached to an approved page's call to the API, Refresh asking again (one
// request when pressed twice), Disconnect revoking, and a wrong secret refused with nothing stored.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, type Driver, type DrivenPage } from '../../drive/driver';
import { accountText, alertMessage, approveSite, importProviders, storedAccountOf } from '../../drive/steps';
import { OIDC_SCOPE, startOidcServer, type OidcMachineClient, type OidcServer } from './oidc-server';
import { startSiteServer, type SiteServer } from './site-server';
import { createListener, listen, sendEmpty, type Listening, type RecordedRequest } from '../../demo/http';

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

/** The id and secret the provider registers for the machine client of `providerId`. */
const credentialsOf = (providerId: string) => ({ clientId: `${providerId}-client`, clientSecret: `${providerId}-secret-0123456789abcdef` });

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let driver: Driver;
  let oidc: OidcServer;
  let site: SiteServer;
  /** The API: 204 for a token the provider holds, 401 for any other; it records each call. */
  let api: Listening;
  const apiCalls: RecordedRequest[] = [];
  let popup: DrivenPage;
  let app: DrivenPage;
  let opened: () => string[];

  const appOrigin = () => `http://localhost:${site.port}`;
  const apiBaseUrl = () => `${api.origin}/api/`;
  const storedAccount = (providerId: string) => storedAccountOf(driver, providerId);
  const postsTo = (url: string) => oidc.posts.filter((post) => post.path === new URL(url).pathname);

  beforeAll(async () => {
    driver = await drivers[browserName]();
    const clients: OidcMachineClient[] = [...CLIENTS, SHORT_LIVED].map(({ providerId, authMethod }) => ({
      ...credentialsOf(providerId),
      authMethod,
      ...(providerId === SHORT_LIVED.providerId && { tokenSeconds: 6 }),
    }));
    [oidc, site] = await Promise.all([startOidcServer([], { machineClients: clients }), startSiteServer()]);
    api = await listen(
      createListener(apiCalls, async (req, res) => {
        const token = req.headers.authorization?.replace(/^Bearer /, '') ?? '';
        sendEmpty(res, (await oidc.holds(token)) ? 204 : 401, { 'access-control-allow-origin': appOrigin() });
      }),
      '127.0.0.1',
      0,
    );
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
    app = await driver.openPage(`${appOrigin()}/`);
    opened = driver.recordOpenedPages();
  });

  afterAll(async () => {
    await driver?.close();
    await Promise.all([oidc?.close(), site?.close(), api?.close()]);
  });

  /** A call of the app page to the API: the status the page saw and the Authorization header the API got. */
  const callApi = async (path: string): Promise<{ status: number; authorization: string | undefined }> => {
    const status = await app.evaluate(async (url) => (await fetch(url, { cache: 'no-store' })).status, `${apiBaseUrl()}${path}`);
    return { status, authorization: apiCalls.findLast((call) => call.path === `/api/${path}`)?.headers.authorization };
  };

  /** Revokes `token` at the provider as its client, the way the client authenticates (RFC 7009). */
  const revokeAtProvider = async (providerId: string, authMethod: OidcMachineClient['authMethod'], token: string) => {
    const { clientId, clientSecret } = credentialsOf(providerId);
    const basic = authMethod === 'client_secret_basic';
    const response = await fetch(oidc.revocationUrl, {
      method: 'POST',
      headers: basic ? { authorization: `Basic ${btoa(`${clientId}:${clientSecret}`)}` } : {},
      body: new URLSearchParams({ token, ...(!basic && { client_id: clientId, client_secret: clientSecret }) }),
    });
    expect(response.status).toBe(200);
  };

  describe.each(CLIENTS)('$name (client secret as $authMethod)', ({ providerId, name, authMethod }) => {
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
      expect(await callApi(`${providerId}/reports`)).toEqual({ status: 401, authorization: undefined });
      expect(await approveSite(driver, account, appOrigin())).toMatch(/^Approved/);
      const { accessToken } = (await storedAccount(providerId))!;
      expect(await callApi(`${providerId}/reports`)).toEqual({ status: 204, authorization: `Bearer ${accessToken}` });
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
      expect(await callApi(`${providerId}/reports`)).toEqual({ status: 204, authorization: `Bearer ${renewed.accessToken}` });
      expect(await accountText(popup, account)).toMatch(/active/);
      expect(oidc.errors).toEqual([]);
    });

    it('a 401 from the API (the provider revoked the token) asks again once, and the next call works', async () => {
      const { accessToken } = (await storedAccount(providerId))!;
      await revokeAtProvider(providerId, authMethod, accessToken);
      expect(await oidc.holds(accessToken)).toBe(false);
      const before = postsTo(oidc.tokenUrl).length;
      expect((await callApi(`${providerId}/reports`)).status).toBe(401);
      await expect.poll(async () => (await storedAccount(providerId))?.accessToken).not.toBe(accessToken);
      expect(postsTo(oidc.tokenUrl).slice(before)).toEqual([{ path: '/token', origin: '' }]);
      const { accessToken: renewed } = (await storedAccount(providerId))!;
      expect(await callApi(`${providerId}/reports`)).toEqual({ status: 204, authorization: `Bearer ${renewed}` });
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
      // The API accepts only a token the provider holds: the one attached is live.
      expect((await callApi(`${SHORT_LIVED.providerId}/reports`)).status).toBe(204);
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
