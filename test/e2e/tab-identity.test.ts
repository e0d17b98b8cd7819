// Tab identity (README: Approved sites, Tab identity), in Chromium and Firefox ESR: two tabs of one
// approved site calling as two accounts side by side, a foreign page in the chosen tab, a discarded
// tab keeping its choice, the choice ended by closing its tab and by a browser restart, and the
// choice kept across a stopped background.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Demo } from '../../demo/index';
import type { Driver, DrivenPage } from '../../drive/driver';
import {
  accountNames,
  approveSite,
  importProviders,
  sendFromExtensionPage,
  signInToSkyVault,
  waitForText,
  waitUntil,
  type ExtensionGlobal,
} from '../../drive/steps';
import { skyVaultAuthorizationFrom } from './observed';
import { launchWithDemoAndSite, type SiteSetup } from './setup';
import type { SiteServer } from './site-server';

const FIRST = 'SkyVault Account 1';
const SECOND = 'SkyVault Account 2';
const USE = 'Use on this tab only';
const STOP = 'Stop using on this tab';

interface StoredAccount {
  id: string;
  accessToken: string;
}

/** What the extension holds for tabs, read in an extension page with the browser's own API. */
const tabState = (extensionPage: DrivenPage) =>
  extensionPage.evaluate(async () => {
    const api = (globalThis as unknown as ExtensionGlobal).browser ?? chrome;
    const rules = await api.declarativeNetRequest.getSessionRules();
    const { tabChoices } = await api.storage.session.get('tabChoices');
    return {
      choices: (tabChoices as { tabId: number; accountId: string; origin: string }[] | undefined) ?? [],
      tabRules: rules.flatMap((rule) => (Array.isArray(rule.condition.tabIds) ? [rule.condition.tabIds] : [])), // Firefox gives null for a condition left out,
    };
  }, undefined);

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let setup: SiteSetup;
  let driver: Driver;
  let demo: Demo;
  let site: SiteServer;
  let popup: DrivenPage;
  let first: DrivenPage;
  let second: DrivenPage;

  const tokenOf = async (name: string) => {
    const accounts = (await driver.storage()).accounts as StoredAccount[];
    return `Bearer ${accounts[[FIRST, SECOND].indexOf(name)]!.accessToken}`;
  };
  const sent = (page: DrivenPage) => skyVaultAuthorizationFrom(demo, page);
  const item = (name: string) => ({ role: 'listitem', name });
  /** The tab-choice button the popup shows for account `name` (fetched after paint: waited for). */
  const tabButton = async (name: string) => {
    let shown: string | undefined;
    await waitUntil(`the tab button of ${name}`, async () => {
      shown = (await popup.names('button', item(name))).find((button) => button === USE || button === STOP);
      return shown !== undefined;
    });
    return shown;
  };

  /** Brings `page` to the front and has the popup follow it, as the toolbar popup opens on the active tab. */
  async function activate(page: DrivenPage): Promise<void> {
    await page.bringToFront();
    await popup.reload();
  }

  /** Presses `button` in account `name`'s item for the active tab; the popup's answer. */
  async function press(name: string, button: string): Promise<string> {
    await popup.click(button, { within: item(name) });
    return waitForText(popup, ['status', 'alert']);
  }

  /** Navigates `page` to `url` and waits until the new page has loaded. */
  async function navigate(page: DrivenPage, url: string): Promise<void> {
    await page.evaluate((u) => void setTimeout(() => location.assign(u), 0), url);
    await waitUntil(`${url} loaded`, () =>
      page.evaluate(() => document.readyState === 'complete' && location.href, undefined).then((h) => h === url),
    );
  }

  beforeAll(async () => {
    setup = await launchWithDemoAndSite(browserName);
    ({ driver, demo, site } = setup);
    expect(await importProviders(driver, demo.providerJson)).toBe('Imported: added readycloud, skyvault.');
    popup = await driver.openPopup();
    for (const name of [FIRST, SECOND]) {
      await signInToSkyVault(await popup.clickForNewPage('Connect SkyVault'));
      await waitUntil(name, async () => (await accountNames(popup)).includes(name));
    }
    expect(await approveSite(driver, FIRST, demo.playground.origin)).toBe(`Approved ${demo.playground.origin}.`);
    first = await driver.openPage(`${demo.playground.origin}/`);
    second = await driver.openPage(`${demo.playground.origin}/`);
  });
  afterAll(() => setup?.close());

  it('two tabs of one approved site call as two accounts side by side', async () => {
    // Before any choice, the site's approval holds both tabs.
    expect([await sent(first), await sent(second)]).toEqual([await tokenOf(FIRST), await tokenOf(FIRST)]);
    await activate(second);
    expect(await tabButton(SECOND)).toBe(USE);
    expect(await press(SECOND, USE)).toBe(`Using SkyVault Account 2 on this tab only, for calls from ${demo.playground.origin}.`);
    expect(await sent(second)).toBe(await tokenOf(SECOND));
    expect(await sent(first)).toBe(await tokenOf(FIRST));
    // The popup shows the choice for that tab, and only there.
    expect(await tabButton(SECOND)).toBe(STOP);
    expect(await tabButton(FIRST)).toBe(USE);
    await activate(first);
    expect(await tabButton(SECOND)).toBe(USE);
  });

  it('a foreign page loaded in the chosen tab gets no token, and the site does again when it comes back', async () => {
    const foreign = `http://127.0.0.1:${site.port}/`;
    await navigate(second, foreign);
    expect(await sent(second)).toBeUndefined();
    await navigate(second, `${demo.playground.origin}/`);
    expect(await sent(second)).toBe(await tokenOf(SECOND));
  });

  it('the background refuses a tab that does not show the origin asked for, or is no tab, and nothing changes', async () => {
    const before = await tabState(popup);
    const [{ id: accountId }] = (await driver.storage()).accounts as [StoredAccount];
    const tabId = String(before.choices[0]!.tabId);
    expect(await sendFromExtensionPage(popup, { type: 'useOnTab', accountId, tabId, origin: 'https://app.example.com' })).toEqual({
      ok: false,
      error: `That tab now shows ${demo.playground.origin}, not https://app.example.com. Open the popup on it again. Nothing was changed.`,
    });
    expect(await sendFromExtensionPage(popup, { type: 'useOnTab', accountId, tabId: '-1', origin: demo.playground.origin })).toEqual({
      ok: false,
      error: '"-1" is not a tab. Nothing was changed.',
    });
    expect(await tabState(popup)).toEqual(before);
  });

  it('the choice is kept after the background stops, and a tab closed meanwhile does not end it', async () => {
    const other = await driver.openPage(`${demo.playground.origin}/`);
    await driver.stopBackground();
    // Closing a tab wakes the background: its start drops closed tabs' choices, and keeps the open ones'.
    await other.close();
    await activate(second);
    expect(await tabButton(SECOND)).toBe(STOP);
    expect(await sent(second)).toBe(await tokenOf(SECOND));
    expect(await sent(first)).toBe(await tokenOf(FIRST));
  });

  it('Stop using on this tab gives the tab back to the site approval', async () => {
    await activate(second);
    expect(await press(SECOND, STOP)).toBe('Stopped using SkyVault Account 2 on this tab.');
    expect(await sent(second)).toBe(await tokenOf(FIRST));
    expect(await tabState(popup)).toMatchObject({ choices: [], tabRules: [] });
  });

  it('a discarded tab keeps its choice when it comes back, under the new id Chromium gives it', async () => {
    const url = `${demo.playground.origin}/?tab=discarded`;
    const page = await driver.openPage(url);
    await activate(page);
    expect(await press(SECOND, USE)).toMatch(/^Using SkyVault Account 2 on this tab only/);
    const [before] = (await tabState(popup)).choices;
    // As Chrome's Memory Saver does to a tab in the background: it unloads the page.
    await first.bringToFront();
    const after = await popup.evaluate(
      (tabId) => ((globalThis as unknown as ExtensionGlobal).browser ?? chrome).tabs.discard(tabId),
      before!.tabId,
    );
    // Chromium gives a discarded tab a new id (tabs.onReplaced) and answers with the tab; Firefox keeps the id and answers nothing.
    const tabId = browserName === 'chromium' ? after!.id! : before!.tabId;
    if (browserName === 'chromium') expect(tabId).not.toBe(before!.tabId);
    else expect(after ?? undefined).toBeUndefined();
    await expect.poll(() => tabState(popup), { timeout: 15_000 }).toEqual({ choices: [{ ...before, tabId }], tabRules: [[tabId]] });
    // Back to the tab, as a click on it does: the page loads again, and the popup there shows the choice.
    await popup.evaluate((id) => ((globalThis as unknown as ExtensionGlobal).browser ?? chrome).tabs.update(id, { active: true }), tabId);
    await popup.reload();
    expect(await tabButton(SECOND)).toBe(STOP);
    if (browserName === 'chromium') {
      // The reloaded page is a new page to Playwright: call from it there.
      const { context } = driver.chromium!();
      let reloaded: Awaited<ReturnType<typeof context.newPage>> | undefined;
      await waitUntil('the discarded tab loaded again', async () => {
        reloaded = context.pages().find((p) => p.url() === url && !p.isClosed());
        return reloaded !== undefined && (await reloaded.evaluate(() => document.readyState)) === 'complete';
      });
      const marker = `${browserName}-discarded`;
      expect(
        await reloaded!.evaluate((u) => fetch(u, { cache: 'no-store' }).then((r) => r.status), `${demo.skyvault.origin}/api/sites?m=${marker}`),
      ).toBe(200);
      expect(demo.skyvault.requests.find((r) => r.query.m === marker)?.headers.authorization).toBe(await tokenOf(SECOND));
    }
    // It ends when that tab closes.
    await popup.evaluate((id) => ((globalThis as unknown as ExtensionGlobal).browser ?? chrome).tabs.remove(id), tabId);
    await expect.poll(() => tabState(popup), { timeout: 15_000 }).toMatchObject({ choices: [], tabRules: [] });
  });

  it('the choice ends when its tab closes', async () => {
    await activate(second);
    expect(await press(SECOND, USE)).toMatch(/^Using SkyVault Account 2 on this tab only/);
    expect((await tabState(popup)).tabRules).toHaveLength(1);
    await second.close();
    await expect.poll(() => tabState(popup)).toMatchObject({ choices: [], tabRules: [] });
    expect(await sent(first)).toBe(await tokenOf(FIRST));
  });

  it('a browser restart leaves no tab choice behind', async () => {
    second = await driver.openPage(`${demo.playground.origin}/`);
    await activate(second);
    expect(await press(SECOND, USE)).toMatch(/^Using SkyVault Account 2 on this tab only/);
    expect((await tabState(popup)).choices).toHaveLength(1);
    await driver.restart();
    popup = await driver.openPopup();
    first = await driver.openPage(`${demo.playground.origin}/`);
    // The site's approval comes back with the rules the background installs at start; no tab rule does.
    await expect.poll(() => sent(first), { timeout: 15_000 }).toBe(await tokenOf(FIRST));
    expect(await tabState(popup)).toMatchObject({ choices: [], tabRules: [] });
  });
});
