import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRedirectUris, READYCLOUD_CLIENT_ID, startDemo, type Demo, type RecordedRequest } from '../../demo/index';
import { createListener, listen, redirect, sendHtml, sendJson } from '../../demo/http';
import { drivers, type Driver, type DrivenPage } from '../../drive/driver';

/**
 * The network rules under attack, in Chromium and Firefox ESR: a foreign site's form, an API that
 * redirects elsewhere, two providers whose base URLs nest, and more rules than the browser holds.
 * The API and the approved site share 127.0.0.1 (approving the API's own origin); the foreign
 * site is localhost, never approved. Both hosts are granted at install, so the browser could
 * attach a header there: only TokenTap's rules decide.
 */

/** An API that records every request; `?to=URL` answers 302 to it. Same-origin pages under `/page`. */
async function startApi() {
  const requests: RecordedRequest[] = [];
  const server = await listen(
    createListener(requests, (req, res) => {
      const to = req.url.searchParams.get('to');
      if (to !== null) return redirect(res, to);
      if (req.url.pathname.startsWith('/page')) return sendHtml(res, 200, '<!doctype html><title>Approved page</title><h1>Approved page</h1>');
      sendJson(res, 200, { ok: true });
    }),
    '127.0.0.1',
    0,
  );
  return { origin: server.origin, requests, close: () => server.close() };
}

/** Another site, never approved: `/attack?target=URL` posts a form to `target` as soon as it loads. */
async function startForeignSite() {
  const requests: RecordedRequest[] = [];
  const server = await listen(
    createListener(requests, (req, res) => {
      const target = req.url.searchParams.get('target');
      if (req.url.pathname === '/attack' && target !== null) {
        const action = target.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
        return sendHtml(
          res,
          200,
          `<!doctype html><title>Prize</title><form method="POST" action="${action}"><input name="amount" value="1000"></form><script>document.forms[0].submit()</script>`,
        );
      }
      sendHtml(res, 200, '<!doctype html><title>Foreign site</title><h1>Foreign site</h1>');
    }),
    'localhost',
    0,
  );
  return { origin: server.origin, requests, close: () => server.close() };
}

/** The rules a bulk account holds: one per base URL for its site, one per base URL for navigations. */
const BULK_BASE_URLS = 20;
/** Enough 40-rule accounts to pass the browser's 5000 session rules (125 fill it). */
const BULK_ACCOUNTS = 126;
const pad = (n: number) => String(n).padStart(3, '0');

