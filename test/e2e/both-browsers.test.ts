import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { READYCLOUD_CLIENT_ID, demoRedirectUris, startDemo, type Demo, type RecordedRequest } from '../../demo/index';
import { FIREFOX_ADDON_ID } from '../../drive/firefox';
import { drivers, type Driver, type DrivenPage } from '../../drive/driver';
import { READYCLOUD_TAB_NAME, approveSite, clipboardText, importProviders, readyCloudTabProvider, signInToSkyVault } from '../../drive/steps';
import { startSiteServer, startSocketRecorder } from './site-server';

/**
 * One scenario list, run in Chromium and in Firefox ESR: the main job from the first run and
 * import to disconnect, each step taken by accessible names through the browser-neutral Driver.
 */

describe.each(['chromium', 'firefox', 'firefox, host access opt-in'] as const)('%s', (browserName) => {
  let driver: Driver;
  let demo: Demo;
  let site: Awaited<ReturnType<typeof startSiteServer>>;
  /** A third API base URL of SkyVault's, for WebSocket handshakes. */
  let sockets: Awaited<ReturnType<typeof startSocketRecorder>>;
  let popup: DrivenPage;
  /** One site server, two sites to the browser: approved (localhost) and unapproved (127.0.0.1). */
  let approvedOrigin: string;
  let otherOrigin: string;

  beforeAll(async () => {
    driver = await drivers[browserName]();
    demo = await startDemo({ redirectUris: demoRedirectUris(driver.redirectUrl) });
    site = await startSiteServer();
    sockets = await startSocketRecorder();
    approvedOrigin = `http://localhost:${site.port}`;
    otherOrigin = `http://127.0.0.1:${site.port}`;
  });
  afterAll(async () => {
    await driver?.close();
    await demo?.close();
    await site?.close();
    await sockets?.close();
  });

  /** The demo's provider JSON, SkyVault's API also on the socket recorder. */
  const providerJson = () => {
    const json = demo.providerJson as { providers: { id: string; apiBaseUrls: string[] }[] };
    json.providers.find((p) => p.id === 'skyvault')!.apiBaseUrls.push(`${sockets.origin}/socket/`);
    return json;
  };

  const accounts = () => popup.names('listitem', { role: 'list', name: 'Accounts' });
  const accountTexts = () => popup.texts('listitem', { role: 'list', name: 'Accounts' });
  const storedAccounts = async () =>
    ((await driver.storage()).accounts ?? []) as { providerId: string; accessToken: string; refreshToken?: string }[];
  const storedToken = async (providerId: string) => (await storedAccounts()).filter((a) => a.providerId === providerId).at(-1)?.accessToken;
  const skyvaultApi = () => `${demo.skyvault.origin}/api/sites`;
  const readyCloudApi = () => `${demo.readycloud.origin}/api/v1/orders`;

  let marker = 0;
  const marked = (url: string) => {
    const target = new URL(url);
    target.searchParams.set('m', `${browserName}-${++marker}`.replace(/\W/g, '-'));
    return target;
  };
  const receivedBy = (servers: { requests: RecordedRequest[] }[], target: URL) => {
    const received = servers.flatMap((s) => s.requests).find((r) => r.query.m === target.searchParams.get('m'));
    if (!received) throw new Error(`${target.href} did not reach the server`);
    return received;
  };
  /** `fetch`es `url` from `page`; returns the status the page saw and the request the server received. */
  async function fetchFrom(page: DrivenPage, url: string, servers: { requests: RecordedRequest[] }[]) {
    const target = marked(url);
    const status = await page.evaluate(
      (u) =>
        fetch(u, { cache: 'no-store' }).then(
          (r) => r.status,
          () => 0,
        ),
      target.href,
    );
    return { status, authorization: receivedBy(servers, target).headers.authorization };
  }
  /** Loads `url` from `page` as an XHR or an image; returns the Authorization the server received. */
  async function loadFrom(page: DrivenPage, url: string, kind: 'xhr' | 'img', servers: { requests: RecordedRequest[] }[]) {
    const target = marked(url);
    await page.evaluate(
      ([u, k]) =>
        new Promise<void>((done) => {
          if (k === 'xhr') {
            const xhr = new XMLHttpRequest();
            xhr.open('GET', u);
            xhr.onloadend = () => done();
            xhr.send();
          } else {
            const img = new Image();
            img.onload = img.onerror = () => done();
            img.src = u;
          }
        }),
      [target.href, kind] as const,
    );
    return receivedBy(servers, target).headers.authorization;
  }

  /** The HTTP status of the document `page` shows (its navigation's response). */
  const navigationStatus = (page: DrivenPage) =>
    page.evaluate(() => (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)?.responseStatus, undefined);

  it(`the browser ${browserName.endsWith('opt-in') ? 'leaves localhost and 127.0.0.1 to the user' : 'grants localhost and 127.0.0.1 at install'}`, async () => {
    expect((await driver.grantedOrigins()).sort()).toEqual(driver.hostAccessAtInstall ? ['http://127.0.0.1/*', 'http://localhost/*'] : []);
  });

  it('the first run explains how to add a provider', async () => {
    popup = await driver.openPopup();
    await expect.poll(() => popup.texts('heading')).toContain('Add a provider to start');
    expect((await popup.names('button')).filter((name) => name.startsWith('Connect '))).toEqual([]);
  });

  it('refuses a bad provider file, naming the first bad field, and changes nothing', async () => {
    const before = await driver.storage();
    const bad = structuredClone(demo.providerJson) as { providers: Record<string, unknown>[] };
    delete bad.providers[1]!.tokenUrl;
    const options = await driver.openOptions();
    await options.fill('Provider JSON', JSON.stringify(bad));
    await options.click('Import');
    // An alert, not a status.
    await expect.poll(async () => (await options.texts('alert'))[0]).toMatch(/providers\[1\]\.tokenUrl/);
    expect(await driver.storage()).toEqual(before);
    await options.close();
  });

  it('imports both demo providers; the popup offers to connect them', async () => {
    expect(await importProviders(driver, providerJson())).toBe('Imported: added readycloud, skyvault.');
    // Where the browser left host access to the user, Import (a tab, where the prompt shows
    // plainly) asked for SkyVault's token endpoint host, so Connect in the popup needs no prompt.
    if (!driver.hostAccessAtInstall) expect(await driver.grantedOrigins()).toEqual(['http://127.0.0.1/*']);
    // Export gives the providers back without the client secret.
    const options = await driver.openOptions();
    await options.click('Export');
    await expect.poll(() => options.value('Provider JSON')).toContain('"skyvault"');
    expect(await options.value('Provider JSON')).not.toContain('skyvault-demo-secret');
    await options.close();
    await popup.reload();
    await expect.poll(() => popup.names('button')).toEqual(expect.arrayContaining(['Connect ReadyCloud', 'Connect SkyVault']));
  });

  it('the provider form adds a provider from its fields, and names a bad field', async () => {
    const options = await driver.openOptions();
    const form = { role: 'form', name: 'Add a provider' };
    await options.fill('Name', 'ReadyCloud Staging', form);
    await options.select('Flow', 'Implicit (token in the redirect)', form);
    await options.fill('Authorization URL', 'ftp://example.com/authorize', form);
    await options.fill('Client ID', READYCLOUD_CLIENT_ID, form);
    await options.fill('Scopes', 'orders:read', form);
    await options.fill('API base URLs', `${demo.readycloud.origin}/api/v1/`, form);
    const before = await driver.storage();
    await options.click('Save provider', { within: form });
    await expect.poll(async () => (await options.texts('alert', form))[0]).toMatch(/^authorizationUrl must be/);
    expect(await driver.storage()).toEqual(before);

    await options.fill('Authorization URL', `${demo.readycloud.origin}/oauth/authorize`, form);
    await options.click('Save provider', { within: form });
    await expect.poll(async () => (await options.texts('status', form))[0]).toBe('Saved ReadyCloud Staging.');
    await options.close();
    await popup.reload();
    await expect.poll(() => popup.names('button')).toContain('Connect ReadyCloud Staging');
  });

  it("the options page shows each provider's own redirect URL: this browser's, with the provider id as its path", async () => {
    const options = await driver.openOptions();
    await expect.poll(() => options.value('Redirect URL for ReadyCloud')).toBe(driver.redirectUrlFor('readycloud'));
    expect(await options.value('Redirect URL for SkyVault')).toBe(driver.redirectUrlFor('skyvault'));
    expect(driver.redirectUrlFor('skyvault')).toBe(`${driver.redirectUrl}skyvault`);
    if (driver.name === 'chromium') expect(driver.redirectUrl).toMatch(/^https:\/\/[a-p]{32}\.chromiumapp\.org\/$/);
    // Firefox's is the SHA-1 of the add-on id: the same in every profile, whatever the extension's UUID.
    else expect(driver.redirectUrl).toBe(`https://${createHash('sha1').update(FIREFOX_ADDON_ID).digest('hex')}.extensions.allizom.org/`);
    await options.close();
  });

  it('Copy redirect URL for SkyVault puts exactly the URL shown on the clipboard, and says so', async () => {
    const options = await driver.openOptions();
    await expect.poll(() => options.value('Redirect URL for SkyVault')).toBe(driver.redirectUrlFor('skyvault'));
    await options.bringToFront(); // the clipboard is written from the page in front
    await options.click('Copy redirect URL for SkyVault');
    await expect.poll(() => options.texts('status')).toEqual(['Redirect URL for SkyVault copied.']);
    expect(await clipboardText(options)).toBe(await options.value('Redirect URL for SkyVault'));
    await options.close();
  });

  it('connects ReadyCloud (implicit): Allow puts the fragment token in a new account', async () => {
    const signIn = await popup.clickForNewPage('Connect ReadyCloud');
    expect(new URL(await signIn.url()).searchParams.get('response_type')).toBe('token');
    await signIn.click('Allow');
    await expect.poll(accounts).toEqual(['ReadyCloud Account 1']);
    await expect.poll(async () => (await accountTexts())[0]).toMatch(/ReadyCloud.*Account 1.*active/);
    const token = await storedToken('readycloud');
    expect((await fetch(readyCloudApi(), { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await accountTexts())[0]).not.toContain(token);
  });

  it('connects SkyVault (code + PKCE): login, code exchange with the secret, refresh token stored', async () => {
    const signIn = await popup.clickForNewPage('Connect SkyVault');
    const authorize = new URL(await signIn.url()).searchParams;
    expect(authorize.get('response_type')).toBe('code');
    expect(authorize.get('code_challenge_method')).toBe('S256');
    expect(authorize.get('redirect_uri')).toBe(driver.redirectUrlFor('skyvault'));
    await signInToSkyVault(signIn);
    await expect.poll(accounts).toEqual(['ReadyCloud Account 1', 'SkyVault Account 1']);
    await expect.poll(async () => (await accountTexts())[1]).toMatch(/SkyVault.*Account 1.*active.*(59 min|1 h).*public_api/);
    const skyvault = (await storedAccounts()).find((a) => a.providerId === 'skyvault')!;
    expect(skyvault.refreshToken).toBeTruthy();
    const exchange = demo.skyvault.requests.find((r) => r.path === '/oauth/token')!;
    expect(exchange.params).toMatchObject({ grant_type: 'authorization_code', client_secret: 'skyvault-demo-secret' });
    expect(exchange.params.code_verifier).toMatch(/^[\w-]{43,128}$/);
    const api = await fetch(skyvaultApi(), { headers: { Authorization: `Bearer ${skyvault.accessToken}` } });
    expect(api.status).toBe(200);
    expect(((await api.json()) as { list: { pagination: unknown } }).list.pagination).toMatchObject({ skipCount: 0 });
  });

  it('Deny → a clear alert, and nothing stored changes', async () => {
    const before = await driver.storage();
    const signIn = await popup.clickForNewPage('Connect ReadyCloud');
    await signIn.click('Deny');
    await expect
      .poll(async () => (await popup.texts('alert'))[0])
      .toMatch(/^ReadyCloud denied access \(access_denied\b.*\)\. Nothing was changed\./);
    expect(await driver.storage()).toEqual(before);
    await popup.click('Dismiss');
    await expect.poll(() => popup.texts('alert')).toEqual([]);
  });

  describe('injection', () => {
    let approved: DrivenPage;
    beforeAll(async () => {
      expect(await approveSite(driver, 'SkyVault Account 1', approvedOrigin)).toBe(`Approved ${approvedOrigin}.`);
      approved = await driver.openPage(`${approvedOrigin}/`);
    });

    it("an approved site's fetch to the API carries the bearer token, and gets 200 with no CORS preflight, though the API does not allow Authorization", async () => {
      const before = demo.skyvault.requests.length;
      const { status, authorization } = await fetchFrom(approved, skyvaultApi(), [demo.skyvault]);
      expect(authorization).toBe(`Bearer ${await storedToken('skyvault')}`);
      expect(status).toBe(200);
      expect(demo.skyvault.requests.slice(before).map((r) => r.method)).toEqual(['GET']);
    });

    it.each(['xhr', 'img'] as const)("an approved site's %s to the API carries it too", async (kind) => {
      expect(await loadFrom(approved, skyvaultApi(), kind, [demo.skyvault])).toBe(`Bearer ${await storedToken('skyvault')}`);
    });

    const socketsGetToken = browserName !== 'chromium';
    it(`an approved site's WebSocket to the API ${socketsGetToken ? 'carries the token (Firefox applies header rules to handshakes)' : 'carries nothing (Chromium 156 does not apply header rules to WebSocket handshakes)'}`, async () => {
      const url = `${sockets.origin.replace('http:', 'ws:')}/socket/live?m=${browserName.replace(/\W/g, '-')}`;
      await approved.evaluate(
        (u) =>
          new Promise<void>((done) => {
            const socket = new WebSocket(u);
            socket.onclose = socket.onerror = () => done();
          }),
        url,
      );
      const handshake = sockets.handshakes.find((h) => url.endsWith(h.url));
      expect(handshake).toBeDefined();
      expect(handshake!.authorization).toBe(socketsGetToken ? `Bearer ${await storedToken('skyvault')}` : undefined);
    });

    it('another port of the approved host carries it too: the browser matches sites by host only', async () => {
      const otherPort = await startSiteServer();
      try {
        const page = await driver.openPage(`http://localhost:${otherPort.port}/`);
        expect((await fetchFrom(page, skyvaultApi(), [demo.skyvault])).authorization).toBe(`Bearer ${await storedToken('skyvault')}`);
        await page.close();
      } finally {
        await otherPort.close();
      }
    });

    it('No site but an approved one gets a token, and no URL outside the API base URLs: a URL outside them carries nothing, even on the API host', async () => {
      expect((await fetchFrom(approved, `${demo.skyvault.origin}/oauth/other`, [demo.skyvault])).authorization).toBeUndefined();
      // ReadyCloud's API: its account is not approved here.
      const other = await fetchFrom(approved, readyCloudApi(), [demo.readycloud]);
      expect(other).toEqual({ status: 401, authorization: undefined });
    });

    it('No site but an approved one gets a token: an unapproved site carries nothing to the same API (fetch, XHR, img), and gets 401', async () => {
      const page = await driver.openPage(`${otherOrigin}/`);
      expect(await fetchFrom(page, skyvaultApi(), [demo.skyvault])).toEqual({ status: 401, authorization: undefined });
      for (const kind of ['xhr', 'img'] as const) expect(await loadFrom(page, skyvaultApi(), kind, [demo.skyvault])).toBeUndefined();
      await page.close();
    });

    it('No script that runs in a web page can read the token: it is nowhere the page can read', async () => {
      const token = await storedToken('skyvault');
      expect(token).toBeTruthy();
      const visible = await approved.evaluate(async (u) => {
        const response = await fetch(u);
        const seen: string[] = [document.documentElement.outerHTML, document.cookie, await response.text()];
        for (const store of [localStorage, sessionStorage])
          for (let i = 0; i < store.length; i++) seen.push(store.getItem(store.key(i)!) ?? '');
        for (const key of Object.getOwnPropertyNames(window)) {
          try {
            const value = (window as unknown as Record<string, unknown>)[key];
            if (typeof value === 'string') seen.push(value);
            else if (value && typeof value === 'object' && !(value instanceof Node)) seen.push(JSON.stringify(value) ?? '');
          } catch {
            // Cyclic or cross-origin values cannot hold a token we put there.
          }
        }
        response.headers.forEach((value) => seen.push(value));
        seen.push(JSON.stringify(performance.getEntries()));
        return seen.join('\n');
      }, skyvaultApi());
      // The page did reach the API (the body is there) and saw no token.
      expect(visible).toContain('"entries"');
      expect(visible).not.toContain(token);
    });

    it('Use on this site / Stop using on this site, from the popup, for the active tab', async () => {
      const page = await driver.openPage(`${otherOrigin}/`);
      await page.bringToFront(); // the popup (a background tab here) is about the active tab
      await popup.reload();
      const item = { role: 'listitem', name: 'ReadyCloud Account 1' };
      await popup.click('Use on this site', { within: item });
      await expect.poll(() => popup.names('button', item)).toContain('Stop using on this site');
      expect(await fetchFrom(page, readyCloudApi(), [demo.readycloud])).toEqual({
        status: 200,
        authorization: `Bearer ${await storedToken('readycloud')}`,
      });

      await popup.click('Stop using on this site', { within: item });
      await expect.poll(() => popup.names('button', item)).toContain('Use on this site');
      expect(await fetchFrom(page, readyCloudApi(), [demo.readycloud])).toEqual({ status: 401, authorization: undefined });
      await page.close();
    });

    if (browserName === 'firefox, host access opt-in') {
      it('host access turned off: the popup and options page say so, and Allow access (a click) brings the token back', async () => {
        const item = { role: 'listitem', name: 'SkyVault Account 1' };
        const section = { role: 'region', name: 'SkyVault Account 1' };
        const note = (host: string) => `The browser does not let TokenTap reach ${host}, so this token is not attached or renewed there.`;
        const bearer = async () => `Bearer ${await storedToken('skyvault')}`;

        // From the options page: the site's host.
        await driver.revokeHostAccess!(['http://localhost/*']);
        await expect.poll(async () => (await accountTexts())[1]).toContain(note('localhost'));
        // Firefox applies a header rule only with access to both the site and the API.
        expect(await fetchFrom(approved, skyvaultApi(), [demo.skyvault])).toEqual({ status: 401, authorization: undefined });
        const options = await driver.openOptions();
        await expect.poll(async () => (await options.texts('region', section)).join('')).toContain(note('localhost'));
        await options.click('Allow access', { within: section });
        await expect.poll(async () => (await options.texts('status', section))[0]).toBe('TokenTap may reach localhost again.');
        await options.close();
        expect(await fetchFrom(approved, skyvaultApi(), [demo.skyvault])).toEqual({ status: 200, authorization: await bearer() });
        await expect.poll(() => popup.names('button', item)).not.toContain('Allow access');

        // From the popup: the API's and token endpoint's host.
        await driver.revokeHostAccess!(['http://127.0.0.1/*']);
        await expect.poll(async () => (await accountTexts())[1]).toContain(note('127.0.0.1'));
        expect(await fetchFrom(approved, skyvaultApi(), [demo.skyvault])).toEqual({ status: 401, authorization: undefined });
        await popup.click('Allow access', { within: item });
        await expect.poll(() => popup.names('button', item)).not.toContain('Allow access');
        expect((await driver.grantedOrigins()).sort()).toEqual(['http://127.0.0.1/*', 'http://localhost/*']);
        expect(await fetchFrom(approved, skyvaultApi(), [demo.skyvault])).toEqual({ status: 200, authorization: await bearer() });
      });
    }

    it('after Refresh the new token is attached at once', async () => {
      const old = await storedToken('skyvault');
      await popup.click('Refresh', { within: { role: 'listitem', name: 'SkyVault Account 1' } });
      await expect.poll(() => storedToken('skyvault')).not.toBe(old);
      const { authorization } = await fetchFrom(approved, skyvaultApi(), [demo.skyvault]);
      expect(authorization).toBe(`Bearer ${await storedToken('skyvault')}`);
      expect(authorization).not.toBe(`Bearer ${old}`);
    });

    it('a second account approved later for the same site wins, and the options page says which', async () => {
      const first = await storedToken('skyvault');
      // Another port of the same host, approved for Account 1 first: the browser cannot tell the two apart.
      const otherPort = `http://localhost:${site.port === 5173 ? 5174 : 5173}`;
      expect(await approveSite(driver, 'SkyVault Account 1', otherPort)).toBe(`Approved ${otherPort}.`);
      await signInToSkyVault(await popup.clickForNewPage('Connect SkyVault'));
      await expect.poll(accounts).toEqual(['ReadyCloud Account 1', 'SkyVault Account 1', 'SkyVault Account 2']);
      expect(await approveSite(driver, 'SkyVault Account 2', approvedOrigin)).toBe(
        `Approved ${approvedOrigin} (it no longer uses SkyVault Account 1).`,
      );
      const second = await storedToken('skyvault');
      expect(second).not.toBe(first);
      expect((await fetchFrom(approved, skyvaultApi(), [demo.skyvault])).authorization).toBe(`Bearer ${second}`);

      // Approved sites: each listed origin with its Remove button and what it does.
      const options = await driver.openOptions();
      const listed = (account: string) => options.texts('listitem', { role: 'region', name: account });
      await expect
        .poll(() => listed('SkyVault Account 2'))
        .toEqual([
          `${approvedOrigin} Remove Approving ${approvedOrigin} also covers other ports of localhost, and its other scheme and subdomains where TokenTap may reach them too: the browser matches requesting sites by host only.`,
        ]);
      expect(await listed('SkyVault Account 1')).toEqual([
        `${otherPort} Remove Not in use: ${approvedOrigin} uses SkyVault Account 2 (approved later), and the browser matches sites by host only.`,
      ]);
      // Removed, so that Account 1 does not take the host back when Account 2 goes (Disconnect, below).
      await options.click('Remove', { within: { role: 'listitem', name: otherPort } });
      await expect.poll(() => listed('SkyVault Account 1')).toEqual([]);
      await options.close();
    });

    it('injection survives the browser being restarted on the same profile', async () => {
      const token = await storedToken('skyvault');
      await driver.restart();
      approved = await driver.openPage(`${approvedOrigin}/`);
      popup = await driver.openPopup();
      // The background rebuilds the session rules (kept in memory only) at start: poll until it has.
      await expect
        .poll(async () => (await fetchFrom(approved, skyvaultApi(), [demo.skyvault])).authorization, { timeout: 15_000 })
        .toBe(`Bearer ${token}`);
      expect(await accounts()).toEqual(['ReadyCloud Account 1', 'SkyVault Account 1', 'SkyVault Account 2']);
    });

    it("approving the API's own origin covers API URLs opened in a tab", async () => {
      const before = marked(skyvaultApi());
      const tab = await driver.openPage(before.href);
      expect(receivedBy([demo.skyvault], before).headers.authorization).toBeUndefined();
      expect(await navigationStatus(tab)).toBe(401);
      await tab.close();
      expect(await approveSite(driver, 'SkyVault Account 2', demo.skyvault.origin)).toBe(`Approved ${demo.skyvault.origin}.`);
      const after = marked(skyvaultApi());
      const approvedTab = await driver.openPage(after.href);
      expect(receivedBy([demo.skyvault], after).headers.authorization).toBe(`Bearer ${await storedToken('skyvault')}`);
      expect(await navigationStatus(approvedTab)).toBe(200);
      expect(await approvedTab.evaluate(() => document.body.textContent, undefined)).toContain('"entries"');
      await approvedTab.close();
    });

    it('Disconnect forgets the account, revokes its token at the provider and stops injection at once', async () => {
      const token = await storedToken('skyvault');
      const kept = (await storedAccounts()).filter((a) => a.providerId === 'skyvault')[0]!.accessToken;
      await popup.click('Disconnect', { within: { role: 'listitem', name: 'SkyVault Account 2' } });
      await expect.poll(accounts).toEqual(['ReadyCloud Account 1', 'SkyVault Account 1']);
      expect((await storedAccounts()).map((a) => a.providerId)).toEqual(['readycloud', 'skyvault']);
      expect((await storedAccounts()).map((a) => a.accessToken)).not.toContain(token);
      // The site's approval went to Account 2, so it goes with it.
      expect(await fetchFrom(approved, skyvaultApi(), [demo.skyvault])).toEqual({ status: 401, authorization: undefined });
      // Revocation is best effort and runs after the account is gone: wait for the provider to see it.
      await expect.poll(async () => (await fetch(skyvaultApi(), { headers: { Authorization: `Bearer ${token}` } })).status).toBe(401);
      // Only that account's tokens.
      expect((await fetch(skyvaultApi(), { headers: { Authorization: `Bearer ${kept}` } })).status).toBe(200);
    });
  });

  it('tab mode: the sign-in runs in a tab, and the capture script on the fixed redirect page hands over the token', async () => {
    const name = READYCLOUD_TAB_NAME;
    const tabProvider = readyCloudTabProvider(demo);
    expect(await importProviders(driver, { providers: [tabProvider] })).toBe('Imported: added readycloud-tab.');
    const signIn = await popup.clickForNewPage(`Connect ${name}`);
    expect(new URL(await signIn.url()).searchParams.get('redirect_uri')).toBe(tabProvider.redirectUri);
    await signIn.click('Allow');
    await expect.poll(accounts).toEqual(['ReadyCloud Account 1', 'SkyVault Account 1', `${name} Account 1`]);
    const token = await storedToken('readycloud-tab');
    expect((await fetch(readyCloudApi(), { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
  });
});
