import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Demo, RecordedRequest } from '../../demo/index';
import { FIREFOX_EXTENSION_UUID } from '../../drive/firefox';
import type { Driver, DrivenPage } from '../../drive/driver';
import type { SiteServer } from './site-server';
import { launchWithDemoAndSite, type SiteSetup } from './setup';
import { approveSite, sendFromExtensionPage, waitForText } from '../../drive/steps';

/**
 * Which sites may be approved, what the popup and options page say an approval covers, and what
 * the background accepts from the extension's own pages: run in Chromium and in Firefox ESR.
 */

const OPEN_NETWORK_REASON = /cannot be approved: anyone on the network could inject script into an http page/;

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let driver: Driver;
  let demo: Demo;
  let site: SiteServer;
  let popup: DrivenPage;
  const account = 'ReadyCloud Account 1';
  const readyCloudApi = () => `${demo.readycloud.origin}/api/v1/orders`;

  let setup: SiteSetup;
  beforeAll(async () => {
    setup = await launchWithDemoAndSite(browserName);
    ({ driver, demo, site } = setup);
  });
  afterAll(() => setup?.close());

  /** Types `origin` under the account on the options page and presses Approve; the message shown. */
  const approveFromOptions = (origin: string) => approveSite(driver, account, origin);

  /** Shows `url` in the active tab and has the popup follow it. */
  async function activeTab(url: string): Promise<DrivenPage> {
    const page = await driver.openPage(url);
    await page.bringToFront();
    await popup.reload();
    return page;
  }

  let marker = 0;
  /** The Authorization header the API received for a `fetch` from `page`. */
  async function authorizationFrom(page: DrivenPage, servers: { requests: RecordedRequest[] }[]): Promise<string | undefined> {
    const target = new URL(readyCloudApi());
    target.searchParams.set('m', `${browserName}-approvals-${++marker}`);
    await page.evaluate(
      (u) =>
        fetch(u, { cache: 'no-store' }).then(
          () => undefined,
          () => undefined,
        ),
      target.href,
    );
    const received = servers.flatMap((s) => s.requests).find((r) => r.query.m === target.searchParams.get('m'));
    if (!received) throw new Error(`${target.href} did not reach the API`);
    return received.headers.authorization;
  }

  const send = (message: unknown) => sendFromExtensionPage(popup, message);

  it('imports the demo providers and connects a ReadyCloud account', async () => {
    const options = await driver.openOptions();
    await options.fill('Provider JSON', JSON.stringify(demo.providerJson));
    await options.click('Import');
    expect(await waitForText(options, ['status', 'alert'])).toBe('Imported: added readycloud, skyvault.');
    await options.close();
    popup = await driver.openPopup();
    const signIn = await popup.clickForNewPage('Connect ReadyCloud');
    await signIn.click('Allow');
    await expect.poll(() => popup.names('listitem', { role: 'list', name: 'Accounts' })).toEqual([account]);
  });

  it('No site but an approved one gets a token: a plain-http origin on the open network is refused on the options page, with the reason, and nothing is stored', async () => {
    const before = await driver.storage();
    const text = await approveFromOptions('http://app.example.com');
    expect(text).toMatch(OPEN_NETWORK_REASON);
    expect(text).toContain('https://app.example.com');
    expect(await driver.storage()).toEqual(before);
    // Not even host access was asked for.
    expect(await driver.grantedOrigins()).not.toContain('http://app.example.com/*');
  });

  // The popup learns a tab's address only with host access to it, or from a click on the toolbar
  // button (activeTab), which neither driver can make; so the background's own check stands in here
  // for Use on this site on such a page (the popup's note and refusal come from the same rule).
  it('No site but an approved one gets a token: the background refuses a plain-http origin on the open network, whoever asks, and nothing is stored', async () => {
    const before = await driver.storage();
    const [{ id: accountId }] = before.accounts as { id: string }[] as [{ id: string }];
    const answer = await send({ type: 'approveSite', accountId, origin: 'http://192.168.1.20:3000/' });
    expect(answer).toEqual({ ok: false, error: expect.stringMatching(OPEN_NETWORK_REASON) as unknown });
    expect((answer as { error: string }).error).toContain('Approve https://192.168.1.20:3000 instead');
    expect(await driver.storage()).toEqual(before);
  });

  it("the popup says, next to Use on this site, what approving the active tab's origin also covers", async () => {
    const origin = `http://localhost:${site.port}`;
    const page = await activeTab(`${origin}/`);
    await expect
      .poll(async () => (await popup.texts('note')).join(' '))
      .toBe(
        `Approving ${origin} also covers other ports of localhost, and its other scheme and subdomains where TokenTap may reach them too: the browser matches requesting sites by host only.`,
      );
    await page.close();
  });

  it('a subdomain of an approved host gets exactly what the note says: nothing, while TokenTap may not reach it', async () => {
    const origin = `http://localhost:${site.port}`;
    expect(await approveFromOptions(origin)).toBe(`Approved ${origin}.`);
    const approved = await driver.openPage(`${origin}/`);
    expect(await authorizationFrom(approved, [demo.readycloud])).toMatch(/^Bearer /);
    // Both browsers resolve *.localhost to loopback themselves.
    const subdomain = await driver.openPage(`http://app.localhost:${site.port}/`);
    expect(await subdomain.evaluate(() => document.title, undefined)).toBe('Site under test');
    expect(await authorizationFrom(subdomain, [demo.readycloud])).toBeUndefined();
    await approved.close();
    await subdomain.close();
  });

  it('No site but an approved one gets a token: a plain-http approval on the open network stored by an earlier version is listed as not in use, with the reason, and can be removed', async () => {
    const legacy = 'http://192.168.1.20:3000';
    const stored = await driver.storage();
    const [{ id: accountId }] = stored.accounts as { id: string }[] as [{ id: string }];
    const approvals = stored.approvals as unknown[];
    await popup.evaluate(
      (value) => ((globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome).storage.local.set({ approvals: value }),
      [...approvals, { accountId, origin: legacy, approvedAt: Date.now() }],
    );
    const options = await driver.openOptions();
    const section = { role: 'region', name: account };
    await expect
      .poll(async () => (await options.texts('listitem', section)).join(' '))
      .toMatch(new RegExp(`${legacy}.*Not in use: ${legacy} cannot be approved: anyone on the network`));
    await options.click('Remove', { within: { role: 'listitem', name: legacy } });
    await expect.poll(async () => (await driver.storage()).approvals).toEqual(approvals);
    await options.close();
  });

  it.each([
    [{ type: 'constructor' }, /^Unknown request "constructor"/],
    [{ type: '__proto__' }, /^Unknown request "__proto__"/],
    [{ type: 'toString' }, /^Unknown request "toString"/],
    [{ type: 'removeSite', accountId: 42 }, /^The "removeSite" request needs "accountId" as text/],
    [{ type: 'approveSite', accountId: 'x', origin: ['http://localhost:1'] }, /^The "approveSite" request needs "origin" as text/],
    [['approveSite'], /^A request must be an object with a "type"/],
    ['disconnect', /^A request must be an object with a "type"/],
  ])('a malformed message from an extension page (%j) answers ok: false and changes nothing', async (message, error) => {
    const before = await driver.storage();
    const answer = await send(message);
    expect(answer).toEqual({ ok: false, error: expect.stringMatching(error) as unknown });
    expect(await driver.storage()).toEqual(before);
  });

  it('No script in a web page can load the redirect-page capture script: it is not a web-accessible resource', async () => {
    const extensionOrigin =
      driver.name === 'chromium'
        ? `chrome-extension://${new URL(driver.redirectUrl).host.split('.')[0]}`
        : `moz-extension://${FIREFOX_EXTENSION_UUID}`;
    const path = 'src/content/redirect-capture.js';
    // The script the background registers is there, under this path, in the build under test.
    expect(existsSync(resolve(import.meta.dirname, '../../dist', driver.name === 'chromium' ? 'chrome' : 'firefox', path))).toBe(true);
    const page = await driver.openPage(`http://localhost:${site.port}/`);
    const loaded = (url: string) =>
      page.evaluate(
        (u) =>
          new Promise<string>((done) => {
            const script = document.createElement('script');
            script.src = u;
            script.onload = () => done('loaded');
            script.onerror = () => done('refused');
            document.head.append(script);
          }),
        url,
      );
    expect(await loaded(`${extensionOrigin}/${path}`)).toBe('refused');
    await page.close();
  });
});
