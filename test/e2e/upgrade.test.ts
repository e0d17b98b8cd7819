import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { demoRedirectUris, startDemo, type Demo } from '../../demo/index';
import { chromiumDriver, firefoxDriver, type Driver } from '../../drive/driver';
import { startSiteServer } from './site-server';
import { secretsGiven, secretsIn as secretsInOf, skyVaultAuthorizationFrom } from './observed';
import { approveSite, importProviders, signInToSkyVault } from '../../drive/steps';

/**
 * Upgrades (README "Upgrades"): a profile written by TokenTap 0.1.0 (plaintext secrets, one
 * redirect URL for every provider), updated in place to this build, keeps every provider, account
 * and approval; its secrets end up encrypted, and the implicit account says what the user must do.
 */

/** TokenTap 0.1.0 as built (test/fixtures/tokentap-0.1.0/README.md says how). */
const OLD_BUILD = resolve(import.meta.dirname, '../fixtures/tokentap-0.1.0');
const NEW_BUILD = resolve(import.meta.dirname, '../../dist');

type StoredAccount = { providerId: string; accessToken: string; refreshToken?: string; needsSignIn?: { message: string } };

describe.each([
  ['chromium', 'chrome'],
  ['firefox', 'firefox'],
] as const)('%s', (browserName, target) => {
  /** The unpacked extension's one directory: the update replaces its contents, as a store update would. */
  const extensionDir = mkdtempSync(join(tmpdir(), `tokentap-upgrade-${target}-`));
  let driver: Driver;
  let demo: Demo;
  let site: Awaited<ReturnType<typeof startSiteServer>>;
  let before: Record<string, unknown>;

  beforeAll(async () => {
    // The files both 0.1.0 builds share are kept once, in both/.
    cpSync(join(OLD_BUILD, 'both'), extensionDir, { recursive: true });
    cpSync(join(OLD_BUILD, target), extensionDir, { recursive: true });
    driver = browserName === 'chromium' ? await chromiumDriver({ extensionDir }) : await firefoxDriver({ extensionDir });
    // 0.1.0 signs in on the one shared URL; after the update each provider has its own (both registered, as an upgrading user would).
    const own = demoRedirectUris(driver.redirectUrl);
    demo = await startDemo({
      redirectUris: { readycloud: [driver.redirectUrl, ...own.readycloud], skyvault: [driver.redirectUrl, ...own.skyvault] },
    });
    site = await startSiteServer();
  });
  afterAll(async () => {
    await driver?.close();
    await demo?.close();
    await site?.close();
    rmSync(extensionDir, { recursive: true, force: true });
  });

  const approvedOrigin = () => `http://localhost:${site.port}`;
  const accounts = (state: Record<string, unknown>) => (state.accounts ?? []) as StoredAccount[];
  const secretsIn = (text: string) => secretsInOf(demo, text);
  /** The demo providers as 0.1.0 knew them: its import refuses the fields added since (ReadyCloud's scopeOptions). */
  const providerJsonOf010 = () => ({
    providers: (demo.providerJson.providers as Record<string, unknown>[]).map(({ scopeOptions: _, ...provider }) => provider),
  });

  it('TokenTap 0.1.0: imports both demo providers (SkyVault with its client secret), connects both, approves a site', async () => {
    expect((JSON.parse(readFileSync(join(extensionDir, 'manifest.json'), 'utf8')) as { version: string }).version).toBe('0.1.0');
    expect(await importProviders(driver, providerJsonOf010())).toBe('Imported: added readycloud, skyvault.');
    const popup = await driver.openPopup();
    const names = () => popup.names('listitem', { role: 'list', name: 'Accounts' });
    await (await popup.clickForNewPage('Connect ReadyCloud')).click('Allow');
    await expect.poll(names).toEqual(['ReadyCloud Account 1']);
    await signInToSkyVault(await popup.clickForNewPage('Connect SkyVault'));
    await expect.poll(names).toEqual(['ReadyCloud Account 1', 'SkyVault Account 1']);
    expect(await approveSite(driver, 'SkyVault Account 1', approvedOrigin())).toBe(`Approved ${approvedOrigin()}.`);
    expect(await approveSite(driver, 'ReadyCloud Account 1', approvedOrigin())).toBe(`Approved ${approvedOrigin()}.`);
    before = await driver.storage();
    // 0.1.0 kept every secret in plaintext, where content scripts can read it.
    const raw = await driver.rawStorage();
    expect(raw).toEqual(before);
    expect(raw.schemaVersion).toBeUndefined();
    expect(secretsIn(JSON.stringify(raw))).toEqual(secretsGiven(demo));
    const approved = await driver.openPage(`${approvedOrigin()}/`);
    expect(await skyVaultAuthorizationFrom(demo, approved)).toBe(`Bearer ${accounts(before)[1]!.accessToken}`);
  });

  it('updated in place to this build: every provider, account and approval survives; the secrets are encrypted; injection goes on', async () => {
    const newBuild = join(NEW_BUILD, target);
    const { version } = JSON.parse(readFileSync(join(newBuild, 'manifest.json'), 'utf8')) as { version: string };
    expect(version).not.toBe('0.1.0');
    await driver.restart((profileDir) => {
      rmSync(extensionDir, { recursive: true, force: true });
      cpSync(newBuild, extensionDir, { recursive: true });
      // Chromium keeps running the registered service worker of a command-line unpacked extension
      // whose files changed (its pages do load the new files); the store's updater and the Reload
      // button register the new one. Dropping the registration stands in for them (README "Upgrades").
      if (browserName === 'chromium') rmSync(join(profileDir, 'Default', 'Service Worker'), { recursive: true, force: true });
    });
    // The background migrates at update (and at start): wait for it.
    await expect.poll(async () => (await driver.rawStorage()).schemaVersion, { timeout: 15_000 }).toBe(2);
    expect(secretsIn(JSON.stringify(await driver.rawStorage()))).toEqual([]);

    const after = await driver.storage();
    expect(after.providers).toEqual(before.providers);
    expect(after.approvals).toEqual(before.approvals);
    const [readycloud, skyvault] = accounts(before);
    expect(accounts(after)).toEqual([
      {
        ...readycloud,
        needsSignIn: {
          message: `TokenTap now gives ReadyCloud its own redirect URL: register ${driver.redirectUrl}readycloud at ReadyCloud, then press Reconnect.`,
        },
      },
      skyvault,
    ]);

    const approved = await driver.openPage(`${approvedOrigin()}/`);
    await expect.poll(() => skyVaultAuthorizationFrom(demo, approved), { timeout: 15_000 }).toBe(`Bearer ${skyvault!.accessToken}`);
    const popup = await driver.openPopup();
    const item = { role: 'listitem', name: 'ReadyCloud Account 1' };
    await expect.poll(async () => (await popup.texts('listitem', { role: 'list', name: 'Accounts' }))[0]).toContain('its own redirect URL');
    expect(await popup.names('button', item)).toContain('Reconnect');
  });
});
