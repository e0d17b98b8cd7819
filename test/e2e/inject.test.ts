import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startDemo, type Demo, type RecordedRequest } from '../../demo/index';
import { launchExtension, type ExtensionBrowser } from '../../demo/browser';
import { accountItems, allowReadyCloud, approveSite, importProviders, openSignIn, signInToSkyVault } from '../../demo/drive';
import { startSiteServer } from './site-server';

let browser: ExtensionBrowser;
let demo: Demo;
let site: Awaited<ReturnType<typeof startSiteServer>>;
let popup: Page;
/** One site server, two sites to the browser: approved (localhost) and unapproved (127.0.0.1). */
let approvedOrigin: string;
let otherOrigin: string;

beforeAll(async () => {
  browser = await launchExtension();
  demo = await startDemo({ redirectUris: [browser.redirectUrl] });
  site = await startSiteServer();
  approvedOrigin = `http://localhost:${site.port}`;
  otherOrigin = `http://127.0.0.1:${site.port}`;
  await importProviders(browser, demo.providerJson);
  popup = await browser.openPopup();
  await signInToSkyVault(await openSignIn(browser, popup, 'SkyVault'));
  await allowReadyCloud(await openSignIn(browser, popup, 'ReadyCloud'));
  await accountItems(popup).nth(1).waitFor();
});
afterAll(async () => {
  await browser?.close();
  await demo?.close();
  await site?.close();
});

type Kind = 'fetch' | 'xhr' | 'img';
let marker = 0;

