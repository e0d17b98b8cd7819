import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountNames, importProviders } from '../../drive/steps';
import { connectedSetup, type ConnectedSetup } from './setup';
import { skyVaultAuthorizationFrom } from './observed';

/**
 * The options page's per-provider settings, in Chromium and Firefox ESR: tokenParams reaching
 * SkyVault's token endpoint, the warning for a provider that asks for no scope, and Remove
 * {provider} with its confirmation.
 */
describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let setup: ConnectedSetup;
  const ACCOUNT = 'SkyVault Account 1';

  beforeAll(async () => {
    setup = await connectedSetup(browserName, { connect: ['skyvault'], approve: [ACCOUNT] });
  });
  afterAll(() => setup?.close());

  /** The demo's provider JSON with `change` applied to the provider `id`. */
  const providerJsonWith = (id: string, change: Record<string, unknown>) => {
    const json = structuredClone(setup.demo.providerJson) as { providers: Record<string, unknown>[] };
    Object.assign(
      json.providers.find((p) => p['id'] === id)!,
      change,
    );
    return json;
  };
  const stored = async () =>
    (await setup.driver.storage()) as {
      providers: { id: string }[];
      accounts: { providerId: string; refreshToken?: string }[];
      approvals: unknown[];
    };

  it("sends SkyVault's tokenParams with the refresh", async () => {
    const tokenParams = { audience: 'https://api.skyvault.example/', resource: `${setup.demo.skyvault.origin}/api/` };
    expect(await importProviders(setup.driver, providerJsonWith('skyvault', { tokenParams }))).toMatch(/^Imported: /);
    const refreshes = () => setup.demo.skyvault.requests.filter((r) => r.path === '/oauth/token' && r.params.grant_type === 'refresh_token');
    const earlier = refreshes().length;
    await setup.popup.click('Refresh', { within: { role: 'listitem', name: ACCOUNT } });
    await expect.poll(() => refreshes().length).toBe(earlier + 1);
    expect(refreshes().at(-1)!.params).toMatchObject(tokenParams);
  });

  it('warns on the options page about a provider that asks for no scope, unless it offers a choice of access', async () => {
    const warning = 'ReadyCloud asks for no scope: providers such as ReadyCloud then grant every scope. Not recommended.';
    const options = await setup.driver.openOptions();
    expect(await options.texts('note')).not.toContain(warning);
    await options.close();
    // ReadyCloud's scopeOptions: Connect asks for the access chosen, so its empty scopes ask for nothing less.
    expect(await importProviders(setup.driver, providerJsonWith('readycloud', { scopes: [] }))).toMatch(/^Imported: updated readycloud/);
    const withChoice = await setup.driver.openOptions();
    await expect.poll(async () => (await withChoice.texts('listitem')).some((text) => text.includes('ReadyCloud'))).toBe(true);
    expect(await withChoice.texts('note')).not.toContain(warning);
    await withChoice.close();
    expect(await importProviders(setup.driver, providerJsonWith('readycloud', { scopes: [], scopeOptions: undefined }))).toMatch(/^Imported: /);
    const after = await setup.driver.openOptions();
    await expect.poll(() => after.texts('note')).toEqual([warning]);
    await after.close();
  });

  it('Remove SkyVault: Cancel keeps everything; the confirmation removes provider, account and approval, and revokes the tokens', async () => {
    const { driver, demo, popup, playground } = setup;
    expect(await skyVaultAuthorizationFrom(demo, playground)).toMatch(/^Bearer /);
    const before = await stored();
    const refreshToken = before.accounts.find((a) => a.providerId === 'skyvault')!.refreshToken!;

    const options = await driver.openOptions();
    await options.click('Remove SkyVault');
    const confirmation = { role: 'group', name: 'Remove SkyVault?' };
    expect(await options.texts('alert', confirmation)).toEqual(['Removing SkyVault disconnects SkyVault Account 1 and revokes its tokens.']);
    await options.click('Cancel', { within: confirmation });
    await expect.poll(() => options.names('button')).toContain('Remove SkyVault');
    expect(await stored()).toEqual(before);

    await options.click('Remove SkyVault');
    await options.click('Remove SkyVault and its accounts', { within: confirmation });
    await expect.poll(async () => (await stored()).providers.map((p) => p.id)).toEqual(['readycloud']);
    expect((await stored()).accounts).toEqual([]);
    expect((await stored()).approvals).toEqual([]);
    expect(await options.names('button')).not.toContain('Remove SkyVault');
    await options.close();

    await expect.poll(() => accountNames(popup)).toEqual([]);
    expect(await popup.names('button')).not.toContain('Connect SkyVault');
    await expect.poll(() => skyVaultAuthorizationFrom(demo, playground)).toBeUndefined();
    await expect.poll(() => demo.skyvault.requests.some((r) => r.path === '/oauth/revoke' && r.params.token === refreshToken)).toBe(true);
  });
});
