// What a request costs with TokenTap on versus off, and beside the engine's floor and a naive peer:
// sequential fetches from a page inside real Chromium, per arm, in alternating blocks.
//   A  approved page: the extension attaches the header
//   B  the same page from an unapproved origin: rules present, none matches
//   C  a Chromium without the extension
//   F  the floor: a Chromium with a minimal extension holding ONE header rule that matches nothing,
//      with TokenTap's permission and host access (bench/peer-extensions.ts)
//   N  a naive peer: a Chromium with an extension whose page-world content script wraps fetch
//   T  50 tab choices: a Chromium with the floor extension and session rules of the shape of
//      "Use on this tab only" (tabIds, above site priorities) for 50 tabs, one of them this tab
// each against a loopback API, an API that answers everything 20 ms late (preflights too), and a
// loopback URL outside every API (the rest of the profile's requests); and first, with nothing
// approved (the extension then holds only the Origin rules of its own token requests, and no
// webRequest): B0 an unapproved page in the extension's browser, against C.
// Figures are printed, not asserted. Run: npm run bench
import { chromium, type BrowserContext, type Page, type Worker } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ServerResponse } from 'node:http';
import { CHROMIUM, chromiumArgs } from '../drive/chromium';
import { chromiumDriver, type Driver, type DrivenPage } from '../drive/driver';
import { approveSite, connectDemoAccount, importProviders, waitUntil } from '../drive/steps';
import { createListener, listen, sendEmpty, sendText, sendHtml, type RecordedRequest } from '../demo/http';
import { demoRedirectUris, startDemo } from '../demo/index';
import { prefixPriority, SITE_RESOURCE_TYPES, TAB_RULE_PRIORITY_OFFSET } from '../src/inject/rules';
import { FLOOR_RULE_ID, tokentapHostPermissions, writeFloorExtension, writeNaivePeerExtension } from './peer-extensions';

const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const BLOCKS = 10;
/** A call to the slow API takes about ten times as long as to loopback: a fifth as many calls. */
const SLOW_CALLS = Math.max(BLOCKS, Math.round(CALLS / 5));
const API_DELAY_MS = 20;
const TAB_CHOICES = 50;

// A page server on three origins (localhost, 127.0.0.1, [::1]) and two tiny APIs on other ports.
const received: RecordedRequest[] = [];
const server = await listen(
  createListener([], (_req, res) => sendHtml(res, 200, '<!doctype html><title>bench</title>')),
  'localhost',
  0,
);
// No Access-Control-Max-Age: a preflight is cached as long as the browser's default (Chromium: 5 s).
const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'authorization',
  'Cache-Control': 'no-store',
};
function answer(method: string, res: ServerResponse) {
  if (method === 'OPTIONS') sendEmpty(res, 204, CORS);
  else sendText(res, 200, 'ok', CORS);
}
// A port of its own makes each API its own origin: every arm's call is cross-origin, as in real use.
const apiServer = await listen(
  createListener(received, (req, res) => answer(req.method, res)),
  'localhost',
  0,
);
const slowApiServer = await listen(
  createListener(received, async (req, res) => {
    await new Promise((done) => setTimeout(done, API_DELAY_MS));
    answer(req.method, res);
  }),
  'localhost',
  0,
);
/**
 * Calls as an app makes them to a REST API: a GET of a new URL each time (resources by id, pages),
 * with no header of the app's own. A network rule adds its header after the CORS check, so those
 * calls need no preflight; a header set in the page (the naive peer) makes each one need one, and
 * browsers cache a preflight per URL.
 */
const targets = {
  loopback: { url: `http://localhost:${apiServer.port}/api/ping`, calls: CALLS },
  '20 ms': { url: `http://localhost:${slowApiServer.port}/api/ping`, calls: SLOW_CALLS },
  // The rest of the profile's requests: outside every API base URL, where no rule and no 401 watch is needed.
  'loopback, outside the API': { url: `http://localhost:${apiServer.port}/page/ping`, calls: CALLS },
};
type Target = (typeof targets)[keyof typeof targets];
const apiBaseUrls = [apiServer, slowApiServer].map((api) => `http://localhost:${api.port}/api/`);
const approved = `http://localhost:${server.port}`;
const unapproved = `http://127.0.0.1:${server.port}`;

