import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  demoRedirectUris,
  SKYVAULT_CLIENT_SECRET,
  SKYVAULT_DEVICE_NAME,
  skyVaultDeviceProvider,
  startDemo,
  type Demo,
  type RecordedRequest,
} from '../../demo/index';
import { startSkyVault, type SkyVaultServer } from '../../demo/skyvault';
import { drivers, type Driver, type DrivenPage } from '../../drive/driver';
import { startSiteServer } from './site-server';
import { signInToSkyVault, waitForText } from '../../drive/steps';

/**
 * A provider JSON that reuses a connected provider's id but points its endpoints and API at
 * another host: it must list the changes and wait for a second, explicit confirmation, and even
 * then no old refresh token, access token or client secret goes to the new host (README,
 * Provider JSON). The new host is a second SkyVault, so Reconnect can work against it.
 */

const PROMISE = "No import, edit or preset sends an account's refresh token, access token or client secret to a host it did not go to before";
const CHANGES = { role: 'group', name: 'Changes to where tokens go' };
const APPLY = 'Apply changes and reconnect';

interface StoredAccount {
  providerId: string;
  label: string;
  accessToken: string;
  refreshToken?: string;
  problem?: { kind: string; message: string };
}
interface StoredProvider {
  id: string;
  tokenUrl?: string;
  deviceAuthorizationUrl?: string;
  clientSecret?: string;
}

