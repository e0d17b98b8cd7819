// Details, Copy token and header.token "id_token", in both browsers (README "Details" and "Provider
// JSON"): the popup shows what a token says about itself, decoded locally and never the token
// itself; Copy token is the one way to get the token, the one the API gets; and a provider whose
// API takes the OpenID Connect id_token gets that attached instead of the access token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../../demo/index';
import type { Driver, DrivenPage } from '../../drive/driver';
import {
  accountText,
  approveSite,
  clipboardText,
  connectAccount,
  importProviders,
  signInToOidcProvider,
  signInToSkyVault,
} from '../../drive/steps';
import { OIDC_SCOPE, OIDC_USER, startOidcServer, type OidcServer } from './oidc-server';
import { launchWithDemoAndSite, type SiteSetup } from './setup';
import type { SiteServer } from './site-server';

type StoredAccount = { providerId: string; accessToken: string; refreshToken?: string; idToken?: string };

/** Two clients at oidc-provider whose API takes the id_token: one asks for `openid`, one forgets to. */
const ID_TOKEN_PROVIDERS = [
  { providerId: 'oidc-id', name: 'OIDC ID', scopes: ['openid', OIDC_SCOPE] },
  { providerId: 'oidc-no-openid', name: 'OIDC No OpenID', scopes: [OIDC_SCOPE] },
] as const;

