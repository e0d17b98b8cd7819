// The console page (README: Console), in Chromium and Firefox ESR against the demo providers:
// Try it from the popup, a GET and a JSON POST sent with the account's header, a URL outside the
// API base URLs sent without it, SkyVault's list paged through with Next page and Previous page,
// Copy as curl and fetch read back from the clipboard, a 401 renewed and sent once more, an
// expired account said before anything is sent, and History kept without tokens. What the demo
// APIs received is checked, not only what the page shows.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SKYVAULT_CLIENT_ID, SKYVAULT_CLIENT_SECRET, type Demo } from '../../demo/index';
import type { RecordedRequest } from '../../demo/http';
import type { Driver, DrivenPage, Scope } from '../../drive/driver';
import { clipboardText, connectDemoAccount, importProviders, waitForText } from '../../drive/steps';
import { launchWithDemo, type DemoSetup } from './setup';

const SKYVAULT = 'SkyVault Account 1';
const READYCLOUD = 'ReadyCloud Account 1';
const PASTED = 'ReadyCloud Account 2';
const RESPONSE: Scope = { role: 'region', name: 'Response' };
const PASTE: Scope = { role: 'group', name: 'Paste a token for ReadyCloud' };
const PAGES: Scope = { role: 'navigation', name: 'Pages' };
const HISTORY: Scope = { role: 'list', name: 'History' };