// EXTENSION_DIR: another build of the extension to measure (default dist/chrome). COMPARE_EXTENSION_DIR:
// a second build, measured as one more arm (A2) beside the first, to tell two builds apart in one run.
const extensionDir = process.env.EXTENSION_DIR;
const compareDir = process.env.COMPARE_EXTENSION_DIR;
const extension = await chromiumDriver({ ...(extensionDir && { extensionDir }) });
// Both builds carry the manifest's key: one extension id, one redirect URL.
const demo = await startDemo({ redirectUris: demoRedirectUris(extension.redirectUrl) });
const providers = structuredClone(demo.providerJson) as { providers: { id: string; apiBaseUrls: string[] }[] };
providers.providers.find((p) => p.id === 'skyvault')!.apiBaseUrls.push(...apiBaseUrls);
/** Imports the providers (the bench APIs among SkyVault's base URLs) and connects a SkyVault account. */
async function connectSkyVault(driver: Driver): Promise<Driver> {
  await importProviders(driver, providers);
  const popup = await driver.openPopup();
  await connectDemoAccount(popup, 'skyvault');
  // A real popup closes when the user clicks elsewhere; left open, its countdown re-renders every second.
  await popup.close();
  return driver;
}
await connectSkyVault(extension);
const compared = compareDir ? await connectSkyVault(await chromiumDriver({ extensionDir: compareDir })) : undefined;

const profiles: string[] = [];
/** A Chromium of its own, with `extensionDir` loaded if given; its profile is removed at the end. */
async function launchBrowser(extensionDir?: string): Promise<BrowserContext> {
  const profile = mkdtempSync(join(tmpdir(), 'tokentap-bench-profile-'));
  profiles.push(profile);
  return chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args: chromiumArgs(extensionDir) });
}
async function openPage(context: BrowserContext, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

const plain = await launchBrowser();
const hostPermissions = tokentapHostPermissions(extensionDir);
const floorDir = writeFloorExtension(hostPermissions);
const naiveDir = writeNaivePeerExtension({
  matches: hostPermissions,
  apiBaseUrls,
  header: 'Authorization',
  value: 'Bearer naive-peer-token',
});
const naive = await launchBrowser(naiveDir);
const floor = await launchBrowser(floorDir);
const tabChoices = await launchBrowser(floorDir);
/** The floor extension's service worker in `context`. */
const floorWorker = async (context: BrowserContext): Promise<Worker> =>
  context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
for (const context of [floor, tabChoices]) {
  const worker = await floorWorker(context);
  await waitUntil('the floor rule', async () => (await worker.evaluate(() => chrome.declarativeNetRequest.getSessionRules())).length === 1);
}

/**
 * A stand-in for 50 tab choices, of the shape "Use on this tab only" installs: one session rule
 * per tab (tabIds), above every site rule, for each API base URL; the first for the tab showing
 * `url`, the others for tabs that do not exist here (49 other tabs: they cost by being there).
 */
async function installTabChoices(url: string): Promise<void> {
  const worker = await floorWorker(tabChoices);
  await worker.evaluate(
    async ({ url, count, apiBaseUrls, resourceTypes, priorityOffset, firstId }) => {
      const [tab] = (await chrome.tabs.query({})).filter((t) => t.url === url);
      const tabIds = [tab!.id!, ...Array.from({ length: count - 1 }, (_, i) => 100_000 + i)];
      const addRules = tabIds.flatMap((tabId, i) =>
        apiBaseUrls.map(({ base, priority }, j) => ({
          id: firstId + i * apiBaseUrls.length + j,
          priority: priorityOffset + priority,
          action: {
            type: 'modifyHeaders' as const,
            requestHeaders: [{ header: 'Authorization', operation: 'set' as const, value: `Bearer tab-choice-${i}` }],
          },
          condition: { urlFilter: `|${base}`, tabIds: [tabId], resourceTypes: resourceTypes as chrome.declarativeNetRequest.ResourceType[] },
        })),
      );
      await chrome.declarativeNetRequest.updateSessionRules({ addRules });
    },
    {
      url,
      count: TAB_CHOICES,
      apiBaseUrls: apiBaseUrls.map((base) => ({ base, priority: prefixPriority(base) })),
      resourceTypes: [...SITE_RESOURCE_TYPES],
      priorityOffset: TAB_RULE_PRIORITY_OFFSET,
      firstId: FLOOR_RULE_ID + 1,
    },
  );
}

/** `n` sequential fetches from the page; per-call milliseconds measured in the page. */
function run(page: Pick<DrivenPage, 'evaluate'>, target: Target, n: number, arm: string): Promise<number[]> {
  return page.evaluate(
    async ([url, count]) => {
      const times: number[] = [];
      for (let i = 0; i < count; i++) {
        const callUrl = `${url}&call=${Math.random()}`;
        const t0 = performance.now();
        // The default cache mode, as an app's call: the API's no-store keeps each call on the network.
        const response = await fetch(callUrl);
        await response.arrayBuffer();
        times.push(performance.now() - t0);
      }
      return times;
    },
    [`${target.url}?arm=${arm}`, n] as const,
  );
}

/** Each arm's per-call times, by the arm's label (its first word names it in the API's log). */
async function measure(arms: Record<string, Pick<DrivenPage, 'evaluate'>>, target: Target): Promise<Record<string, number[]>> {
  const names = Object.keys(arms);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const [name, page] of Object.entries(arms)) await run(page, target, 50, `${armOf(name)}-warmup`);
  for (let block = 0; block < BLOCKS; block++) {
    // Rotate the order each block so drift over time hits every arm alike.
    const order = names.map((_, i) => names[(i + block) % names.length]!);
    for (const name of order) times[name]!.push(...(await run(arms[name]!, target, target.calls / BLOCKS, armOf(name))));
  }
  return times;
}
const armOf = (name: string) => name.split(' ')[0]!;

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
};
/** The mean of the fastest 95%: finer than a median of times the page clocks in 0.1 ms steps. */
const trimmedMean = (values: number[]) => {
  const kept = [...values].sort((a, b) => a - b).slice(0, Math.ceil(values.length * 0.95));
  return kept.reduce((sum, v) => sum + v, 0) / kept.length;
};
const fmt = (ms: number) => `${ms.toFixed(3)} ms`;
function report(times: Record<string, number[]>, ratios: [string, string][]) {
  for (const [name, values] of Object.entries(times)) {
    console.log(
      `  ${name.padEnd(40)} median ${fmt(quantile(values, 0.5))}  p95 ${fmt(quantile(values, 0.95))}  mean95 ${fmt(trimmedMean(values))}  (n=${values.length})`,
    );
  }
  for (const [a, b] of ratios) {
    const key = (arm: string) => Object.keys(times).find((k) => armOf(k) === arm)!;
    const [x, y] = [times[key(a)]!, times[key(b)]!];
    const median = quantile(x, 0.5) / quantile(y, 0.5);
    console.log(
      `  ${`${a}/${b}`.padEnd(40)} ${median.toFixed(3)} (median ratio)  ${(trimmedMean(x) / trimmedMean(y)).toFixed(3)} (mean95 ratio)`,
    );
  }
}
/** Per arm: calls that carried the header of all calls, and the preflights the browser sent first. */
function reportHeaders(arms: string[], target: Target) {
  const { host, pathname } = new URL(target.url);
  const of = (arm: string) => received.filter((r) => r.query.arm === arm && r.headers.host === host && r.path === pathname);
  const counts = arms.map((arm) => {
    const calls = of(arm).filter((r) => r.method === 'GET');
    const withHeader = calls.filter((r) => r.headers.authorization !== undefined).length;
    return `${arm} ${withHeader}/${calls.length} (${of(arm).length - calls.length} preflights)`;
  });
  console.log(`  requests with the header: ${counts.join(', ')}`);
}