/** Makes one request of `kind` from `page` to `url` and returns what the server received. */
async function callFrom(page: Page, url: string, kind: Kind, servers: { requests: RecordedRequest[] }[]): Promise<RecordedRequest> {
  const target = new URL(url);
  target.searchParams.set('m', String(++marker));
  await page.evaluate(
    ([u, k]) =>
      new Promise<void>((done) => {
        if (k === 'fetch') void fetch(u, { cache: 'no-store' }).then(() => done(), () => done());
        else if (k === 'xhr') {
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
  const received = servers.flatMap((s) => s.requests).find((r) => r.query.m === String(marker));
  if (!received) throw new Error(`${url} did not reach the server`);
  return received;
}

async function storedToken(providerId: string): Promise<string> {
  const accounts = (await browser.storage()).accounts as { providerId: string; accessToken: string }[];
  return accounts.filter((a) => a.providerId === providerId).at(-1)!.accessToken;
}

async function openSite(origin: string): Promise<Page> {
  const page = await browser.context.newPage();
  await page.goto(`${origin}/`);
  return page;
}

const skyvaultApi = () => `${demo.skyvault.origin}/api/sites`;

describe('an approved site', () => {
  let page: Page;
  beforeAll(async () => {
    expect(await approveSite(browser, 'SkyVault Account 1', approvedOrigin)).toBe(`Approved ${approvedOrigin}.`);
    page = await openSite(approvedOrigin);
  });

  it.each<Kind>(['fetch', 'xhr', 'img'])('%s to the API carries the bearer token', async (kind) => {
    const received = await callFrom(page, skyvaultApi(), kind, [demo.skyvault]);
    expect(received.headers.authorization).toBe(`Bearer ${await storedToken('skyvault')}`);
  });

  it('fetch answers 200 with no CORS preflight, though the API does not allow Authorization', async () => {
    const before = demo.skyvault.requests.length;
    expect(await page.evaluate((u) => fetch(u).then((r) => r.status), skyvaultApi())).toBe(200);
    expect(demo.skyvault.requests.slice(before).map((r) => r.method)).toEqual(['GET']);
  });

  it('a URL outside the API base URLs carries nothing, even on the API host', async () => {
    const received = await callFrom(page, `${demo.skyvault.origin}/oauth/other`, 'fetch', [demo.skyvault]);
    expect(received.headers.authorization).toBeUndefined();
    const otherApi = await callFrom(page, `${demo.readycloud.origin}/api/v1/orders`, 'fetch', [demo.readycloud]);
    expect(otherApi.headers.authorization).toBeUndefined();
  });

  it('the token is nowhere the page can read', async () => {
    const token = await storedToken('skyvault');
    const visible = await page.evaluate(async (u) => {
      const response = await fetch(u);
      const seen: string[] = [document.documentElement.outerHTML, document.cookie, await response.text()];
      for (const store of [localStorage, sessionStorage]) for (let i = 0; i < store.length; i++) seen.push(store.getItem(store.key(i)!) ?? '');
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
    expect(visible).not.toContain(token);
  });
});

describe('an unapproved site', () => {
  it('carries nothing to the same API', async () => {
    const page = await openSite(otherOrigin);
    for (const kind of ['fetch', 'xhr', 'img'] as const) {
      expect((await callFrom(page, skyvaultApi(), kind, [demo.skyvault])).headers.authorization).toBeUndefined();
    }
    expect(await page.evaluate((u) => fetch(u).then((r) => r.status), skyvaultApi())).toBe(401);
    await page.close();
  });
});

describe('the popup on the active tab', () => {
  let page: Page;
  const readyCloudItem = () => popup.getByRole('listitem', { name: /ReadyCloud/ });

  it('Use on this site approves the active tab for that account at once', async () => {
    page = await openSite(otherOrigin);
    await page.bringToFront(); // the popup (a background tab here) is about the active tab
    await popup.reload();
    await readyCloudItem().getByRole('button', { name: 'Use on this site' }).click();
    await expect.poll(() => readyCloudItem().getByRole('button', { name: 'Stop using on this site' }).count()).toBe(1);
    const received = await callFrom(page, `${demo.readycloud.origin}/api/v1/orders`, 'fetch', [demo.readycloud]);
    expect(received.headers.authorization).toBe(`Bearer ${await storedToken('readycloud')}`);
  });

  it('Stop using on this site stops it at once', async () => {
    await readyCloudItem().getByRole('button', { name: 'Stop using on this site' }).click();
    await expect.poll(() => readyCloudItem().getByRole('button', { name: 'Use on this site' }).count()).toBe(1);
    const received = await callFrom(page, `${demo.readycloud.origin}/api/v1/orders`, 'fetch', [demo.readycloud]);
    expect(received.headers.authorization).toBeUndefined();
    await page.close();
  });
});

describe('tokens change, injection follows', () => {
  it('after Refresh the new token is used at once', async () => {
    const page = await openSite(approvedOrigin);
    const old = await storedToken('skyvault');
    await popup.getByRole('listitem', { name: /SkyVault/ }).getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => storedToken('skyvault')).not.toBe(old);
    const received = await callFrom(page, skyvaultApi(), 'fetch', [demo.skyvault]);
    expect(received.headers.authorization).toBe(`Bearer ${await storedToken('skyvault')}`);
    await page.close();
  });

  it('a second account approved later for the same site wins, and the options page says which', async () => {
    await signInToSkyVault(await openSignIn(browser, popup, 'SkyVault'));
    await expect.poll(() => accountItems(popup).count()).toBe(3);
    expect(await approveSite(browser, 'SkyVault Account 2', approvedOrigin)).toBe(
      `Approved ${approvedOrigin} (it no longer uses SkyVault Account 1).`,
    );
    const page = await openSite(approvedOrigin);
    const received = await callFrom(page, skyvaultApi(), 'fetch', [demo.skyvault]);
    expect(received.headers.authorization).toBe(`Bearer ${await storedToken('skyvault')}`);
    await page.close();
  });
});

describe('injection survives', () => {
  it('the service worker being stopped', async () => {
    const page = await openSite(approvedOrigin);
    // The extension's worker is visible to the ServiceWorker domain from an extension page.
    const cdp = await browser.context.newCDPSession(popup);
    const stopped = new Promise<void>((done) =>
      cdp.on('ServiceWorker.workerVersionUpdated', ({ versions }) => versions.some((v) => v.runningStatus === 'stopped') && done()),
    );
    await cdp.send('ServiceWorker.enable');
    await cdp.send('ServiceWorker.stopAllWorkers');
    await stopped;
    const received = await callFrom(page, skyvaultApi(), 'fetch', [demo.skyvault]);
    expect(received.headers.authorization).toBe(`Bearer ${await storedToken('skyvault')}`);
    await page.close();
  });

  it('the browser being relaunched on the same profile', async () => {
    const token = await storedToken('skyvault');
    const profile = browser.userDataDir;
    await browser.close({ keepProfile: true });
    browser = await launchExtension({ userDataDir: profile });
    const page = await openSite(approvedOrigin);
    // The worker rebuilds the session rules at start; poll until it has.
    await expect
      .poll(async () => (await callFrom(page, skyvaultApi(), 'fetch', [demo.skyvault])).headers.authorization, { timeout: 15_000 })
      .toBe(`Bearer ${token}`);
    popup = await browser.openPopup();
  });
});

describe('the API origin approved', () => {
  it('covers API URLs opened directly in a tab', async () => {
    const tab = await browser.context.newPage();
    expect((await tab.goto(skyvaultApi()))?.status()).toBe(401);
    await tab.close();
    expect(await approveSite(browser, 'SkyVault Account 2', demo.skyvault.origin)).toBe(`Approved ${demo.skyvault.origin}.`);
    const approvedTab = await browser.context.newPage();
    const response = await approvedTab.goto(skyvaultApi());
    expect(response?.status()).toBe(200);
    expect(await approvedTab.textContent('body')).toContain('"entries"');
  });
});

describe('disconnect', () => {
  it('stops injection for the account at once', async () => {
    const page = await openSite(approvedOrigin);
    await popup.getByRole('listitem', { name: /SkyVault Account 2/ }).getByRole('button', { name: 'Disconnect' }).click();
    await expect.poll(() => accountItems(popup).count()).toBe(2);
    const received = await callFrom(page, skyvaultApi(), 'fetch', [demo.skyvault]);
    expect(received.headers.authorization).toBeUndefined();
  });
});
