// The device authorization grant (README "Device sign-in", RFC 8628) against a real OpenID provider,
// oidc-provider with its `deviceFlow` feature, in both browsers. The user approves on the
// provider's verification page as a person would: with the code in the page's address, typed by
// hand from the popup's User code, denied, and too late. Polling outlives the popup and the
// background being stopped.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drivers, type Driver, type DrivenPage } from '../../drive/driver';
import { accountNames, accountText, alertMessage, importProviders, signInToOidcProvider, storedAccountOf } from '../../drive/steps';
import { OIDC_SCOPE, OIDC_USER, startOidcServer, type OidcDeviceFlow, type OidcServer } from './oidc-server';

/** One provider per way the verification page is reached, each on a provider of its own. */
const PROVIDERS = {
  complete: { id: 'tv-complete', name: 'TV Complete' },
  typed: { id: 'tv-typed', name: 'TV Typed' },
  shortLived: { id: 'tv-short', name: 'TV Short' },
} as const;
const SERVER_OPTIONS: Record<keyof typeof PROVIDERS, OidcDeviceFlow> = {
  complete: {},
  typed: { withoutCompleteUri: true },
  // Shorter than oidc-provider's 5-second interval: the code expires before the first poll.
  shortLived: { codeTtl: 3 },
};
const CLIENT = { clientId: 'tv-app', clientSecret: 'tv-app-secret-0123456789abcdef', authMethod: 'client_secret_post' } as const;
const USER_CODE = { role: 'textbox', name: 'User code' };
/** Long enough for the next poll: oidc-provider names no interval, so TokenTap polls every 5 seconds (RFC 8628 3.2). */
const NEXT_POLL = { timeout: 15_000 };

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let driver: Driver;
  const servers = {} as Record<keyof typeof PROVIDERS, OidcServer>;
  let popup: DrivenPage;

  beforeAll(async () => {
    driver = await drivers[browserName]();
    for (const key of Object.keys(PROVIDERS) as (keyof typeof PROVIDERS)[]) {
      servers[key] = await startOidcServer([{ ...CLIENT, redirectUri: 'http://localhost/unused' }], { deviceFlow: SERVER_OPTIONS[key] });
    }
    const providers = (Object.keys(PROVIDERS) as (keyof typeof PROVIDERS)[]).map((key) => ({
      ...PROVIDERS[key],
      flow: 'device',
      deviceAuthorizationUrl: servers[key].deviceAuthorizationUrl,
      tokenUrl: servers[key].tokenUrl,
      revocationUrl: servers[key].revocationUrl,
      clientId: CLIENT.clientId,
      clientSecret: CLIENT.clientSecret,
      scopes: [OIDC_SCOPE],
      apiBaseUrls: [`${servers[key].issuer}/api/`],
    }));
    expect(await importProviders(driver, { providers })).toMatch(/^Imported: /);
    popup = await driver.openPopup();
  });

  afterAll(async () => {
    await driver?.close();
    await Promise.all(Object.values(servers).map((server) => server.close()));
  });

  /** Allows the device on the provider's confirmation page and signs in there. */
  const approve = async (page: DrivenPage) => {
    await page.click('Allow');
    await signInToOidcProvider(page, OIDC_USER);
    await expect.poll(() => page.texts('status')).toEqual(['The device is connected. You can close this page.']);
  };

  it('Connect opens the verification page with the code in it; once allowed, the account is active and refreshes', async () => {
    const { name, id } = PROVIDERS.complete;
    const server = servers.complete;
    const page = await popup.clickForNewPage(`Connect ${name}`);
    expect(await page.url()).toMatch(new RegExp(`^${server.issuer}/device`));
    const userCode = await popup.value('User code');
    expect(userCode).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(await popup.texts('group')).toEqual([expect.stringMatching(/expires in (9|10) min/)]);
    // The page shows the code the popup shows: the user compares them before allowing.
    expect(await page.evaluate(() => document.querySelector('code')?.textContent, undefined)).toBe(userCode);
    await approve(page);
    await expect.poll(() => accountText(popup, `${name} Account 1`), NEXT_POLL).toMatch(/active/);
    expect(await popup.names('textbox')).not.toContain(USER_CODE.name);
    // The device and token requests went without Origin, as a native client's do.
    const posts = server.posts.filter((post) => post.path === '/device/auth' || post.path === '/token');
    expect(new Set(posts.map((post) => post.origin))).toEqual(new Set(['']));
    const stored = (await storedAccountOf(driver, id))!;
    expect(await server.holds(stored.accessToken)).toBe(true);
    expect(stored.refreshToken).toBeDefined();
    await popup.click('Refresh', { within: { role: 'listitem', name: `${name} Account 1` } });
    await expect.poll(() => popup.texts('status')).toContain('Refreshed: a new access token is in use.');
    expect((await storedAccountOf(driver, id))!.accessToken).not.toBe(stored.accessToken);
  });

  it('without a page holding the code, the user types the User code from the popup; polling outlives the popup', async () => {
    const { name } = PROVIDERS.typed;
    const page = await popup.clickForNewPage(`Connect ${name}`);
    expect(await page.url()).toBe(`${servers.typed.issuer}/device`);
    const userCode = await popup.value('User code');
    await popup.close();
    await page.fill('User code', userCode);
    await page.click('Continue');
    await approve(page);
    popup = await driver.openPopup();
    await expect.poll(() => accountText(popup, `${name} Account 1`), NEXT_POLL).toMatch(/active/);
    expect(await alertMessage(popup)).toBeNull();
  });

  it('a reopened popup shows the code of a sign-in in progress, and Cancel ends it with nothing stored', async () => {
    const { name } = PROVIDERS.typed;
    const page = await popup.clickForNewPage(`Connect ${name}`);
    const userCode = await popup.value('User code');
    await popup.close();
    popup = await driver.openPopup();
    expect(await popup.value('User code')).toBe(userCode);
    await popup.click('Cancel');
    await expect.poll(() => popup.names('textbox')).not.toContain(USER_CODE.name);
    expect(await popup.texts('status')).toEqual(['Sign-in cancelled. Nothing was changed.']);
    expect(await accountNames(popup)).not.toContain(`${name} Account 2`);
    await page.close();
  });

  it('a denial on the verification page ends the sign-in: the popup says so and no account is added', async () => {
    const { name } = PROVIDERS.complete;
    const before = await accountNames(popup);
    const page = await popup.clickForNewPage(`Connect ${name}`);
    await page.click('Deny');
    await expect.poll(() => alertMessage(popup), NEXT_POLL).toBe(`You denied access at ${name}.`);
    expect(await popup.names('textbox')).not.toContain(USER_CODE.name);
    expect(await accountNames(popup)).toEqual(before);
    await popup.click('Dismiss');
    await page.close();
  });

  it('a code that expires before it is approved ends the sign-in: the popup says so and no account is added', async () => {
    const { name, id } = PROVIDERS.shortLived;
    const page = await popup.clickForNewPage(`Connect ${name}`);
    await expect.poll(() => alertMessage(popup), NEXT_POLL).toBe('The code expired before it was approved. Connect again.');
    expect(await storedAccountOf(driver, id)).toBeUndefined();
    await popup.click('Dismiss');
    await page.close();
  });

  it('polling goes on after the background is stopped mid-sign-in', async () => {
    const { name } = PROVIDERS.complete;
    const page = await popup.clickForNewPage(`Connect ${name}`);
    await driver.stopBackground();
    await approve(page);
    await expect.poll(() => accountText(popup, `${name} Account 2`), NEXT_POLL).toMatch(/active/);
  });
});