describe.each(['chromium', 'firefox'] as const)(`%s: ${PROMISE}`, (browserName) => {
  let driver: Driver;
  let demo: Demo;
  /** Where the crafted import sends SkyVault: a second SkyVault on another port. */
  let moved: SkyVaultServer;
  let site: Awaited<ReturnType<typeof startSiteServer>>;
  let popup: DrivenPage;
  let approved: DrivenPage;

  const storage = () => driver.storage() as Promise<{ providers?: StoredProvider[]; accounts?: StoredAccount[] }>;
  const skyvaultAccounts = async () => ((await storage()).accounts ?? []).filter((a) => a.providerId === 'skyvault');
  const accountTexts = () => popup.texts('listitem', { role: 'list', name: 'Accounts' });
  const item = (label: string) => ({ role: 'listitem', name: `SkyVault ${label}` });

  /** SkyVault's JSON with every endpoint and the API on the new host, and no client secret (as an export without secrets). */
  const movedJson = (extra: Record<string, unknown> = {}) => {
    const skyvault = (demo.providerJson.providers as Record<string, unknown>[]).find((p) => p.id === 'skyvault')!;
    const { clientSecret: _, ...rest } = skyvault;
    return JSON.stringify({
      providers: [
        {
          ...rest,
          authorizationUrl: `${moved.origin}/oauth/authorize`,
          tokenUrl: `${moved.origin}/oauth/token`,
          revocationUrl: `${moved.origin}/oauth/revoke`,
          apiBaseUrls: [`${moved.origin}/api/`],
          ...extra,
        },
      ],
    });
  };
  /** Every token the old SkyVault issued (the accounts' old tokens), and its client secret. */
  const oldSecrets = () => [...demo.skyvault.issued.flatMap((t) => [t.access_token, t.refresh_token]), SKYVAULT_CLIENT_SECRET];
  /** Requests the new host received that carry an old token or the secret, anywhere. */
  const leaksTo = (server: { requests: RecordedRequest[] }, secrets: string[]) =>
    server.requests.filter((r) => secrets.some((secret) => JSON.stringify(r).includes(secret))).map((r) => `${r.method} ${r.path}`);

  let marker = 0;
  /** `fetch`es `url` from the approved page; returns the status and the Authorization the server received. */
  async function fetchFromApproved(url: string, server: { requests: RecordedRequest[] }) {
    const target = new URL(url);
    target.searchParams.set('m', `${browserName}-${++marker}`);
    const status = await approved.evaluate(
      (u) =>
        fetch(u, { cache: 'no-store' }).then(
          (r) => r.status,
          () => 0,
        ),
      target.href,
    );
    const received = server.requests.find((r) => r.query.m === target.searchParams.get('m'));
    if (!received) throw new Error(`${target.href} did not reach the server`);
    return { status, authorization: received.headers.authorization };
  }

  async function importJson(options: DrivenPage, json: string): Promise<void> {
    await options.fill('Provider JSON', json);
    await options.click('Import');
  }

  beforeAll(async () => {
    driver = await drivers[browserName]();
    demo = await startDemo({ redirectUris: demoRedirectUris(driver.redirectUrl) });
    moved = await startSkyVault({ host: '127.0.0.1', port: 0, redirectUris: demoRedirectUris(driver.redirectUrl).skyvault });
    site = await startSiteServer();
  });
  afterAll(async () => {
    await driver?.close();
    await demo?.close();
    await moved?.close();
    await site?.close();
  });

  it('two SkyVault accounts connected, the first approved for a site', async () => {
    const options = await driver.openOptions();
    await importJson(options, JSON.stringify(demo.providerJson));
    expect(await waitForText(options, ['status', 'alert'])).toBe('Imported: added readycloud, skyvault.');
    popup = await driver.openPopup();
    for (const label of ['Account 1', 'Account 2']) {
      await signInToSkyVault(await popup.clickForNewPage('Connect SkyVault'));
      await expect.poll(async () => (await skyvaultAccounts()).map((a) => a.label)).toContain(label);
    }
    const section = { role: 'region', name: 'SkyVault Account 1' };
    await options.fill('Site origin', `http://localhost:${site.port}`, section);
    await options.click('Approve', { within: section });
    expect(await waitForText(options, ['status', 'alert'], section)).toBe(`Approved http://localhost:${site.port}.`);
    await options.close();
    approved = await driver.openPage(`http://localhost:${site.port}/`);
  });

  it('an import that moves a connected provider lists each change and what follows, and writes nothing on the first click', async () => {
    const before = await storage();
    const options = await driver.openOptions();
    await importJson(options, movedJson());
    await expect
      .poll(() => options.texts('listitem', CHANGES))
      .toEqual([
        `Authorization URL moves from ${demo.skyvault.origin} to ${moved.origin}`,
        `Token URL moves from ${demo.skyvault.origin} to ${moved.origin}`,
        `Revocation URL moves from ${demo.skyvault.origin} to ${moved.origin}`,
        `API base URLs add the origin ${moved.origin}`,
        'SkyVault Account 1 and SkyVault Account 2 lose their access and refresh tokens and need Reconnect.',
        'The stored client secret is not kept: enter it again.',
      ]);
    expect(await options.names('button', CHANGES)).toEqual([APPLY, 'Cancel']);
    expect(await storage()).toEqual(before);
    await options.close();
  });

  it('without the confirmation, a renewal and an approved page still use the old hosts, and the new host receives nothing', async () => {
    const [old] = await skyvaultAccounts();
    await popup.click('Refresh', { within: item('Account 1') });
    await expect.poll(async () => (await skyvaultAccounts())[0]!.accessToken).not.toBe(old!.accessToken);
    const current = (await skyvaultAccounts())[0]!.accessToken;
    expect(await fetchFromApproved(`${demo.skyvault.origin}/api/sites`, demo.skyvault)).toEqual({
      status: 200,
      authorization: `Bearer ${current}`,
    });
    expect(await fetchFromApproved(`${moved.origin}/api/sites`, moved)).toEqual({ status: 401, authorization: undefined });
    expect(moved.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/sites']);
    expect(leaksTo(moved, oldSecrets())).toEqual([]);
  });

  it('Cancel leaves everything as it was', async () => {
    const before = await storage();
    const options = await driver.openOptions();
    await importJson(options, movedJson());
    await options.click('Cancel', { within: CHANGES });
    await expect.poll(() => options.texts('listitem', CHANGES)).toEqual([]);
    expect(await storage()).toEqual(before);
    await options.close();
  });

  it('a confirmation holds only for the document it was shown for: an edited or another document is asked about again, and nothing is written', async () => {
    const before = await storage();
    const options = await driver.openOptions();
    await importJson(options, movedJson());
    await expect.poll(async () => (await options.texts('listitem', CHANGES)).length).toBe(6);
    // Editing the text withdraws the list and its Apply button.
    await options.fill('Provider JSON', movedJson({ name: 'SkyVault (moved)' }));
    expect(await options.texts('listitem', CHANGES)).toEqual([]);

    // Straight to the background, as a page of the extension could: the confirmation of one document applies no other.
    const ask = (message: Record<string, unknown>) =>
      options.evaluate((m) => {
        const api = (globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome;
        return api.runtime.sendMessage<unknown, { ok: boolean; value?: { kind: string; confirmation?: string } }>(m);
      }, message);
    const shown = await ask({ type: 'importProviders', json: movedJson() });
    expect(shown.value?.kind).toBe('confirm');
    const other = await ask({ type: 'importProviders', json: movedJson({ name: 'SkyVault (moved)' }), confirmed: shown.value?.confirmation });
    expect(other.value?.kind).toBe('confirm');
    expect(other.value?.confirmation).not.toBe(shown.value?.confirmation);
    expect(await storage()).toEqual(before);
    await options.close();
  });

  it(`after ${APPLY}: the accounts hold no token and need Reconnect, the secret is gone, and the new host still receives nothing`, async () => {
    const options = await driver.openOptions();
    await importJson(options, movedJson());
    await options.click(APPLY, { within: CHANGES });
    await expect
      .poll(async () => (await options.texts('status'))[0])
      .toBe('Imported: updated skyvault. SkyVault Account 1 and SkyVault Account 2 need Reconnect. Enter the client secret of SkyVault again.');
    expect(await options.texts('listitem', CHANGES)).toEqual([]);
    await options.close();

    const stored = await storage();
    const provider = stored.providers!.find((p) => p.id === 'skyvault')!;
    expect(provider.tokenUrl).toBe(`${moved.origin}/oauth/token`);
    expect(provider.clientSecret).toBeUndefined();
    for (const account of await skyvaultAccounts()) {
      expect(account.accessToken).toBe('');
      expect(account.refreshToken).toBeUndefined();
      expect(account.problem?.kind).toBe('needs reconnect');
    }
    // No token left to send: the popup offers Reconnect, not Refresh or Copy token.
    await expect
      .poll(async () => (await accountTexts()).filter((t) => t.includes('SkyVault')))
      .toEqual([
        expect.stringMatching(/SkyVault.*Account 1.*needs reconnect.*no token.*Press Reconnect/),
        expect.stringMatching(/SkyVault.*Account 2.*needs reconnect.*no token.*Press Reconnect/),
      ]);
    const buttons = await popup.names('button', item('Account 1'));
    expect(buttons).toContain('Reconnect');
    expect(buttons).not.toContain('Refresh');
    expect(buttons).not.toContain('Copy token');
    // The approved page's call to the new API carries nothing.
    expect(await fetchFromApproved(`${moved.origin}/api/sites`, moved)).toEqual({ status: 401, authorization: undefined });
    expect(moved.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/sites', 'GET /api/sites']);
    expect(leaksTo(moved, oldSecrets())).toEqual([]);
  });

  it('the same import repeated is a no-op', async () => {
    const before = await storage();
    const options = await driver.openOptions();
    await importJson(options, movedJson());
    expect(await waitForText(options, ['status', 'alert'])).toBe('Imported: nothing new.');
    expect(await options.texts('listitem', CHANGES)).toEqual([]);
    expect(await storage()).toEqual(before);
    await options.close();
  });

  it('Disconnect of such an account sends nothing anywhere; with the secret entered again, Reconnect works against the new host', async () => {
    const oldTokens = oldSecrets().filter((s) => s !== SKYVAULT_CLIENT_SECRET);
    const oldHostRequests = demo.skyvault.requests.length;
    await popup.click('Disconnect', { within: item('Account 2') });
    await expect.poll(async () => (await skyvaultAccounts()).map((a) => a.label)).toEqual(['Account 1']);

    const options = await driver.openOptions();
    await importJson(options, movedJson({ clientSecret: SKYVAULT_CLIENT_SECRET }));
    expect(await waitForText(options, ['status', 'alert'])).toBe('Imported: updated skyvault.');
    await options.close();

    await signInToSkyVault(await popup.clickForNewPage('Reconnect', { within: item('Account 1') }));
    await expect.poll(async () => (await accountTexts()).find((t) => t.includes('SkyVault'))).toMatch(/SkyVault.*Account 1.*active/);
    const [account] = await skyvaultAccounts();
    expect(moved.issued.map((t) => t.access_token)).toContain(account!.accessToken);
    expect(await fetchFromApproved(`${moved.origin}/api/sites`, moved)).toEqual({
      status: 200,
      authorization: `Bearer ${account!.accessToken}`,
    });

    // Disconnect revoked nothing, at either host; and no old token ever reached the new one.
    expect(demo.skyvault.requests.slice(oldHostRequests)).toEqual([]);
    expect(moved.requests.filter((r) => r.path === '/oauth/revoke')).toEqual([]);
    expect(leaksTo(moved, oldTokens)).toEqual([]);
  });
  it('Save provider asks the same way: the form never shows the stored secret, and moving the token endpoint needs the confirmation', async () => {
    const options = await driver.openOptions();
    await options.select('Edit', 'SkyVault');
    await expect.poll(() => options.value('Token URL')).toBe(`${moved.origin}/oauth/token`);
    expect(await options.value('Client secret')).toBe('');
    const before = await storage();
    await options.fill('Token URL', `${demo.skyvault.origin}/oauth/token`);
    await options.click('Save provider');
    await expect
      .poll(() => options.texts('listitem', CHANGES))
      .toEqual([
        `Token URL moves from ${moved.origin} to ${demo.skyvault.origin}`,
        'SkyVault Account 1 loses its access and refresh tokens and needs Reconnect.',
        'The stored client secret is not kept: enter it again.',
      ]);
    expect(await storage()).toEqual(before);

    await options.click(APPLY, { within: CHANGES });
    await expect
      .poll(async () => (await options.texts('status'))[0])
      .toBe('Saved SkyVault. SkyVault Account 1 needs Reconnect. Enter the client secret of SkyVault again.');
    await options.close();
    const [account] = await skyvaultAccounts();
    expect(account).toMatchObject({ accessToken: '', problem: { kind: 'needs reconnect' } });
    expect(account!.refreshToken).toBeUndefined();
    const provider = (await storage()).providers!.find((p) => p.id === 'skyvault')!;
    expect(provider).toMatchObject({ tokenUrl: `${demo.skyvault.origin}/oauth/token` });
    expect(provider.clientSecret).toBeUndefined();
    // The old host, where the token endpoint went back to, never saw a token the new one issued.
    const movedTokens = moved.issued.flatMap((t) => [t.access_token, t.refresh_token]);
    expect(leaksTo(demo.skyvault, movedTokens)).toEqual([]);
  });

  it('moving only the device authorization URL of a connected device-grant provider needs the confirmation too', async () => {
    const device = skyVaultDeviceProvider(demo.skyvault);
    const options = await driver.openOptions();
    await importJson(options, JSON.stringify({ providers: [device] }));
    expect(await waitForText(options, ['status', 'alert'])).toBe('Imported: added skyvault-device.');
    await signInToSkyVault(await popup.clickForNewPage(`Connect ${SKYVAULT_DEVICE_NAME}`));
    const deviceAccount = async () => ((await storage()).accounts ?? []).find((a) => a.providerId === device.id);
    // TokenTap's next poll (every 5 s, SkyVault's interval) gets the tokens.
    await expect.poll(async () => (await deviceAccount())?.accessToken ?? '', { timeout: 15_000 }).not.toBe('');

    // The user code would be asked at the new host, with the client's secret: the same review as a moved token URL.
    const before = await storage();
    const movedDevice = JSON.stringify({ providers: [{ ...device, deviceAuthorizationUrl: `${moved.origin}/oauth/device` }] });
    await importJson(options, movedDevice);
    await expect
      .poll(() => options.texts('listitem', CHANGES))
      .toEqual([
        `Device authorization URL moves from ${demo.skyvault.origin} to ${moved.origin}`,
        `${SKYVAULT_DEVICE_NAME} Account 1 loses its access and refresh tokens and needs Reconnect.`,
      ]);
    expect(await storage()).toEqual(before);

    await options.click(APPLY, { within: CHANGES });
    await expect
      .poll(async () => (await options.texts('status'))[0])
      .toBe(`Imported: updated skyvault-device. ${SKYVAULT_DEVICE_NAME} Account 1 needs Reconnect.`);
    await options.close();
    const provider = (await storage()).providers!.find((p) => p.id === device.id)!;
    expect(provider).toMatchObject({ deviceAuthorizationUrl: `${moved.origin}/oauth/device`, tokenUrl: device.tokenUrl });
    expect(await deviceAccount()).toMatchObject({ accessToken: '', problem: { kind: 'needs reconnect' } });
    expect((await deviceAccount())!.refreshToken).toBeUndefined();
    expect(
      leaksTo(
        moved,
        oldSecrets().filter((s) => s !== SKYVAULT_CLIENT_SECRET),
      ),
    ).toEqual([]);
  });
});
