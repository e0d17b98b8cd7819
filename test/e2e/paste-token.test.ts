// A pasted token (README "Pasting a token"): an access token copied from ReadyCloud's default token
// page, as its users do "for manual entry", added on the options page, injected like any account,
// never renewed, and forgotten by Disconnect. In Chromium and Firefox ESR.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READYCLOUD_NO_REDIRECT_CLIENT_ID, type Demo } from '../../demo/index';
import type { Driver, DrivenPage } from '../../drive/driver';
import { ACCOUNTS, accountNames, allowReadyCloud, approveSite, waitForText } from '../../drive/steps';
import { PASTED_TOKEN_NOTE } from '../../src/accounts/account';
import { apiCallFrom } from './observed';
import { connectedSetup, type ConnectedSetup } from './setup';

const PASTE = { role: 'group', name: 'Paste a token for ReadyCloud' };
const ACCOUNT = 'ReadyCloud Account 1';

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let setup: ConnectedSetup;
  let driver: Driver;
  let demo: Demo;
  let popup: DrivenPage;
  let playground: DrivenPage;

  beforeAll(async () => {
    // The demo providers imported, no account connected yet, and the playground open.
    setup = await connectedSetup(browserName, { connect: [] });
    ({ driver, demo, popup, playground } = setup);
  });
  afterAll(() => setup?.close());

  const ordersUrl = () => `${demo.readycloud.origin}/api/v1/orders`;

  /** Signs in at ReadyCloud as its app without a redirect URI, and copies the token its default page shows. */
  async function tokenFromReadyCloudPage(): Promise<string> {
    const authorize = new URL(`${demo.readycloud.origin}/oauth/authorize`);
    authorize.search = new URLSearchParams({
      response_type: 'token',
      client_id: READYCLOUD_NO_REDIRECT_CLIENT_ID,
      scope: 'orders:read',
    }).toString();
    const page = await driver.openPage(authorize.href);
    await allowReadyCloud(page);
    let token = '';
    await expect
      .poll(async () => {
        token = await page.value('Access token');
        return token;
      })
      .not.toBe('');
    await page.close();
    return token;
  }

  /** Fills the ReadyCloud paste fields on a fresh options page and presses Add account; returns the line it shows. */
  async function paste(token: string, expiresIn = ''): Promise<string> {
    const options = await driver.openOptions();
    await options.fill('Access token', token, PASTE);
    await options.fill('Expires in', expiresIn, PASTE);
    await options.click('Add account', { within: PASTE });
    const text = await waitForText(options, ['status', 'alert'], PASTE);
    await options.close();
    return text;
  }

  it('refuses a token with a space, a control character or a bad expiry, and stores nothing', async () => {
    const before = await driver.storage();
    expect(await paste('Bearer abc.def')).toBe(
      'The access token has a space in it. Paste the token alone, without "Bearer" or other words. Nothing was added.',
    );
    expect(await paste('abc\u0007def')).toMatch(/^The access token has a character a token cannot have/);
    expect(await paste('')).toBe('Paste an access token first. Nothing was added.');
    expect(await paste('abc.def', '60 min')).toBe(
      'Expires in must be a whole number of seconds, such as 3600 for an hour, or empty when you do not know. Nothing was added.',
    );
    expect(await driver.storage()).toEqual(before);
    expect(await accountNames(popup)).toEqual([]);
  });

  it('a pasted token without expiry: "expiry unknown", no Refresh, injected for an approved site; Disconnect stops it', async () => {
    const token = await tokenFromReadyCloudPage();
    expect(demo.readycloud.issued.map((t) => t.accessToken)).toContain(token);

    expect(await paste(token)).toBe(`Added ${ACCOUNT}.`);
    await expect.poll(() => accountNames(popup)).toEqual([ACCOUNT]);
    const item = { role: 'listitem', name: ACCOUNT };
    const [text] = await popup.texts('listitem', ACCOUNTS);
    expect(text).toContain('expiry unknown');
    expect(text).toContain(PASTED_TOKEN_NOTE);
    expect(text).not.toContain(token);
    const buttons = await popup.names('button', item);
    expect(buttons).toContain('Disconnect');
    expect(buttons).not.toContain('Refresh');
    expect(buttons).not.toContain('Reconnect');
    const [stored] = (await driver.storage()).accounts as {
      accessToken: string;
      pasted?: boolean;
      expiresAt?: number;
      refreshToken?: string;
    }[];
    expect(stored).toMatchObject({ accessToken: token, pasted: true });
    expect(stored?.expiresAt).toBeUndefined();
    expect(stored?.refreshToken).toBeUndefined();

    expect(await approveSite(driver, ACCOUNT, demo.playground.origin)).toBe(`Approved ${demo.playground.origin}.`);
    await expect.poll(() => apiCallFrom(demo.readycloud, playground, ordersUrl())).toEqual({ status: 200, authorization: `Bearer ${token}` });

    await popup.click('Disconnect', { within: item });
    await expect.poll(() => accountNames(popup)).toEqual([]);
    await expect.poll(() => apiCallFrom(demo.readycloud, playground, ordersUrl())).toEqual({ status: 401, authorization: undefined });
    // ReadyCloud has no revocation URL: Disconnect forgot the token, and it still works where the user pasted it too.
    expect((await fetch(ordersUrl(), { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  });

  it('a pasted token with an expiry counts down and turns expired, with nothing to renew it', async () => {
    const token = await tokenFromReadyCloudPage();
    const authorizations = () => demo.readycloud.requests.filter((r) => r.path === '/oauth/authorize').length;
    expect(await paste(token, '3')).toMatch(/^Added ReadyCloud Account \d+\.$/);
    const afterPaste = authorizations();
    await expect.poll(async () => (await popup.texts('listitem', ACCOUNTS))[0], { timeout: 10_000 }).toMatch(/expired/);
    const [text] = await popup.texts('listitem', ACCOUNTS);
    expect(text).toContain(PASTED_TOKEN_NOTE);
    const [name] = await accountNames(popup);
    const buttons = await popup.names('button', { role: 'listitem', name: name! });
    expect(buttons).not.toContain('Refresh');
    expect(buttons).not.toContain('Reconnect');
    // No silent re-authorization was tried for it.
    expect(authorizations()).toBe(afterPaste);
  });
});
