// The 401 watch on tabs (README: Keeping tokens fresh, Tab identity), in Chromium and Firefox ESR:
// two playground tabs, each using its own SkyVault account on that tab only and no site approved.
// A 401 on one tab renews that tab's account and no other, also where the site's approval names
// another account; Sent from this tab lists the chosen account's calls; webRequest is held while a
// tab has a choice and given back once nothing is approved or chosen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRedirectUris, SKYVAULT_CLIENT_ID, SKYVAULT_CLIENT_SECRET, startDemo, type Demo } from '../../demo/index';
import { chromiumDriver, firefoxDriver, type Driver, type DrivenPage } from '../../drive/driver';
import { accountNames, approveSite, holdsPermission, importProviders, signInToSkyVault, waitForText, waitUntil } from '../../drive/steps';
import { apiCallFrom } from './observed';

const FIRST = 'SkyVault Account 1';
const SECOND = 'SkyVault Account 2';
const USE = 'Use on this tab only';
const STOP = 'Stop using on this tab';
const SENT = { role: 'list', name: 'Sent from this tab' };
/** The popup asks the background once it has painted; Firefox's event page may take a few seconds to wake. */
const POLL = { timeout: 15_000 };

interface StoredAccount {
  accessToken: string;
  refreshToken: string;
}

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let driver: Driver;
  let demo: Demo;
  let popup: DrivenPage;
  let first: DrivenPage;
  let second: DrivenPage;

  const stored = async (name: string) => ((await driver.storage()).accounts as StoredAccount[])[[FIRST, SECOND].indexOf(name)]!;
  const api = () => `${demo.skyvault.origin}/api/sites`;
  /** What SkyVault's API saw of a call from `page`, and the status the page got. */
  const call = (page: DrivenPage) => apiCallFrom(demo.skyvault, page, api());
  /** The refresh tokens SkyVault's token endpoint was asked to renew with, in order. */
  const refreshedWith = () =>
    demo.skyvault.requests
      .filter((r) => r.path === '/oauth/token' && r.params.grant_type === 'refresh_token')
      .map((r) => r.params.refresh_token);
  /** Kills an access token at the provider, as an admin would: its next call gets 401. */
  const revoke = (token: string) =>
    fetch(`${demo.skyvault.origin}/oauth/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token,
        token_type_hint: 'access_token',
        client_id: SKYVAULT_CLIENT_ID,
        client_secret: SKYVAULT_CLIENT_SECRET,
      }),
    });
  const holdsWebRequest = () => holdsPermission(popup, 'webRequest');

  /** Brings `page` to the front, clicks the toolbar button there as a person would (Chromium), and has the popup follow it. */
  async function showPopupFor(page: DrivenPage): Promise<void> {
    await page.bringToFront();
    await driver.clickToolbarButton?.(page);
    await popup.reload();
  }

  /** On the tab showing `page`, presses `button` in account `name`'s item; the popup's answer. */
  async function pressOn(page: DrivenPage, name: string, button: string): Promise<string> {
    await showPopupFor(page);
    await popup.click(button, { within: { role: 'listitem', name } });
    return waitForText(popup, ['status', 'alert']);
  }

  /** Revokes the second tab's token: its 401 renews that account once, the next call carries the new token, the first account is untouched (returned). */
  async function expectSecondTabRenewedAlone(): Promise<StoredAccount> {
    const [one, two] = [await stored(FIRST), await stored(SECOND)];
    await revoke(two.accessToken);
    const before = refreshedWith().length;
    expect(await call(second)).toEqual({ status: 401, authorization: `Bearer ${two.accessToken}` });
    await expect.poll(refreshedWith, POLL).toHaveLength(before + 1);
    expect(refreshedWith()[before]).toBe(two.refreshToken);
    await expect.poll(async () => (await stored(SECOND)).accessToken, POLL).not.toBe(two.accessToken);
    expect(await call(second)).toEqual({ status: 200, authorization: `Bearer ${(await stored(SECOND)).accessToken}` });
    expect(await stored(FIRST)).toEqual(one);
    return one;
  }

  beforeAll(async () => {
    driver = browserName === 'chromium' ? await chromiumDriver({ toolbarClicks: true }) : await firefoxDriver();
    demo = await startDemo({ redirectUris: demoRedirectUris(driver.redirectUrl) });
    expect(await importProviders(driver, demo.providerJson)).toBe('Imported: added readycloud, skyvault.');
    popup = await driver.openPopup();
    for (const name of [FIRST, SECOND]) {
      await signInToSkyVault(await popup.clickForNewPage('Connect SkyVault'));
      await waitUntil(name, async () => (await accountNames(popup)).includes(name));
    }
    // Two addresses: the toolbar click names its tab by address.
    first = await driver.openPage(`${demo.playground.origin}/?tab=first`);
    second = await driver.openPage(`${demo.playground.origin}/?tab=second`);
  });
  afterAll(async () => {
    await driver?.close();
    await demo?.close();
  });

  it('each tab uses its own account with no site approved, and TokenTap watches their API', async () => {
    expect(await holdsWebRequest()).toBe(false);
    expect(await pressOn(first, FIRST, USE)).toBe(`Using ${FIRST} on this tab only, for calls from ${demo.playground.origin}.`);
    expect(await pressOn(second, SECOND, USE)).toBe(`Using ${SECOND} on this tab only, for calls from ${demo.playground.origin}.`);
    expect(await holdsWebRequest()).toBe(true);
    expect(await call(first)).toEqual({ status: 200, authorization: `Bearer ${(await stored(FIRST)).accessToken}` });
    expect(await call(second)).toEqual({ status: 200, authorization: `Bearer ${(await stored(SECOND)).accessToken}` });
  });

  it("a 401 on a tab renews that tab's account, not the other tab's, and the next call works with the new token", async () => {
    const one = await expectSecondTabRenewedAlone();
    expect(await call(first)).toEqual({ status: 200, authorization: `Bearer ${one.accessToken}` });
  });

  it("Sent from this tab lists the chosen account's calls on that tab", async () => {
    const marked = `${api()}?m=${browserName}-listed`;
    expect(await second.evaluate(async (u) => (await fetch(u, { cache: 'no-store' })).status, marked)).toBe(200);
    await showPopupFor(second);
    await expect
      .poll(() => popup.texts('listitem', SENT), POLL)
      .toContainEqual(expect.stringMatching(new RegExp(`^GET ${marked.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} — ${SECOND}, answered 200, `)));
  });

  it("on a tab chosen ahead of the site's approval, a 401 renews the chosen account, not the approved one", async () => {
    expect(await approveSite(driver, FIRST, demo.playground.origin)).toBe(`Approved ${demo.playground.origin}.`);
    await expectSecondTabRenewedAlone();
  });

  it('gives webRequest back once no site is approved and no tab has a choice', async () => {
    const options = await driver.openOptions();
    await options.click('Remove', { within: { role: 'listitem', name: demo.playground.origin } });
    await options.close();
    expect(await pressOn(first, FIRST, STOP)).toBe(`Stopped using ${FIRST} on this tab.`);
    expect(await holdsWebRequest()).toBe(true);
    expect(await pressOn(second, SECOND, STOP)).toBe(`Stopped using ${SECOND} on this tab.`);
    await expect.poll(holdsWebRequest, POLL).toBe(false);
  });
});
