import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../../demo/index';
import { KEY_LOCATION } from '../../src/storage/secret-key';
import { describeUnreadableSecrets } from '../../src/storage/secrets';
import type { Driver, DrivenPage } from '../../drive/driver';
import type { SiteServer } from './site-server';
import { launchWithDemoAndSite, type SiteSetup } from './setup';
import { secretsGiven, secretsIn as secretsInOf, skyVaultAuthorizationFrom } from './observed';
import { READYCLOUD_TAB_NAME, approveSite, importProviders, readyCloudTabProvider, signInToSkyVault } from '../../drive/steps';

/**
 * Secrets at rest (README "Secrets at rest"): storage.local, which every content script can read,
 * holds tokens and client secrets only encrypted; the extension's own pages still read them.
 */

type StoredAccount = { providerId: string; accessToken: string; refreshToken?: string };

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let driver: Driver;
  let demo: Demo;
  let site: SiteServer;
  let popup: DrivenPage;
  let approved: DrivenPage;
  const tabProviderName = READYCLOUD_TAB_NAME;

  let setup: SiteSetup;
  beforeAll(async () => {
    setup = await launchWithDemoAndSite(browserName);
    ({ driver, demo, site } = setup);
  });
  afterAll(() => setup?.close());

  const storedAccounts = async () => ((await driver.storage()).accounts ?? []) as StoredAccount[];
  const skyvaultAccount = async () => (await storedAccounts()).find((a) => a.providerId === 'skyvault')!;
  const secretsIn = (text: string) => secretsInOf(demo, text);

  const accounts = () => popup.names('listitem', { role: 'list', name: 'Accounts' });

  it('connects ReadyCloud, SkyVault (client secret, refresh token) and a tab-mode provider, and approves a site for SkyVault', async () => {
    const tabProvider = readyCloudTabProvider(demo);
    const json = demo.providerJson;
    expect(await importProviders(driver, { providers: [...json.providers, tabProvider] })).toBe(
      'Imported: added readycloud, skyvault, readycloud-tab.',
    );
    popup = await driver.openPopup();
    await (await popup.clickForNewPage('Connect ReadyCloud')).click('Allow');
    await expect.poll(accounts).toEqual(['ReadyCloud Account 1']);
    await signInToSkyVault(await popup.clickForNewPage('Connect SkyVault'));
    await expect.poll(accounts).toEqual(['ReadyCloud Account 1', 'SkyVault Account 1']);
    await (await popup.clickForNewPage(`Connect ${tabProviderName}`)).click('Allow');
    await expect.poll(accounts).toEqual(['ReadyCloud Account 1', 'SkyVault Account 1', `${tabProviderName} Account 1`]);
    const approvedOrigin = `http://localhost:${site.port}`;
    expect(await approveSite(driver, 'SkyVault Account 1', approvedOrigin)).toBe(`Approved ${approvedOrigin}.`);
    approved = await driver.openPage(`${approvedOrigin}/`);
  });

  it("No script that runs in a web page — the page's own or the extension's content script — can read stored tokens or client secrets: storage.local holds none of them", async () => {
    // The extension's pages read them all (decrypted with the key only they can reach).
    const accounts = await storedAccounts();
    expect(accounts.map((a) => a.providerId)).toEqual(['readycloud', 'skyvault', 'readycloud-tab']);
    const readable = JSON.stringify(await driver.storage());
    expect(secretsGiven(demo)).toHaveLength(5);
    expect(secretsIn(readable)).toEqual(secretsGiven(demo));
    // What any content script gets from storage.local.get(null): none of them, anywhere.
    const raw = await driver.rawStorage();
    expect(raw.schemaVersion).toBe(2);
    expect((raw.accounts as unknown[]).length).toBe(3);
    expect(secretsIn(JSON.stringify(raw))).toEqual([]);
  });

  if (browserName === 'chromium') {
    it("TokenTap's own content script, on the tab-mode redirect page, gets exactly that from storage.local: no token, no client secret", async () => {
      const seen = await driver.contentScriptStorage!(`${demo.readycloud.origin}/oauth/token-page`);
      expect(seen).toEqual(await driver.rawStorage());
      expect(secretsIn(JSON.stringify(seen))).toEqual([]);
    });
  }

  it('injection attaches the decrypted token, and Refresh stores the new tokens encrypted too', async () => {
    const before = await skyvaultAccount();
    expect(await skyVaultAuthorizationFrom(demo, approved)).toBe(`Bearer ${before.accessToken}`);
    await popup.click('Refresh', { within: { role: 'listitem', name: 'SkyVault Account 1' } });
    await expect.poll(async () => (await skyvaultAccount()).accessToken).not.toBe(before.accessToken);
    const after = await skyvaultAccount();
    expect(after.accessToken).toBe(demo.skyvault.issued.at(-1)!.access_token);
    expect(await skyVaultAuthorizationFrom(demo, approved)).toBe(`Bearer ${after.accessToken}`);
    expect(secretsIn(JSON.stringify(await driver.rawStorage()))).toEqual([]);
  });

  it('after a browser restart the background decrypts the tokens again and injection resumes', async () => {
    const { accessToken } = await skyvaultAccount();
    await driver.restart();
    approved = await driver.openPage(`http://localhost:${site.port}/`);
    await expect.poll(() => skyVaultAuthorizationFrom(demo, approved), { timeout: 15_000 }).toBe(`Bearer ${accessToken}`);
    expect(secretsIn(JSON.stringify(await driver.rawStorage()))).toEqual([]);
  });

  it("a lost key (the extension's IndexedDB cleared) crashes nothing: accounts need Reconnect, the client secret must be entered again, and the popup says so", async () => {
    const options = await driver.openOptions();
    await options.evaluate(
      (database) =>
        new Promise<void>((done, fail) => {
          const deleting = indexedDB.deleteDatabase(database);
          deleting.onsuccess = () => done();
          deleting.onerror = () => fail(deleting.error ?? new Error('deleteDatabase failed'));
        }),
      KEY_LOCATION.database,
    );
    await driver.restart();
    popup = await driver.openPopup();
    const accounts = ['ReadyCloud Account 1', 'SkyVault Account 1', `${tabProviderName} Account 1`];
    await expect.poll(async () => (await popup.texts('alert'))[0], { timeout: 15_000 }).toContain('could not decrypt');
    // The background repaired storage before it raised the alert. It names the accounts as the popup
    // does, in the order they are stored (renewals change it).
    const stored = (await driver.storage()) as {
      providers: { id: string; name: string; clientSecret?: string }[];
      accounts: { providerId: string; label: string }[];
    };
    const storedOrder = stored.accounts.map((a) => `${stored.providers.find((p) => p.id === a.providerId)!.name} ${a.label}`);
    expect((await popup.texts('alert'))[0]).toContain(describeUnreadableSecrets({ accounts: storedOrder, providers: ['SkyVault'] }));
    expect((await popup.names('listitem', { role: 'list', name: 'Accounts' })).sort()).toEqual([...accounts].sort());
    for (const text of await popup.texts('listitem', { role: 'list', name: 'Accounts' })) expect(text).toContain('needs reconnect');
    expect(stored.providers.find((p) => p.id === 'skyvault')!.clientSecret).toBeUndefined();
    approved = await driver.openPage(`http://localhost:${site.port}/`);
    expect(await skyVaultAuthorizationFrom(demo, approved)).toBeUndefined();

    // What the alert says to do works: the secret again (Import), then Reconnect.
    await popup.click('Dismiss');
    expect(await importProviders(driver, demo.providerJson)).toMatch(/skyvault/);
    const item = { role: 'listitem', name: 'SkyVault Account 1' };
    await signInToSkyVault(await popup.clickForNewPage('Reconnect', { within: item }));
    await expect
      .poll(async () => (await popup.texts('listitem', { role: 'list', name: 'Accounts' })).find((text) => text.startsWith('SkyVault')))
      .toMatch(/active/);
    expect(await skyVaultAuthorizationFrom(demo, approved)).toBe(`Bearer ${(await skyvaultAccount()).accessToken}`);
    expect(secretsIn(JSON.stringify(await driver.rawStorage()))).toEqual([]);
  });
});