console.log(
  `Chromium ${plain.browser()?.version() ?? ''} — sequential fetches per arm in ${BLOCKS} alternating blocks: ` +
    `${CALLS} to the loopback API, ${SLOW_CALLS} to the ${API_DELAY_MS} ms API`,
);
// C on its own origin, so the header count below tells the arms apart.
const c = await openPage(plain, `http://[::1]:${server.port}/`);
const b0 = await extension.openPage(`${unapproved}/`);
console.log("\nNothing approved (the extension holds only its token requests' Origin rules, and no webRequest), loopback API:");
report(await measure({ 'B0 extension, nothing approved': b0, 'C  no extension': c }, targets.loopback), [['B0', 'C']]);

await approveSite(extension, 'SkyVault Account 1', approved);
if (compared) await approveSite(compared, 'SkyVault Account 1', approved);
const arms = {
  'A  approved page (header added)': await extension.openPage(`${approved}/`),
  ...(compared && { [`A2 approved page, build ${basename(compareDir!)}`]: await compared.openPage(`${approved}/`) }),
  'B  unapproved page': await extension.openPage(`${unapproved}/`),
  'C  no extension': c,
  'F  floor (one rule, matching nothing)': await openPage(floor, `${approved}/`),
  'N  naive peer (page-world fetch wrapper)': await openPage(naive, `${approved}/`),
  'T  floor + 50 tab choices, one here': await openPage(tabChoices, `${approved}/`),
};
await installTabChoices(`${approved}/`);
for (const [name, target] of Object.entries(targets)) {
  console.log(`\nApproved ${approved} for the SkyVault account; ${name}: ${target.url}`);
  report(await measure(arms, target), [
    ['A', 'C'],
    ['A', 'B'],
    ['A', 'F'],
    ['F', 'C'],
    ['N', 'A'],
    ['T', 'F'],
    ...(compared ? [['A2', 'A'] as [string, string]] : []),
  ]);
  // Every API answers the same either way; show which arms really carried the header.
  reportHeaders(Object.keys(arms).map(armOf), target);
}

await plain.close();
await naive.close();
await floor.close();
await tabChoices.close();
for (const dir of [floorDir, naiveDir, ...profiles]) rmSync(dir, { recursive: true, force: true });
await extension.close();
await compared?.close();
await demo.close();
await server.close();
await apiServer.close();
await slowApiServer.close();
