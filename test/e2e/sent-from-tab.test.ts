import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRedirectUris, SKYVAULT_CLIENT_ID, SKYVAULT_CLIENT_SECRET, startDemo, type Demo } from '../../demo/index';
import { chromiumDriver, firefoxDriver, type Driver, type DrivenPage } from '../../drive/driver';
import { approveSite, connectDemoAccount, importProviders } from '../../drive/steps';
import { startSiteServer, type SiteServer } from './site-server';

/**
 * The popup's Sent from this tab, in Chromium (from the rule engine's record of matched rules,
 * read after a click on the toolbar button on the tab) and in Firefox (which keeps no such record:
 * from the approvals), against the demo SkyVault and a plain site.
 */

const ACCOUNT = 'SkyVault Account 1';
const SENT = { role: 'list', name: 'Sent from this tab' };
/** The popup asks the background once it has painted; Firefox's event page may take a few seconds to wake. */
const POLL = { timeout: 15_000 };

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let driver: Driver;
  let demo: Demo;
  let site: SiteServer;
  let popup: DrivenPage;
  const approvedOrigin = () => `http://localhost:${site.port}`;
  const api = (marker: string) => `${demo.skyvault.origin}/api/sites?m=${browserName}-${marker}`;

  beforeAll(async () => {
    driver = browserName === 'chromium' ? await chromiumDriver({ toolbarClicks: true }) : await firefoxDriver();
    demo = await startDemo({ redirectUris: demoRedirectUris(driver.redirectUrl) });
    site = await startSiteServer();
  });
  afterAll(async () => {
    await driver?.close();
    await demo?.close();
    await site?.close();
  });

  /** The status the page at `page` gets for a fetch of `url`, sent with `method`. */
  const call = (page: DrivenPage, url: string, method = 'GET') =>
    page.evaluate(async ([u, m]) => (await fetch(u, { method: m, cache: 'no-store' })).status, [url, method] as const);

  /** Brings `page` to the front, clicks the toolbar button there as a person would, and has the popup follow it. */
  async function showPopupFor(page: DrivenPage): Promise<void> {
    await page.bringToFront();
    await driver.clickToolbarButton?.(page);
    await popup.reload();
  }
  const lines = () => popup.texts('listitem', SENT);
  const why = () => popup.texts('paragraph', { role: 'region', name: 'Sent from this tab' });

  it('connects a SkyVault account and approves the site for it', async () => {
    expect(await importProviders(driver, demo.providerJson)).toMatch(/^Imported: /);
    popup = await driver.openPopup();
    await connectDemoAccount(popup, 'skyvault');
    expect(await approveSite(driver, ACCOUNT, approvedOrigin())).toBe(`Approved ${approvedOrigin()}.`);
  });

  it("lists the approved page's API calls with its account, and not another tab's", async () => {
    const tab = await driver.openPage(`${approvedOrigin()}/?tab=one`);
    const other = await driver.openPage(`${approvedOrigin()}/?tab=two`);
    expect(await call(tab, api('one-get'))).toBe(200);
    expect(await call(tab, api('one-post'), 'POST')).not.toBe(401);
    expect(await call(other, api('two'))).toBe(200);

    await showPopupFor(tab);
    await expect.poll(lines, POLL).toHaveLength(2);
    const shown = await lines();
    expect(shown[0]).toMatch(new RegExp(`^POST ${escape(api('one-post'))} — ${ACCOUNT}, answered \\d+, `));
    expect(shown[1]).toMatch(new RegExp(`^GET ${escape(api('one-get'))} — ${ACCOUNT}, answered 200, `));
    expect(shown.join(' ')).not.toContain(api('two'));

    await showPopupFor(other);
    await expect.poll(lines, POLL).toEqual([expect.stringMatching(new RegExp(`^GET ${escape(api('two'))} — ${ACCOUNT}, answered 200, `))]);
    await other.close();
    await tab.close();
  });

  it('shows a 401 the API answered the tab', async () => {
    const tab = await driver.openPage(`${approvedOrigin()}/?tab=three`);
    const stored = (await driver.storage()).accounts as { accessToken: string }[];
    await fetch(`${demo.skyvault.origin}/oauth/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: stored[0]!.accessToken,
        token_type_hint: 'access_token',
        client_id: SKYVAULT_CLIENT_ID,
        client_secret: SKYVAULT_CLIENT_SECRET,
      }),
    });
    expect(await call(tab, api('refused'))).toBe(401);
    await showPopupFor(tab);
    await expect.poll(lines, POLL).toEqual([expect.stringMatching(new RegExp(`^GET ${escape(api('refused'))} — ${ACCOUNT}, answered 401, `))]);
    await tab.close();
  });

  it('says, for a tab of a site approved for no account, that it is not approved', async () => {
    const origin = `http://127.0.0.1:${site.port}`;
    const tab = await driver.openPage(`${origin}/`);
    expect(await call(tab, api('unapproved'))).toBe(401);
    await showPopupFor(tab);
    await expect
      .poll(why, POLL)
      .toEqual([`${origin} is not approved for any account, so its requests get no token. Use on this site approves it for an account.`]);
    expect(await lines()).toEqual([]);
    await tab.close();
  });

  it('without a click on the toolbar button: Chromium asks for one (it shows its record only then), Firefox lists from the approvals', async () => {
    const tab = await driver.openPage(`${approvedOrigin()}/?tab=unclicked`);
    expect(await call(tab, api('unclicked'))).toBe(200);
    await tab.bringToFront();
    await popup.reload();
    if (browserName === 'chromium') {
      await expect.poll(why, POLL).toEqual([expect.stringMatching(/^Open TokenTap from its toolbar button on this tab/)]);
    } else {
      await expect
        .poll(lines, POLL)
        .toEqual([expect.stringMatching(new RegExp(`^GET ${escape(api('unclicked'))} — ${ACCOUNT}, answered 200, `))]);
    }
    await tab.close();
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
