import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { resolve } from 'node:path';
import { startDemo, type Demo, type RecordedRequest } from '../../demo/index';
import { FIREFOX_EXTENSION_UUID } from '../../demo/firefox';
import { createListener, listen, sendHtml, type Listening } from '../../demo/http';
import { drivers, type Driver, type DrivenPage } from './drivers';
import { startSiteServer } from './site-server';

/**
 * Which sites may be approved, what the popup and options page say an approval covers, and what
 * the background accepts from the extension's own pages: run in Chromium and in Firefox ESR.
 */

/** This machine's first non-loopback IPv4 address: an http site on the open network, to the browser. */
function networkAddress(): string {
  const address = Object.values(networkInterfaces())
    .flat()
    .find((entry) => entry?.family === 'IPv4' && !entry.internal)?.address;
  if (address === undefined) throw new Error('These tests need a network interface with a non-loopback IPv4 address.');
  return address;
}

async function waitForText(page: DrivenPage, roles: string[], within?: { role: string; name: string }): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    for (const role of roles) {
      const [text] = await page.texts(role, within);
      if (text !== undefined) return text;
    }
    if (Date.now() > deadline) throw new Error(`no ${roles.join(' or ')} text on ${await page.url()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

const OPEN_NETWORK_REASON = /cannot be approved: anyone on the network could inject script into an http page/;

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let driver: Driver;
  let demo: Demo;
  let site: Awaited<ReturnType<typeof startSiteServer>>;
  /** A page server on this machine's network address: plain http that is not loopback. */
  let networkSite: Listening;
  let popup: DrivenPage;
  const account = 'ReadyCloud Account 1';
  const readyCloudApi = () => `${demo.readycloud.origin}/api/v1/orders`;

  beforeAll(async () => {
    driver = await drivers[browserName]();
    demo = await startDemo({ redirectUris: [driver.redirectUrl] });
    site = await startSiteServer();
    networkSite = await listen(
      createListener([], (_req, res) => sendHtml(res, 200, '<!doctype html><title>On the network</title><h1>On the network</h1>')),
      networkAddress(),
      0,
    );
  });
  afterAll(async () => {
    await driver?.close();
    await demo?.close();
    await site?.close();
    await networkSite?.close();
  });

  /** Types `origin` under the account on the options page and presses Approve; the message shown. */
  async function approveFromOptions(origin: string): Promise<string> {
    const options = await driver.openOptions();
    const section = { role: 'region', name: account };
    await options.fill('Site origin', origin, section);
    await options.click('Approve', { within: section });
    const text = await waitForText(options, ['status', 'alert'], section);
    await options.close();
    return text;
  }

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
    await page.evaluate((u) => fetch(u, { cache: 'no-store' }).then(() => undefined, () => undefined), target.href);
    const received = servers.flatMap((s) => s.requests).find((r) => r.query.m === target.searchParams.get('m'));
    if (!received) throw new Error(`${target.href} did not reach the API`);
    return received.headers.authorization;
  }

  /** Sends `message` to the background from an extension page, as the popup's own requests go. */
  const sendFromExtensionPage = (message: unknown) =>
    popup.evaluate(
      (m) => ((globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome).runtime.sendMessage(m) as Promise<unknown>,
      message,
    );

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

  it('No site but an approved one gets a token: Use on this site on a plain-http page on the open network says why not in the popup, and nothing is stored', async () => {
    const page = await activeTab(`${networkSite.origin}/`);
    await expect.poll(async () => (await popup.texts('note')).join(' ')).toMatch(OPEN_NETWORK_REASON);
    const before = await driver.storage();
    await popup.click('Use on this site', { within: { role: 'listitem', name: account } });
    await expect.poll(async () => (await popup.texts('alert'))[0]).toMatch(OPEN_NETWORK_REASON);
    expect(await driver.storage()).toEqual(before);
    await popup.click('Dismiss');
    await page.close();
  });

  it('the popup says, next to Use on this site, what approving the active tab\'s origin also covers', async () => {
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
    const answer = await sendFromExtensionPage(message);
    expect(answer).toEqual({ ok: false, error: expect.stringMatching(error) });
    expect(await driver.storage()).toEqual(before);
  });

  it('No script in a web page can load the redirect-page capture script: it is not a web-accessible resource', async () => {
    const extensionOrigin =
      driver.name === 'chromium' ? `chrome-extension://${new URL(driver.redirectUrl).host.split('.')[0]}` : `moz-extension://${FIREFOX_EXTENSION_UUID}`;
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