interface StoredAccount {
  id: string;
  providerId: string;
  label: string;
  accessToken: string;
}

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let setup: DemoSetup;
  let driver: Driver;
  let demo: Demo;
  let popup: DrivenPage;
  let console_: DrivenPage;

  const accountNamed = async (name: string) => {
    const accounts = (await driver.storage()).accounts as StoredAccount[];
    const found = accounts.find((a) => `${a.providerId === 'skyvault' ? 'SkyVault' : 'ReadyCloud'} ${a.label}` === name);
    if (!found) throw new Error(`no stored account ${name}`);
    return found;
  };
  /** What the demo API behind `api` received with the marker `m` in its query, oldest first. */
  const received = (api: { requests: readonly RecordedRequest[] }, marker: string) => api.requests.filter((r) => r.query.m === marker);
  const selectedAccount = () =>
    console_.evaluate(() => (document.getElementById('account') as HTMLSelectElement).selectedOptions[0]?.text, undefined);
  /** Presses Send (or what `how` does) and returns the status line of the answer to `url` ("200 OK · 12 ms · 1.1 KB"). */
  const send = async (how: () => Promise<void> = () => console_.click('Send')) => {
    const url = await console_.value('URL');
    await how();
    // The answer shown names its request: wait for this one's, not the last one's.
    const answered = () => console_.evaluate(() => document.querySelector('.response-request')?.textContent ?? '', undefined);
    await expect.poll(async () => (await answered()).endsWith(` ${url}`)).toBe(true);
    return waitForText(console_, ['status'], RESPONSE);
  };
  const responseNote = async () => (await console_.texts('note', RESPONSE))[0] ?? '';
  /** The page position shown beside Next page ("items 11–20"). */
  const position = async () => (await console_.texts('status', PAGES))[0];
  /** Whether the button named `name` in the Response region is disabled. */
  const disabled = (name: string) =>
    console_.evaluate(
      (label) =>
        [...document.querySelectorAll('[aria-label="Response"] button')].find((b) => b.textContent === label)?.hasAttribute('disabled'),
      name,
    );
  /** What a person would paste now. */
  const clipboard = () => clipboardText(console_);
  const responseText = () => console_.evaluate(() => document.querySelector('[aria-label="Response"]')?.textContent ?? '', undefined);

  beforeAll(async () => {
    setup = await launchWithDemo(browserName);
    ({ driver, demo } = setup);
    expect(await importProviders(driver, demo.providerJson)).toMatch(/^Imported: /);
    popup = await driver.openPopup();
    await connectDemoAccount(popup, 'skyvault');
    await connectDemoAccount(popup, 'readycloud');
  });
  afterAll(() => setup?.close());

  it('Try it in the popup opens the console with that account selected and its API base URL', async () => {
    console_ = await popup.clickForNewPage('Try it', { within: { role: 'listitem', name: SKYVAULT } });
    expect(await console_.url()).toContain(`src/console/index.html?account=${(await accountNamed(SKYVAULT)).id}`);
    await expect.poll(selectedAccount).toBe(SKYVAULT);
    expect(await console_.value('URL')).toBe(`${demo.skyvault.origin}/api/`);
    // A URL left at the account's start follows the account chosen.
    await console_.select('Account', READYCLOUD);
    expect(await console_.value('URL')).toBe(`${demo.readycloud.origin}/api/v1/`);
    await console_.select('Account', SKYVAULT);
    expect(await console_.value('URL')).toBe(`${demo.skyvault.origin}/api/`);
  });

  it('a GET answers 200, the JSON body is shown, and the API got the account header', async () => {
    await console_.fill('URL', `${demo.skyvault.origin}/api/sites?m=console-get`);
    expect(await send()).toMatch(/^200 OK · \d+ ms · [\d.]+ (B|KB)$/);
    expect(await responseText()).toContain('"hasMoreItems": false');
    expect(await responseNote()).toBe(`Sent with ${SKYVAULT}'s Authorization header (the URL is under ${demo.skyvault.origin}/api/).`);
    const token = (await accountNamed(SKYVAULT)).accessToken;
    expect(received(demo.skyvault, 'console-get').map((r) => r.headers.authorization)).toEqual([`Bearer ${token}`]);
    expect(await responseText()).not.toContain(token);
  });

  it('a POST with a JSON body, sent with Ctrl+Enter, creates a ReadyCloud order (201)', async () => {
    await console_.select('Account', READYCLOUD);
    await console_.select('Method', 'POST');
    await console_.fill('URL', `${demo.readycloud.origin}/api/v1/orders?m=console-post`);
    await console_.fill('Headers', 'Content-Type: application/json');
    await console_.fill('Body', '{"customer": "Console", "total": 12.5}');
    expect(await send(() => console_.press('Body', 'Control+Enter'))).toMatch(/^201 Created · /);
    expect(await responseText()).toContain('"customer": "Console"');
    const [write] = received(demo.readycloud, 'console-post');
    expect(write).toMatchObject({ method: 'POST', body: '{"customer": "Console", "total": 12.5}' });
    expect(write?.headers['content-type']).toBe('application/json');
    expect(write?.headers.authorization).toBe(`Bearer ${(await accountNamed(READYCLOUD)).accessToken}`);
  });

  it('a URL outside the API base URLs is sent without the token, and the page says so', async () => {
    await console_.select('Account', SKYVAULT);
    await console_.select('Method', 'GET');
    await console_.fill('Headers', '');
    await console_.fill('Body', '');
    await console_.fill('URL', `${demo.skyvault.origin}/.well-known/oauth-authorization-server?m=console-outside`);
    expect(await send()).toMatch(/^200 OK · /);
    expect(await responseNote()).toBe(
      `Sent without a token: ${demo.skyvault.origin}/.well-known/oauth-authorization-server is outside SkyVault's API base URLs (${demo.skyvault.origin}/api/).`,
    );
    const [outside] = received(demo.skyvault, 'console-outside');
    expect(outside).toBeDefined();
    expect(outside?.headers.authorization).toBeUndefined();
  });

  it("Next page walks SkyVault's list to its end with the token, and Previous page walks back", async () => {
    const first = `${demo.skyvault.origin}/api/sites?maxItems=10&m=console-pages`;
    const page = (skip: number) => `${first}&skipCount=${skip}`;
    // In front, as the person paging is: a background tab's animation frames are slowed.
    await console_.bringToFront();
    await console_.fill('URL', first);
    expect(await send()).toMatch(/^200 OK · /);
    expect(await position()).toBe('items 1–10');
    expect(await disabled('Previous page')).toBe(true);

    await console_.click('Next page', { within: RESPONSE });
    await expect.poll(position).toBe('items 11–20');
    expect(await console_.value('URL')).toBe(page(10));
    await console_.click('Next page', { within: RESPONSE });
    await expect.poll(position).toBe('items 21–23');
    expect(await console_.value('URL')).toBe(page(20));
    // The end of the list: no page after it.
    expect(await disabled('Next page')).toBe(true);
    expect(await responseText()).toContain('"hasMoreItems": false');

    await console_.click('Previous page', { within: RESPONSE });
    await expect.poll(position).toBe('items 11–20');
    await console_.click('Previous page', { within: RESPONSE });
    await expect.poll(position).toBe('items 1–10');
    expect(await disabled('Previous page')).toBe(true);

    const token = (await accountNamed(SKYVAULT)).accessToken;
    const asked = received(demo.skyvault, 'console-pages');
    expect(asked.map((r) => [r.query.skipCount ?? '0', r.query.maxItems])).toEqual([
      ['0', '10'],
      ['10', '10'],
      ['20', '10'],
      ['10', '10'],
      ['0', '10'],
    ]);
    expect(asked.map((r) => r.headers.authorization)).toEqual(Array(5).fill(`Bearer ${token}`));
  });

  it('Copy as curl puts $TOKEN in place of the token, and the token itself with Include token', async () => {
    const url = `${demo.skyvault.origin}/api/sites?maxItems=10&m=console-pages&skipCount=0`;
    const copied = (text: string) => async () => (await console_.texts('status', RESPONSE)).includes(text);
    await console_.click('Copy as curl', { within: RESPONSE });
    await expect.poll(copied('Copied as curl, without the token (TOKEN stands for it).')).toBe(true);
    expect(await clipboard()).toBe(`curl '${url}' \\\n  -H 'Authorization: Bearer '"$TOKEN"`);

    const token = (await accountNamed(SKYVAULT)).accessToken;
    await console_.click('Include token', { role: 'checkbox', within: RESPONSE });
    await console_.click('Copy as curl', { within: RESPONSE });
    await expect.poll(copied('Copied as curl, with the token.')).toBe(true);
    expect(await clipboard()).toBe(`curl '${url}' \\\n  -H 'Authorization: Bearer ${token}'`);

    await console_.click('Copy as fetch', { within: RESPONSE });
    await expect.poll(copied('Copied as fetch, with the token.')).toBe(true);
    expect(await clipboard()).toBe(`await fetch(${JSON.stringify(url)}, {\n  headers: {\n    "Authorization": "Bearer ${token}",\n  },\n});`);
    await console_.click('Include token', { role: 'checkbox', within: RESPONSE });
    await console_.click('Copy as fetch', { within: RESPONSE });
    await expect.poll(copied('Copied as fetch, without the token (TOKEN stands for it).')).toBe(true);
    expect(await clipboard()).not.toContain(token);
  });

  it('a 401 renews the account and sends once more, with the new token', async () => {
    const before = (await accountNamed(SKYVAULT)).accessToken;
    // Kill the token at the provider, as an admin or a leaked-token response would.
    await fetch(`${demo.skyvault.origin}/oauth/revoke`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        token: before,
        token_type_hint: 'access_token',
        client_id: SKYVAULT_CLIENT_ID,
        client_secret: SKYVAULT_CLIENT_SECRET,
      }),
    });
    await console_.fill('URL', `${demo.skyvault.origin}/api/sites?m=console-401`);
    expect(await send()).toMatch(/^200 OK · /);
    const after = (await accountNamed(SKYVAULT)).accessToken;
    expect(after).not.toBe(before);
    expect(received(demo.skyvault, 'console-401').map((r) => r.headers.authorization)).toEqual([`Bearer ${before}`, `Bearer ${after}`]);
    expect(await responseNote()).toMatch(
      new RegExp(`^The API answered 401 Unauthorized: TokenTap renewed ${SKYVAULT}'s token and sent the request once more\\. Sent with `),
    );
  });

  it('an expired account is said before sending; its 401 then says why it cannot be renewed', async () => {
    const options = await driver.openOptions();
    await options.fill('Access token', 'console-pasted-token', PASTE);
    await options.fill('Expires in', '1', PASTE);
    await options.click('Add account', { within: PASTE });
    expect(await waitForText(options, ['status', 'alert'], PASTE)).toBe(`Added ${PASTED}.`);
    await options.close();

    await console_.bringToFront();
    await console_.select('Account', PASTED);
    await console_.fill('URL', `${demo.readycloud.origin}/api/v1/orders?m=console-expired`);
    // The note Send is described by (aria-describedby), shown as soon as the token has expired.
    const warning = () =>
      console_.evaluate(() => {
        const send = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Send');
        return (send?.getAttribute('aria-describedby') ?? '').split(' ').map((id) => document.getElementById(id)?.textContent);
      }, undefined);
    // The token lives 1 s; the page's clock ticks each second.
    await expect
      .poll(warning, { timeout: 10_000 })
      .toEqual([
        `${PASTED}'s pasted token has expired, and TokenTap cannot renew it: paste a new one on the options page.`,
        'Ctrl+Enter (⌘+Enter on a Mac) sends from any field.',
      ]);
    expect(received(demo.readycloud, 'console-expired')).toEqual([]);

    expect(await send()).toMatch(/^401 Unauthorized · /);
    expect(await responseNote()).toMatch(new RegExp(`^The API answered 401 Unauthorized, and renewing ${PASTED}'s token failed: `));
    expect(received(demo.readycloud, 'console-expired').map((r) => r.headers.authorization)).toEqual(['Bearer console-pasted-token']);
  });

  it('History lists the requests sent, keeps no token, and a pick puts a request back in the form', async () => {
    await console_.bringToFront();
    await console_.select('Account', SKYVAULT);
    await console_.select('Method', 'GET');
    const token = (await accountNamed(SKYVAULT)).accessToken;
    // A token pasted into Headers, where the account's header replaces it or where it would go as typed.
    const url = `${demo.skyvault.origin}/api/sites?m=console-history`;
    await console_.fill('URL', url);
    await console_.fill('Headers', `Authorization: Bearer ${token}\nX-Debug: Bearer ${token}`);
    await console_.fill('Body', '');
    expect(await send()).toMatch(/^200 OK · /);

    const listed = () => console_.names('button', HISTORY);
    await expect.poll(listed).toContain(`GET ${url}`);
    expect(await listed()).toEqual(
      expect.arrayContaining([
        `POST ${demo.readycloud.origin}/api/v1/orders?m=console-post`,
        `GET ${demo.skyvault.origin}/api/sites?maxItems=10&m=console-pages&skipCount=20`,
      ]),
    );
    const kept = await console_.evaluate(async () => {
      const api = (globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome;
      return JSON.stringify(await api.storage.session.get('consoleHistory'));
    }, undefined);
    expect(kept).toContain('console-history');
    // Every SkyVault token this run held, the one renewed after the 401 included.
    for (const issued of demo.skyvault.issued.map((t) => t.access_token)) {
      expect(kept).not.toContain(issued);
      expect(kept).not.toContain(`Bearer ${issued}`);
    }

    await console_.click(`POST ${demo.readycloud.origin}/api/v1/orders?m=console-post`, { within: HISTORY });
    await expect.poll(selectedAccount).toBe(READYCLOUD);
    expect(await console_.value('Method')).toBe('POST');
    expect(await console_.value('URL')).toBe(`${demo.readycloud.origin}/api/v1/orders?m=console-post`);
    expect(await console_.value('Headers')).toBe('Content-Type: application/json');
    expect(await console_.value('Body')).toBe('{"customer": "Console", "total": 12.5}');

    await console_.click(`GET ${url}`, { within: HISTORY });
    await expect.poll(selectedAccount).toBe(SKYVAULT);
    expect(await console_.value('Headers')).toBe('X-Debug: Bearer [token removed]');
  });

  it('the new controls are reached with Tab, by their names, and work from the keyboard', async () => {
    await console_.bringToFront();
    await console_.select('Account', SKYVAULT);
    await console_.select('Method', 'GET');
    await console_.fill('Headers', '');
    await console_.fill('Body', '');
    const url = `${demo.skyvault.origin}/api/sites?maxItems=10&m=console-keys`;
    await console_.fill('URL', url);
    expect(await send()).toMatch(/^200 OK · /);
    /** The focused control's name: its label's text for a field, else its own name. */
    const focused = () =>
      console_.evaluate(() => {
        const element = document.activeElement as HTMLInputElement | null;
        const label = element?.labels?.[0]?.textContent;
        return (label ?? element?.getAttribute('aria-label') ?? element?.textContent ?? '').trim();
      }, undefined);
    const copied = (text: string) => async () => (await console_.texts('status', RESPONSE)).includes(text);

    // From the last field of the form on, Tab by Tab, as a keyboard user goes.
    await console_.press('Body', 'Tab');
    const reached: string[] = [];
    for (let presses = 0; presses < 40 && reached.at(-1) !== 'Include token'; presses++) {
      if (presses > 0) await console_.pressKey('Tab');
      const name = await focused();
      reached.push(name);
      if (name === 'Next page') {
        await console_.pressKey('Enter');
        await expect.poll(position).toBe('items 11–20');
        // Now there is a page before: Previous page is one Shift+Tab back.
        await console_.pressKey('Shift+Tab');
        expect(await focused()).toBe('Previous page');
        await console_.pressKey('Tab');
      }
      if (name === 'Copy as curl') {
        await console_.pressKey('Space');
        await expect.poll(copied('Copied as curl, without the token (TOKEN stands for it).')).toBe(true);
      }
    }
    expect(reached[0]).toBe(`GET ${url}`);
    expect(reached.slice(-4)).toEqual(['Next page', 'Copy as curl', 'Copy as fetch', 'Include token']);
    await console_.pressKey('Space');
    expect(await console_.evaluate(() => (document.activeElement as HTMLInputElement).checked, undefined)).toBe(true);
    await console_.pressKey('Space');
    expect(received(demo.skyvault, 'console-keys').map((r) => r.query.skipCount ?? '0')).toEqual(['0', '10']);
  });

  it('a 10 MB JSON body is shown folded, a hundred entries at a time (time printed, not asserted)', async () => {
    const items = Array.from({ length: 52_000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'], text: 'x'.repeat(150) }));
    const big = JSON.stringify({ items });
    const server = createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'application/json' }).end(big));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    try {
      await console_.fill('URL', `http://127.0.0.1:${(server.address() as AddressInfo).port}/big?m=console-big`);
      const started = Date.now();
      expect(await send()).toMatch(/^200 OK · \d+ ms · 1\d\.\d MB$/);
      console.log(`${browserName}: ${(big.length / 1024 / 1024).toFixed(1)} MB of JSON sent and shown in ${Date.now() - started} ms`);
      const shown = () => console_.evaluate(() => document.querySelectorAll('.json-leaf').length, undefined);
      // 100 items open, each with its 3 plain fields and 2 tags: the other 51,900 wait behind Show more.
      expect(await shown()).toBe(100 * 5);
      await console_.click('Show 100 more of 51900', { within: RESPONSE });
      await expect.poll(shown).toBe(200 * 5);
    } finally {
      await new Promise((done) => server.close(done));
    }
  });
});