describe.each(['chromium', 'firefox'] as const)('%s', (browserName) => {
  let driver: Driver;
  let demo: Demo;
  let api: Awaited<ReturnType<typeof startApi>>;
  let foreign: Awaited<ReturnType<typeof startForeignSite>>;
  let popup: DrivenPage;
  /** A page of the approved site (the API's own origin). */
  let approved: DrivenPage;

  beforeAll(async () => {
    driver = await drivers[browserName]();
    // The consent is remembered after the first Allow, so later Connects need no click on the provider.
    // Every provider of this file signs in at the demo ReadyCloud, each on its own redirect URL.
    const ids = ['outer', 'inner', 'innermost', ...Array.from({ length: BULK_ACCOUNTS }, (_, p) => `bulk-${pad(p)}`)];
    demo = await startDemo({
      redirectUris: { ...demoRedirectUris(driver.redirectUrl), readycloud: ids.map((id) => driver.redirectUrlFor(id)) },
      readycloud: { rememberConsent: true },
    });
    api = await startApi();
    foreign = await startForeignSite();
  });
  afterAll(async () => {
    await driver?.close();
    await demo?.close();
    await api?.close();
    await foreign?.close();
  });

  /** An implicit provider signing in at the demo ReadyCloud, with its API on our recording server. */
  const provider = (id: string, name: string, apiBaseUrls: string[], header?: { name: string; prefix: string }) => ({
    id,
    name,
    flow: 'implicit',
    authorizationUrl: `${demo.readycloud.origin}/oauth/authorize`,
    clientId: READYCLOUD_CLIENT_ID,
    scopes: ['orders:read'],
    apiBaseUrls,
    ...(header && { header }),
  });

  const storedAccounts = async () => ((await driver.storage()).accounts ?? []) as { id: string; providerId: string; accessToken: string }[];
  const tokenOf = async (providerId: string) => (await storedAccounts()).find((a) => a.providerId === providerId)?.accessToken;
  const accounts = () => popup.names('listitem', { role: 'list', name: 'Accounts' });

  let marker = 0;
  const marked = (url: string) => {
    const target = new URL(url);
    target.searchParams.set('m', `${browserName}-${++marker}`);
    return target;
  };
  /** The request a server received for `target` (by its marker), waiting for it to arrive. */
  const received = async (requests: RecordedRequest[], target: URL, method = 'GET') => {
    const m = target.searchParams.get('m');
    await expect.poll(() => requests.some((r) => r.query.m === m && r.method === method), { timeout: 15_000 }).toBe(true);
    return requests.find((r) => r.query.m === m && r.method === method)!;
  };
  /** `fetch`es `url` from the approved page; the Authorization the API received. */
  const fetchFromApproved = async (url: string) => {
    const target = marked(url);
    await approved.evaluate(
      (u) =>
        fetch(u, { cache: 'no-store' }).then(
          () => undefined,
          () => undefined,
        ),
      target.href,
    );
    return (await received(api.requests, target)).headers.authorization;
  };

  async function importProviders(json: unknown): Promise<{ kind: 'status' | 'alert'; text: string }> {
    const options = await driver.openOptions();
    await options.fill('Provider JSON', JSON.stringify(json));
    await options.click('Import');
    let result: { kind: 'status' | 'alert'; text: string } | undefined;
    await expect
      .poll(
        async () => {
          const [alert] = await options.texts('alert');
          const [status] = await options.texts('status');
          result = alert !== undefined ? { kind: 'alert', text: alert } : status !== undefined ? { kind: 'status', text: status } : undefined;
          return result;
        },
        { timeout: 15_000 },
      )
      .toBeDefined();
    await options.close();
    return result!;
  }

  async function approveSite(accountName: string, origin: string): Promise<void> {
    const options = await driver.openOptions();
    const section = { role: 'region', name: accountName };
    await options.fill('Site origin', origin, section);
    await options.click('Approve', { within: section });
    await expect.poll(async () => (await options.texts('status', section))[0], { timeout: 15_000 }).toMatch(/^Approved /);
    await options.close();
  }

  it('sets up: three providers whose API base URLs nest, each with a connected account approved on the API origin', async () => {
    const result = await importProviders({
      providers: [
        provider('outer', 'Outer API', [`${api.origin}/api/`]),
        provider('inner', 'Inner API', [`${api.origin}/api/v2/`]),
        provider('innermost', 'Innermost API', [`${api.origin}/api/v2/files/`]),
      ],
    });
    expect(result).toEqual({ kind: 'status', text: 'Imported: added outer, inner, innermost.' });
    popup = await driver.openPopup();
    // The first sign-in shows ReadyCloud's consent page; the second is answered at once.
    await (await popup.clickForNewPage('Connect Outer API')).click('Allow');
    await expect.poll(accounts).toEqual(['Outer API Account 1']);
    await popup.click('Connect Inner API');
    await expect.poll(accounts).toEqual(['Outer API Account 1', 'Inner API Account 1']);
    await popup.click('Connect Innermost API');
    await expect.poll(accounts).toEqual(['Outer API Account 1', 'Inner API Account 1', 'Innermost API Account 1']);
    // The outermost approved last: a later approval must not win across different base URLs.
    await approveSite('Innermost API Account 1', api.origin);
    await approveSite('Inner API Account 1', api.origin);
    await approveSite('Outer API Account 1', api.origin);
    approved = await driver.openPage(`${api.origin}/page`);
  });

  it("No site but an approved one gets a token: a foreign page's auto-submitted POST form to an API whose origin is approved carries none", async () => {
    // The API opened in a tab (a GET navigation) does get the token: the navigation rule is there.
    const typed = marked(`${api.origin}/api/orders`);
    const tab = await driver.openPage(typed.href);
    expect((await received(api.requests, typed)).headers.authorization).toBe(`Bearer ${await tokenOf('outer')}`);
    await tab.close();

    const target = marked(`${api.origin}/api/orders`);
    const attack = await driver.openPage(`${foreign.origin}/attack?target=${encodeURIComponent(target.href)}`);
    const post = await received(api.requests, target, 'POST');
    expect(post.params).toEqual({ amount: '1000' });
    expect(post.headers.authorization).toBeUndefined();
    await attack.close();
  });

  it('No site but an approved one gets a token, and no URL outside the API: a redirect from the API to another host or path carries none', async () => {
    const token = `Bearer ${await tokenOf('outer')}`;
    // From the approved page's fetch…
    const elsewhere = marked(`${foreign.origin}/landing`);
    expect(await fetchFromApproved(`${api.origin}/api/redirect?to=${encodeURIComponent(elsewhere.href)}`)).toBe(token);
    expect((await received(foreign.requests, elsewhere)).headers.authorization).toBeUndefined();
    const outside = marked(`${api.origin}/outside`);
    expect(await fetchFromApproved(`${api.origin}/api/redirect?to=${encodeURIComponent(outside.href)}`)).toBe(token);
    expect((await received(api.requests, outside)).headers.authorization).toBeUndefined();
    // …and from the API opened in a tab.
    const landing = marked(`${foreign.origin}/landing`);
    const start = marked(`${api.origin}/api/redirect?to=${encodeURIComponent(landing.href)}`);
    const tab = await driver.openPage(start.href);
    expect((await received(api.requests, start)).headers.authorization).toBe(token);
    expect((await received(foreign.requests, landing)).headers.authorization).toBeUndefined();
    await tab.close();
  });

  it("with nested API base URLs of three providers, the longest matching one's token is sent", async () => {
    expect(await fetchFromApproved(`${api.origin}/api/v2/files/report`)).toBe(`Bearer ${await tokenOf('innermost')}`);
    expect(await fetchFromApproved(`${api.origin}/api/v2/people`)).toBe(`Bearer ${await tokenOf('inner')}`);
    expect(await fetchFromApproved(`${api.origin}/api/v1/files`)).toBe(`Bearer ${await tokenOf('outer')}`);
  });

  it('One bad provider or account loses only its own injection: a provider with too many base URLs or a header the browser owns cannot be imported', async () => {
    const before = await driver.storage();
    const tooMany = Array.from({ length: 21 }, (_, i) => `${api.origin}/many/${i}/`);
    expect(await importProviders({ providers: [provider('many', 'Many', tooMany)] })).toEqual({
      kind: 'alert',
      text: "providers[0].apiBaseUrls must list at most 20 URLs (it lists 21); use a shorter common prefix, such as the API's root. Nothing was imported.",
    });
    expect(
      await importProviders({ providers: [provider('cookie', 'Cookie jar', [`${api.origin}/jar/`], { name: 'Cookie', prefix: '' })] }),
    ).toEqual({
      kind: 'alert',
      text: 'providers[0].header.name must not be "Cookie": the browser or the request sets that header itself; use the header the API reads the token from, such as "Authorization". Nothing was imported.',
    });
    expect(await driver.storage()).toEqual(before);
  });

  it(
    "One bad provider or account loses only its own injection: past the browser's 5000 rules, only the accounts that do not fit lose their token, and say so",
    { timeout: 900_000 },
    async () => {
      const bulk = Array.from({ length: BULK_ACCOUNTS }, (_, p) =>
        provider(
          `bulk-${pad(p)}`,
          `Bulk ${pad(p)}`,
          Array.from({ length: BULK_BASE_URLS }, (_, b) => `${api.origin}/bulk/${pad(p)}/${b}/`),
        ),
      );
      expect((await importProviders({ providers: bulk })).kind).toBe('status');
      // Setup at scale: the same requests the popup's Connect and the options page's Approve send,
      // from an extension page, in order (approval order decides who fits). The consent is remembered.
      const page = await driver.openOptions();
      const send = (messages: Record<string, string>[]) =>
        page.evaluate(async (list) => {
          const api = (globalThis as unknown as { browser?: typeof chrome }).browser ?? chrome;
          const answers: unknown[] = [];
          for (const message of list) answers.push(await api.runtime.sendMessage(message));
          return answers;
        }, messages);
      for (let p = 0; p < BULK_ACCOUNTS; p += 10) {
        const ids = bulk.slice(p, p + 10).map((b) => b.id);
        expect(await send(ids.map((providerId) => ({ type: 'connect', providerId })))).toEqual(
          ids.map((): unknown => expect.objectContaining({ ok: true })),
        );
      }
      const stored = await storedAccounts();
      const bulkAccounts = bulk.map((b) => stored.find((a) => a.providerId === b.id)!);
      for (let p = 0; p < BULK_ACCOUNTS; p += 10) {
        const batch = bulkAccounts.slice(p, p + 10).map((a) => ({ type: 'approveSite', accountId: a.id, origin: api.origin }));
        expect(await send(batch)).toEqual(batch.map((): unknown => expect.objectContaining({ ok: true })));
      }
      await page.close();

      // The accounts approved first keep their tokens, the earliest ones included…
      expect(await fetchFromApproved(`${api.origin}/api/v1/files`)).toBe(`Bearer ${await tokenOf('outer')}`);
      expect(await fetchFromApproved(`${api.origin}/bulk/000/19/x`)).toBe(`Bearer ${bulkAccounts[0]!.accessToken}`);
      expect(await fetchFromApproved(`${api.origin}/bulk/100/0/x`)).toBe(`Bearer ${bulkAccounts[100]!.accessToken}`);
      // …the last one does not fit, and gets nothing.
      const last = BULK_ACCOUNTS - 1;
      expect(await fetchFromApproved(`${api.origin}/bulk/${pad(last)}/0/x`)).toBeUndefined();

      const limitNote =
        /The browser allows at most 5000 network rules and the accounts approved earlier use \d+, so this account's token \(40 rules: one per API base URL of Bulk 125/;
      popup = await driver.openPopup();
      const lastItem = { role: 'listitem', name: `Bulk ${pad(last)} Account 1` };
      await expect
        .poll(async () => (await popup.texts('listitem', { role: 'list', name: 'Accounts' })).join('\n'), { timeout: 15_000 })
        .toMatch(limitNote);
      // Outer, Inner and Innermost hold 2 rules each (API and navigation), Bulk 000–123 40 each: 4966; Bulk 124 and 125 do not fit.
      const itemTexts = await popup.texts('listitem', { role: 'list', name: 'Accounts' });
      const noted = (await accounts()).filter((_, i) => (itemTexts[i] ?? '').includes('The browser allows at most 5000 network rules'));
      expect(noted).toEqual(['Bulk 124 Account 1', lastItem.name]);
      const options = await driver.openOptions();
      const sectionText = async (name: string) => (await options.texts('region'))[(await options.names('region')).indexOf(name)] ?? '';
      await expect.poll(() => sectionText(lastItem.name), { timeout: 15_000 }).toMatch(limitNote);
      expect(await sectionText('Bulk 000 Account 1')).not.toContain('network rules');
      await options.close();

      // Disconnecting an account that fits makes room for the next in line, and only for it.
      await popup.click('Disconnect', { within: { role: 'listitem', name: 'Bulk 000 Account 1' } });
      await expect
        .poll(() => fetchFromApproved(`${api.origin}/bulk/124/0/x`), { timeout: 15_000 })
        .toBe(`Bearer ${bulkAccounts[124]!.accessToken}`);
      expect(await fetchFromApproved(`${api.origin}/bulk/${pad(last)}/0/x`)).toBeUndefined();
    },
  );
});