/** A UTC date as Details writes one, with how far it is. */
const DATE_IN_THE_FUTURE = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC \(in (59 min|1 h)\)$/;

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let setup: SiteSetup;
  let driver: Driver;
  let demo: Demo;
  let site: SiteServer;
  let oidc: OidcServer;
  let popup: DrivenPage;

  const storedAccount = async (providerId: string): Promise<StoredAccount> =>
    (((await driver.storage()).accounts ?? []) as StoredAccount[]).find((account) => account.providerId === providerId)!;
  const item = (account: string) => ({ role: 'listitem', name: account });
  /** The header fields or claims of a `<dl>` in the account's Details, by its label ("ID token claims"). */
  const fields = (account: string, list: string) =>
    popup.evaluate(
      ([regionName, listName]) => {
        const dl = document.querySelector(`[aria-label="${regionName}"] dl[aria-label="${listName}"]`);
        return Object.fromEntries([...(dl?.querySelectorAll('dt') ?? [])].map((dt) => [dt.textContent, dt.nextElementSibling?.textContent]));
      },
      [`Details for ${account}`, list] as const,
    );
  /** The text of the account's Details region ('' while closed); headings and values run together as textContent does. */
  const detailsText = async (account: string) => (await popup.texts('region', item(account)))[0] ?? '';
  const popupHtml = () => popup.evaluate(() => document.documentElement.outerHTML, undefined);
  /** The Authorization header the API behind the site received for the last call to `path`. */
  const lastAuthorization = (path: string) => site.requests.filter((request) => request.path === path).at(-1)?.headers.authorization;

  beforeAll(async () => {
    setup = await launchWithDemoAndSite(browserName);
    ({ driver, demo, site } = setup);
    const clients = ID_TOKEN_PROVIDERS.map(({ providerId }) => ({
      clientId: `${providerId}-client`,
      clientSecret: `${providerId}-secret-0123456789abcdef`,
      authMethod: 'client_secret_basic' as const,
      scope: `openid ${OIDC_SCOPE}`,
      redirectUri: driver.redirectUrlFor(providerId),
    }));
    oidc = await startOidcServer(clients);
    const providers = ID_TOKEN_PROVIDERS.map(({ providerId, name, scopes }, index) => ({
      id: providerId,
      name,
      flow: 'code',
      // The endpoints, PKCE and client authentication (HTTP Basic, its first choice) come from its metadata.
      issuer: oidc.issuer,
      clientId: clients[index]!.clientId,
      clientSecret: clients[index]!.clientSecret,
      scopes,
      // The site's server stands in for the API, on the site's other host name.
      apiBaseUrls: [`http://127.0.0.1:${site.port}/api/${providerId}/`],
      header: { name: 'Authorization', prefix: 'Bearer', token: 'id_token' },
    }));
    expect(await importProviders(driver, { providers: [...demo.providerJson.providers, ...providers] })).toMatch(/^Imported: /);
    popup = await driver.openPopup();
  });

  afterAll(async () => {
    await setup?.close();
    await oidc?.close();
  });

  it('Details of an opaque access token (SkyVault) say "opaque token", with the scopes and the refresh token\'s lifetime, and never show the token', async () => {
    const { account } = await connectAccount(popup, 'SkyVault', signInToSkyVault);
    await popup.click('Details', { within: item(account) });
    await expect.poll(() => detailsText(account)).toContain('Access tokenopaque token');
    const text = await detailsText(account);
    expect(text).toContain('Granted: public_api');
    expect(text).toContain('Asked for: public_api');
    expect(text).toMatch(/Lives 7 d; ends \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC \(in (7 d|6 d 23 h)\)/);
    expect(text).not.toContain('ID token');
    const stored = await storedAccount('skyvault');
    const html = await popupHtml();
    expect(html).not.toContain(stored.accessToken);
    expect(html).not.toContain(stored.refreshToken!);
    // Details again closes them.
    await popup.click('Details', { within: item(account) });
    await expect.poll(() => popup.texts('region', item(account))).toEqual([]);
    expect(await accountText(popup, account)).not.toContain('opaque token');
  });

  it('Copy token puts exactly the stored access token on the clipboard, and the status line says so', async () => {
    await popup.bringToFront(); // the clipboard is written from the page in front, as the popup is when clicked
    await popup.click('Copy token', { within: item('SkyVault Account 1') });
    await expect.poll(() => popup.texts('status')).toEqual(['SkyVault token copied to the clipboard.']);
    expect(await clipboardText(popup)).toBe((await storedAccount('skyvault')).accessToken);
  });

  it("Details of an OpenID account show the id_token's header and claims (sub, aud, exp as a date), decoded locally; the id_token is sealed at rest", async () => {
    const { account } = await connectAccount(popup, 'OIDC ID', (signIn) => signInToOidcProvider(signIn, OIDC_USER));
    expect(account).toBe('OIDC ID Account 1');
    const stored = await storedAccount('oidc-id');
    expect(stored.idToken).toMatch(/^eyJ[\w-]+\.eyJ[\w-]+\.[\w-]+$/);
    await popup.click('Details', { within: item(account) });
    await expect.poll(() => fields(account, 'ID token claims')).toMatchObject({ sub: OIDC_USER, aud: 'oidc-id-client', iss: oidc.issuer });
    const claims = await fields(account, 'ID token claims');
    expect(claims['exp']).toMatch(DATE_IN_THE_FUTURE);
    expect(claims['iat']).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC \((now|in \d+ s|\d+ s ago)\)$/);
    expect((await fields(account, 'ID token header'))['alg']).toBe('RS256');
    // oidc-provider's access tokens are opaque.
    expect(await detailsText(account)).toContain('Access tokenopaque token');
    expect(await fields(account, 'Access token claims')).toEqual({});
    expect(await detailsText(account)).toContain('Sent to the API: the ID token');
    const html = await popupHtml();
    for (const token of [stored.accessToken, stored.refreshToken!, stored.idToken!]) expect(html).not.toContain(token);
    // Sealed like the other tokens: storage.local, which content scripts can read, holds no part of it.
    const raw = JSON.stringify(await driver.rawStorage());
    expect(raw).not.toContain(stored.idToken!.split('.')[1]);
    expect(raw).not.toContain(stored.accessToken);
  });

  it('Copy token of an id_token provider copies the id_token its API gets, and says so', async () => {
    await popup.bringToFront(); // the clipboard is written from the page in front, as the popup is when clicked
    await popup.click('Copy token', { within: item('OIDC ID Account 1') });
    await expect.poll(() => popup.texts('status')).toEqual(['OIDC ID id_token copied to the clipboard.']);
    expect(await clipboardText(popup)).toBe((await storedAccount('oidc-id')).idToken);
  });

  it('header.token "id_token": an approved page\'s call carries the id_token and not the access token, and Refresh attaches the new one at once', async () => {
    const origin = `http://localhost:${site.port}`;
    expect(await approveSite(driver, 'OIDC ID Account 1', origin)).toBe(`Approved ${origin}.`);
    const page = await driver.openPage(`${origin}/`);
    const path = '/api/oidc-id/me';
    const call = () => page.evaluate((url) => fetch(url, { mode: 'no-cors' }).then(() => undefined), `http://127.0.0.1:${site.port}${path}`);

    const before = await storedAccount('oidc-id');
    await call();
    expect(lastAuthorization(path)).toBe(`Bearer ${before.idToken}`);
    expect(JSON.stringify(site.requests)).not.toContain(before.accessToken);

    await popup.click('Refresh', { within: item('OIDC ID Account 1') });
    await expect.poll(async () => (await storedAccount('oidc-id')).idToken).not.toBe(before.idToken);
    const renewed = await storedAccount('oidc-id');
    // The rule follows the storage write; the next call gets the new id_token.
    await expect
      .poll(async () => {
        await call();
        return lastAuthorization(path);
      })
      .toBe(`Bearer ${renewed.idToken}`);
    expect(JSON.stringify(site.requests)).not.toContain(renewed.accessToken);
  });

  it('an account of an id_token provider that gave none gets no header, and the popup says to ask for the openid scope', async () => {
    const { account } = await connectAccount(popup, 'OIDC No OpenID', (signIn) => signInToOidcProvider(signIn, OIDC_USER));
    expect((await storedAccount('oidc-no-openid')).idToken).toBeUndefined();
    const origin = `http://localhost:${site.port}`;
    expect(await approveSite(driver, account, origin)).toBe(`Approved ${origin}.`);
    await expect
      .poll(() => accountText(popup, account))
      .toContain('OIDC No OpenID gave no id_token: ask for the openid scope (its header carries the id_token), then press Reconnect.');
    const page = await driver.openPage(`${origin}/`);
    const path = '/api/oidc-no-openid/me';
    await page.evaluate((url) => fetch(url, { mode: 'no-cors' }).then(() => undefined), `http://127.0.0.1:${site.port}${path}`);
    expect(site.requests.filter((request) => request.path === path).map((request) => request.headers.authorization)).toEqual([undefined]);
    // Details have no ID token part: there is none to decode.
    await popup.click('Details', { within: item(account) });
    await expect.poll(() => detailsText(account)).toContain('Access tokenopaque token');
    expect(await fields(account, 'ID token claims')).toEqual({});
  });
});
