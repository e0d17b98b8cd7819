// Account labels in both browsers: a new account is labelled by who signed in when the provider's
// id_token says (oidc-provider), else "Account N" (the demo SkyVault sends none); Rename sets a
// label of the user's own, which a bad label leaves unchanged and Reconnect and a browser restart keep.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { basicAuthHeader } from '../../demo/index';
import type { Driver, DrivenPage } from '../../drive/driver';
import { accountNames, accountText, connectAccount, connectDemoAccount, importProviders, signInToOidcProvider } from '../../drive/steps';
import { OIDC_IDENTITY_SCOPES, OIDC_SCOPE, OIDC_USER, oidcEmail, startOidcServer, type OidcServer } from './oidc-server';
import { launchWithDemo, type DemoSetup } from './setup';

const NAME = 'OIDC';
const CLIENT = {
  clientId: 'labels-client',
  clientSecret: 'labels-secret-0123456789abcdef',
  authMethod: 'client_secret_basic',
  scope: [OIDC_SCOPE, ...OIDC_IDENTITY_SCOPES].join(' '),
} as const;
const IDENTITY = oidcEmail(OIDC_USER);

type StoredAccount = { providerId: string; label: string; accessToken: string; refreshToken?: string };

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let setup: DemoSetup;
  let driver: Driver;
  let oidc: OidcServer;
  let popup: DrivenPage;

  const item = (label: string) => ({ role: 'listitem', name: `${NAME} ${label}` });
  const storedLabels = async () => (((await driver.storage()).accounts ?? []) as StoredAccount[]).map((a) => a.label);
  const storedAccount = async (label: string) => (((await driver.storage()).accounts ?? []) as StoredAccount[]).find((a) => a.label === label);
  const signIn = (page: DrivenPage) => signInToOidcProvider(page, OIDC_USER);

  beforeAll(async () => {
    setup = await launchWithDemo(browserName);
    driver = setup.driver;
    oidc = await startOidcServer([{ ...CLIENT, redirectUri: driver.redirectUrlFor('oidc') }]);
    const provider = {
      id: 'oidc',
      name: NAME,
      flow: 'code',
      issuer: oidc.issuer,
      authorizationUrl: oidc.authorizationUrl,
      tokenUrl: oidc.tokenUrl,
      revocationUrl: oidc.revocationUrl,
      clientId: CLIENT.clientId,
      clientSecret: CLIENT.clientSecret,
      clientAuth: 'basic',
      scopes: [OIDC_SCOPE, ...OIDC_IDENTITY_SCOPES],
      // Every sign-in shows the provider's page, as it does for a second user; it would skip it for a remembered one.
      extraParams: { prompt: 'login' },
      apiBaseUrls: [`${oidc.issuer}/api/`],
    };
    expect(await importProviders(driver, { providers: [...setup.demo.providerJson.providers, provider] })).toMatch(/^Imported: /);
    popup = await driver.openPopup();
  });

  afterAll(async () => {
    await setup?.close();
    await oidc?.close();
  });

  it('an account is labelled by the email its id_token names, and a second one of the same user is told apart', async () => {
    expect((await connectAccount(popup, NAME, signIn)).account).toBe(`${NAME} ${IDENTITY}`);
    expect((await connectAccount(popup, NAME, signIn)).account).toBe(`${NAME} ${IDENTITY} (2)`);
    expect(await storedLabels()).toEqual([IDENTITY, `${IDENTITY} (2)`]);
    expect(oidc.errors).toEqual([]);
  });

  it('an account whose provider sends no id_token (the demo SkyVault) is "Account 1"', async () => {
    expect((await connectDemoAccount(popup, 'skyvault')).account).toBe('SkyVault Account 1');
  });

  it('Rename shows Account label with the label, and Save keeps the new one', async () => {
    await popup.bringToFront();
    await popup.click('Rename', { within: item(IDENTITY) });
    expect(await popup.value('Account label', item(IDENTITY))).toBe(IDENTITY);
    await popup.fill('Account label', '  Admin ', item(IDENTITY));
    await popup.click('Save', { within: item(IDENTITY) });
    await expect.poll(() => accountNames(popup)).toEqual([`${NAME} Admin`, `${NAME} ${IDENTITY} (2)`, 'SkyVault Account 1']);
    expect(await popup.texts('status')).toEqual(['Renamed to Admin.']);
    expect(await popup.names('button', item('Admin'))).not.toContain('Save');
    expect(await storedLabels()).toEqual(['Admin', `${IDENTITY} (2)`, 'Account 1']);
  });

  it('Enter in Account label saves, and Escape leaves the label as it was', async () => {
    const second = item(`${IDENTITY} (2)`);
    await popup.click('Rename', { within: second });
    await popup.fill('Account label', 'Staging', second);
    await popup.press('Account label', 'Enter', second);
    await expect.poll(() => accountNames(popup)).toEqual([`${NAME} Admin`, `${NAME} Staging`, 'SkyVault Account 1']);
    await popup.click('Rename', { within: item('Admin') });
    await popup.fill('Account label', 'Ops', item('Admin'));
    await popup.press('Account label', 'Escape', item('Admin'));
    await expect.poll(() => popup.names('button', item('Admin'))).toContain('Rename');
    expect(await popup.names('button', item('Admin'))).not.toContain('Save');
    expect(await storedLabels()).toEqual(['Admin', 'Staging', 'Account 1']);
  });

  it.each([
    ['', 'Type a label for the account. Nothing was changed.'],
    ['x'.repeat(81), 'The label has 81 characters; at most 80 fit. Nothing was changed.'],
    ['Ad\tmin', 'The label has a control character (a line break or a tab). Type it on one line. Nothing was changed.'],
  ])('a bad label (%j) is refused in an alert and changes nothing', async (typed, message) => {
    await popup.click('Rename', { within: item('Admin') });
    await popup.fill('Account label', typed, item('Admin'));
    await popup.click('Save', { within: item('Admin') });
    await expect.poll(() => popup.texts('alert', item('Admin'))).toEqual([message]);
    expect(await storedLabels()).toEqual(['Admin', 'Staging', 'Account 1']);
    await popup.click('Cancel', { within: item('Admin') });
    expect(await popup.names('button', item('Admin'))).toContain('Rename');
    expect(await popup.texts('alert')).toEqual([]);
  });

  it('Reconnect keeps the label the user chose, though the new id_token names the user again', async () => {
    const { accessToken, refreshToken } = (await storedAccount('Admin'))!;
    // The grant ends at the provider (an admin revoking it), so Refresh fails and asks for Reconnect.
    const revoked = await fetch(oidc.revocationUrl, {
      method: 'POST',
      headers: { authorization: basicAuthHeader(CLIENT.clientId, CLIENT.clientSecret) },
      body: new URLSearchParams({ token: refreshToken!, token_type_hint: 'refresh_token' }),
    });
    expect(revoked.status).toBe(200);
    await popup.click('Refresh', { within: item('Admin') });
    await expect.poll(() => accountText(popup, `${NAME} Admin`)).toMatch(/needs reconnect/);
    await signIn(await popup.clickForNewPage('Reconnect', { within: item('Admin') }));
    await popup.bringToFront();
    await expect.poll(() => accountText(popup, `${NAME} Admin`)).toMatch(/active/);
    expect((await storedAccount('Admin'))!.accessToken).not.toBe(accessToken);
    expect(await accountNames(popup)).toEqual([`${NAME} Admin`, `${NAME} Staging`, 'SkyVault Account 1']);
  });

  it('the labels stay across a browser restart', async () => {
    await driver.restart();
    popup = await driver.openPopup();
    await expect.poll(() => accountNames(popup)).toEqual([`${NAME} Admin`, `${NAME} Staging`, 'SkyVault Account 1']);
    expect(await storedLabels()).toEqual(['Admin', 'Staging', 'Account 1']);
  });
});
