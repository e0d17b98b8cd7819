// A choice of access at Connect (README: Provider JSON, `scopeOptions`), in Chromium and Firefox ESR:
// the demo ReadyCloud offers full or read-only access, as its document describes, and its API
// refuses a write with a read-only token (403). Driven from the popup's Access for ReadyCloud select.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { READYCLOUD_ACCESS, READYCLOUD_SCOPES, type Demo } from '../../demo/index';
import type { Driver, DrivenPage, Scope } from '../../drive/driver';
import {
  accountNames,
  accountText,
  alertMessage,
  approveSite,
  connectDemoAccount,
  importProviders,
  sendFromExtensionPage,
} from '../../drive/steps';
import { launchWithDemo, type DemoSetup } from './setup';

const ACCESS = 'Access for ReadyCloud';
const [FULL, READ_ONLY] = READYCLOUD_ACCESS.map((option) => option.label) as [string, string];
const READ_ONLY_ACCOUNT = 'ReadyCloud Account 1';
const FULL_ACCOUNT = 'ReadyCloud Account 2';

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let setup: DemoSetup;
  let driver: Driver;
  let demo: Demo;
  let popup: DrivenPage;
  let playground: DrivenPage;

  /** The `scope` of the last authorization request ReadyCloud received (the consent page, or a silent renewal). */
  const askedOfReadyCloud = () =>
    demo.readycloud.requests.filter((r) => r.method === 'GET' && r.path === '/oauth/authorize').at(-1)?.query.scope;
  const authorizeRequests = () => demo.readycloud.requests.filter((r) => r.path === '/oauth/authorize').length;
  /** Each access select of the popup with the option it shows: "Access for ReadyCloud: Full access". */
  const accessShown = () =>
    popup.evaluate(
      () => [...document.querySelectorAll('select')].map((s) => `${s.labels?.[0]?.textContent ?? ''}: ${s.selectedOptions[0]?.text ?? ''}`),
      undefined,
    );
  /** Presses a playground button and returns the answer it shows ("HTTP 403 Forbidden") and its body. */
  const playgroundAnswer = async (button: string, resultId: string) => {
    await playground.evaluate((id) => document.getElementById(id)?.replaceChildren(), resultId);
    await playground.click(button);
    const read = () =>
      playground.evaluate((id) => {
        const result = document.getElementById(id);
        return { status: result?.querySelector('.status')?.textContent ?? '', body: result?.querySelector('pre')?.textContent ?? '' };
      }, resultId);
    await expect.poll(async () => (await read()).status).not.toBe('');
    return read();
  };
  const read = () => playgroundAnswer('Call ReadyCloud API', 'readycloud-result');
  const write = () => playgroundAnswer('Create a ReadyCloud order', 'readycloud-write-result');
  const item = (name: string): Scope => ({ role: 'listitem', name });
  /** The access token TokenTap holds for the ReadyCloud account shown as `name`. */
  const tokenOf = async (name: string) => {
    const accounts = (await driver.storage()).accounts as { providerId: string; label: string; accessToken: string }[];
    return accounts.find((a) => `ReadyCloud ${a.label}` === name && a.providerId === 'readycloud')?.accessToken;
  };
  /** Waits until TokenTap holds the token ReadyCloud issued last for the account `name`. */
  const holdsLastIssued = async (name: string) => {
    const last = demo.readycloud.issued.at(-1)?.accessToken;
    await expect.poll(() => tokenOf(name)).toBe(last);
  };

  beforeAll(async () => {
    // ReadyCloud remembers Allow, so an implicit account renews silently (README: Keeping tokens fresh).
    setup = await launchWithDemo(browserName, { readycloud: { rememberConsent: true } });
    ({ driver, demo } = setup);
    expect(await importProviders(driver, demo.providerJson)).toMatch(/^Imported: /);
    popup = await driver.openPopup();
    playground = await driver.openPage(demo.playground.origin);
    await popup.bringToFront();
  });
  afterAll(() => setup?.close());

  it('offers Access for ReadyCloud beside its Connect button, on Full access, and no choice for SkyVault', async () => {
    await expect.poll(accessShown).toEqual([`${ACCESS}: ${FULL}`]);
    expect(await popup.names('button')).toEqual(expect.arrayContaining(['Connect ReadyCloud', 'Connect SkyVault']));
  });

  it('Read only: ReadyCloud is asked for orders:read, and the account reads (200) but may not write (403)', async () => {
    await popup.select(ACCESS, READ_ONLY);
    const { account } = await connectDemoAccount(popup, 'readycloud');
    expect(account).toBe(READ_ONLY_ACCOUNT);
    expect(askedOfReadyCloud()).toBe('orders:read');
    expect(demo.readycloud.issued.at(-1)?.scope).toBe('orders:read');
    expect(await accountText(popup, READ_ONLY_ACCOUNT)).toContain('orders:read');

    expect(await approveSite(driver, READ_ONLY_ACCOUNT, demo.playground.origin)).toBe(`Approved ${demo.playground.origin}.`);
    await playground.bringToFront();
    await playground.reload();
    expect((await read()).status).toBe('HTTP 200 OK');
    const refused = await write();
    expect(refused.status).toBe('HTTP 403 Forbidden');
    expect(JSON.parse(refused.body)).toEqual({
      error: 'insufficient_scope',
      error_description: 'This token is read-only (orders:read): changing orders needs full access (orders:full)',
    });
  });

  it('Full access: a second account is asked orders:full, and its write answers 201', async () => {
    await popup.bringToFront();
    await popup.select(ACCESS, FULL);
    const { account } = await connectDemoAccount(popup, 'readycloud');
    expect(account).toBe(FULL_ACCOUNT);
    expect(askedOfReadyCloud()).toBe('orders:full');
    expect(await accountText(popup, FULL_ACCOUNT)).toContain('orders:full');

    // The later approval wins the site: the playground now calls with the full-access token.
    expect(await approveSite(driver, FULL_ACCOUNT, demo.playground.origin)).toBe(
      `Approved ${demo.playground.origin} (it no longer uses ${READ_ONLY_ACCOUNT}).`,
    );
    await playground.bringToFront();
    expect((await read()).status).toBe('HTTP 200 OK');
    const created = await write();
    expect(created.status).toBe('HTTP 201 Created');
    expect(JSON.parse(created.body)).toMatchObject({ customer: 'Playground', status: 'open' });
  });

  it('silent renewal (Refresh) asks each account for its own access again, not the default', async () => {
    await popup.bringToFront();
    for (const [name, scope] of [
      [READ_ONLY_ACCOUNT, 'orders:read'],
      [FULL_ACCOUNT, 'orders:full'],
    ] as const) {
      const issued = demo.readycloud.issued.length;
      await popup.click('Refresh', { within: item(name) });
      await expect.poll(() => demo.readycloud.issued.length).toBe(issued + 1);
      await holdsLastIssued(name);
      expect(askedOfReadyCloud()).toBe(scope);
      expect(demo.readycloud.issued.at(-1)?.scope).toBe(scope);
    }
  });

  it('Reconnect keeps Read only, whatever the select shows', async () => {
    // ReadyCloud forgets the consent: the silent renewal fails, and Reconnect is offered.
    demo.readycloud.config.rememberConsent = false;
    await popup.click('Refresh', { within: item(READ_ONLY_ACCOUNT) });
    await expect.poll(async () => popup.names('button', item(READ_ONLY_ACCOUNT))).toContain('Reconnect');
    expect(await accessShown()).toEqual([`${ACCESS}: ${FULL}`]);
    const issued = demo.readycloud.issued.length;

    const consent = await popup.clickForNewPage('Reconnect', { within: item(READ_ONLY_ACCOUNT) });
    expect(await consent.texts('listitem', { role: 'list', name: 'Requested permissions' })).toEqual([
      `${READYCLOUD_SCOPES['orders:read']} (orders:read)`,
    ]);
    await consent.click('Allow');
    await popup.bringToFront();
    await expect.poll(() => demo.readycloud.issued.length).toBe(issued + 1);
    await holdsLastIssued(READ_ONLY_ACCOUNT);
    expect(askedOfReadyCloud()).toBe('orders:read');
    expect(demo.readycloud.issued.at(-1)?.scope).toBe('orders:read');
    await expect.poll(async () => popup.names('button', item(READ_ONLY_ACCOUNT))).not.toContain('Reconnect');
    expect(await accountNames(popup)).toEqual([READ_ONLY_ACCOUNT, FULL_ACCOUNT]);
    demo.readycloud.config.rememberConsent = true;
  });

  it('the background refuses an access the provider does not offer, and nothing changes', async () => {
    const send = (message: unknown) => sendFromExtensionPage(popup, message);
    const before = { accounts: (await driver.storage()).accounts, requests: authorizeRequests() };
    const offered = 'That access is not one ReadyCloud offers: choose one under Access for ReadyCloud. Nothing was changed.';
    for (const scopeOption of ['2', '-1', '1.0', 'length']) {
      expect(await send({ type: 'connect', providerId: 'readycloud', scopeOption })).toEqual({ ok: false, error: offered });
    }
    expect(await send({ type: 'connect', providerId: 'skyvault', scopeOption: '0' })).toEqual({
      ok: false,
      error: 'SkyVault offers no choice of access. Nothing was changed.',
    });
    // The background records a failed connect for the popup, as it does for any.
    await expect.poll(() => alertMessage(popup)).toBe('SkyVault offers no choice of access. Nothing was changed.');
    expect((await driver.storage()).accounts).toEqual(before.accounts);
    expect(authorizeRequests()).toBe(before.requests);
  });
});
