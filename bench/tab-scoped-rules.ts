// Would restricting each rule with `tabIds` to the tabs whose top-level origin is exactly the
// approved one (scheme, host, port) be worth it? In Chromium, with a small stand-in extension that
// does just that (tabs.onUpdated → updateSessionRules), this measures:
//   1. what one rule update costs, with 0 and with 750 other session rules installed (the
//      compile-rules bench's 500 accounts × 20 sites);
//   2. the race, both ways: navigating a tab INTO the approved origin, how many of the page's
//      first requests go out before the update lands (no token: the app's first calls fail);
//      navigating OUT to another origin of the same host (as http://app.example.com is to an
//      approved https://app.example.com), how many still carry the header (the leak tabIds
//      was meant to close).
// Figures are printed, not asserted. Run: npx tsx bench/tab-scoped-rules.ts (it builds no TokenTap).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchExtension } from '../drive/chromium';
import { createListener, listen, send, sendHtml, sendText, type RecordedRequest } from '../demo/http';

const NAVIGATIONS = Number(process.env.BENCH_NAVIGATIONS ?? 30);
const UPDATES = 200;
const FILLER_RULES = 750;
/** When each test page fetches the API, in ms after its first script runs. */
const DELAYS = [0, 0, 0, 10, 50, 200, 1000];

const received: RecordedRequest[] = [];
const api = await listen(
  createListener(received, (_req, res) => sendText(res, 200, 'ok', { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' })),
  '127.0.0.1',
  0,
);
const apiPrefix = `${api.origin}/api/`;
// The page's first script fetches the API at once, as an app's bootstrap does.
const page = `<!doctype html><title>bench</title><script>
  const nav = new URLSearchParams(location.search).get('nav');
  for (const [i, delay] of ${JSON.stringify(DELAYS)}.entries()) {
    const go = () => fetch('${apiPrefix}ping?nav=' + nav + '&i=' + i, { cache: 'no-store' });
    if (delay === 0) go(); else setTimeout(go, delay);
  }
</script>`;
// A service worker of the approved origin that calls the API when asked, as an offline-first app's does.
const serviceWorker = `self.onmessage = (e) => e.waitUntil(fetch('${apiPrefix}ping?nav=' + e.data, { cache: 'no-store' }));
self.onactivate = (e) => e.waitUntil(self.clients.claim());`;
const approvedServer = await listen(
  createListener([], (req, res) =>
    req.url.pathname === '/sw.js' ? send(res, 200, 'text/javascript', serviceWorker) : sendHtml(res, 200, page),
  ),
  'localhost',
  0,
);
const sameHostServer = await listen(
  createListener([], (_req, res) => sendHtml(res, 200, page)),
  'localhost',
  0,
);
const approved = `http://localhost:${approvedServer.port}`;
const sameHost = `http://localhost:${sameHostServer.port}`;
const elsewhere = `http://127.0.0.1:${approvedServer.port}`;

// The stand-in extension: one header rule, for requests from localhost to the API, limited to the
// tabs whose top-level origin is exactly the approved one, followed with tabs.onUpdated (host access
// to localhost lets it read those tabs' URLs; no `tabs` or `webNavigation` permission).
const extensionDir = mkdtempSync(join(tmpdir(), 'tokentap-bench-tabids-'));
writeFileSync(
  join(extensionDir, 'manifest.json'),
  JSON.stringify({
    manifest_version: 3,
    name: 'tabIds bench',
    version: '1',
    permissions: ['declarativeNetRequestWithHostAccess', 'identity'],
    host_permissions: ['http://localhost/*', 'http://127.0.0.1/*'],
    background: { service_worker: 'worker.js' },
  }),
);
writeFileSync(
  join(extensionDir, 'worker.js'),
  `const RULE = 1;
const bench = { approved: null, api: null, tabs: new Set(), updates: [], landed: [] };
globalThis.bench = bench;
function rule() {
  return { id: RULE, priority: 1,
    action: { type: 'modifyHeaders', requestHeaders: [{ header: 'X-Bench-Token', operation: 'set', value: 'yes' }] },
    condition: { urlFilter: '|' + bench.api, initiatorDomains: ['localhost'], tabIds: [...bench.tabs], resourceTypes: ['xmlhttprequest'] } };
}
globalThis.applyRule = async () => {
  const started = performance.now();
  await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: [RULE], addRules: bench.tabs.size > 0 ? [rule()] : [] });
  bench.updates.push(performance.now() - started);
  bench.landed.push(Date.now());
};
globalThis.setFiller = async (count) => {
  const old = (await chrome.declarativeNetRequest.getSessionRules()).map((r) => r.id).filter((id) => id !== RULE);
  const addRules = Array.from({ length: count }, (_, i) => ({ id: 1000 + i, priority: 1,
    action: { type: 'modifyHeaders', requestHeaders: [{ header: 'Authorization', operation: 'set', value: 'Bearer filler-' + i }] },
    condition: { urlFilter: '|https://api' + i + '.example/', initiatorDomains: ['site' + i + '.example', 'localhost'], resourceTypes: ['xmlhttprequest'] } }));
  await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: old, addRules });
};
chrome.tabs.onUpdated.addListener((tabId, change, tab) => {
  if (bench.approved === null || (change.url === undefined && change.status !== 'loading')) return;
  const url = change.url ?? tab.url;
  const inside = url !== undefined && new URL(url).origin === bench.approved;
  if (inside === bench.tabs.has(tabId)) return;
  if (inside) bench.tabs.add(tabId); else bench.tabs.delete(tabId);
  void globalThis.applyRule();
});
`,
);

const browser = await launchExtension({ extensionDir });
const worker = await browser.worker();
const tab = await browser.context.newPage();

const quantile = (values: number[], q: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))]!;
const ms = (value: number) => `${value.toFixed(2)} ms`;

/** Loads `origin` in the bench tab and waits for every API call of that page; per call, whether it carried the header. */
async function visit(origin: string, nav: string): Promise<boolean[]> {
  await tab.goto(`${origin}/?nav=${nav}`);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const calls = received.filter((r) => r.query.nav === nav);
    if (calls.length === DELAYS.length) {
      return DELAYS.map((_, i) => calls.find((r) => r.query.i === String(i))!.headers['x-bench-token'] === 'yes');
    }
    if (Date.now() > deadline) throw new Error(`${origin}: only ${calls.length} of ${DELAYS.length} API calls arrived`);
    await new Promise((done) => setTimeout(done, 20));
  }
}

console.log(`Chromium ${browser.context.browser()?.version() ?? ''}: rules limited with tabIds, followed with tabs.onUpdated`);
for (const filler of [0, FILLER_RULES]) {
  await worker.evaluate(
    async ([count, origin, prefix]) => {
      const g = globalThis as unknown as {
        setFiller(n: number): Promise<void>;
        bench: { approved: string | null; api: string | null; tabs: Set<number>; updates: number[] };
      };
      await g.setFiller(count);
      Object.assign(g.bench, { approved: origin, api: prefix, updates: [] });
      g.bench.tabs.clear();
    },
    [filler, approved, apiPrefix] as const,
  );

  // 1. One update on its own, as a navigation would cause it.
  const updates = await worker.evaluate(async (count) => {
    const g = globalThis as unknown as { applyRule(): Promise<void>; bench: { tabs: Set<number>; updates: number[]; landed: number[] } };
    for (let i = 0; i < count; i++) {
      g.bench.tabs.clear();
      g.bench.tabs.add(1 + (i % 50));
      await g.applyRule();
    }
    const times = g.bench.updates.splice(0);
    g.bench.tabs.clear();
    await g.applyRule();
    g.bench.updates.length = 0;
    g.bench.landed.length = 0;
    return times;
  }, UPDATES);
  console.log(`\nWith ${filler} other session rules installed:`);
  console.log(
    `  updateSessionRules, one rule's tabIds: median ${ms(quantile(updates, 0.5))}, p95 ${ms(quantile(updates, 0.95))} (n=${updates.length})`,
  );

  // 2. The race, into the approved origin and out of it to another origin of the same host.
  const into: boolean[][] = [];
  const out: boolean[][] = [];
  for (let n = 0; n < NAVIGATIONS; n++) {
    await visit(elsewhere, `${filler}-elsewhere-${n}`);
    into.push(await visit(approved, `${filler}-into-${n}`));
    out.push(await visit(sameHost, `${filler}-out-${n}`));
  }
  const share = (runs: boolean[][], i: number, carried: boolean) => runs.filter((run) => run[i] === carried).length;
  console.log(`  ${NAVIGATIONS} navigations each way; per call, by when the page made it:`);
  for (const [i, delay] of DELAYS.entries()) {
    console.log(
      `    call ${i} at +${String(delay).padStart(4)} ms: into the approved origin, without the token ${String(share(into, i, false)).padStart(2)}/${NAVIGATIONS}; ` +
        `out to ${sameHost}, still with it ${String(share(out, i, true)).padStart(2)}/${NAVIGATIONS}`,
    );
  }
  const { durations, landed } = await worker.evaluate(() => {
    const { bench } = globalThis as unknown as { bench: { updates: number[]; landed: number[] } };
    return { durations: bench.updates.splice(0), landed: bench.landed.splice(0) };
  });
  console.log(
    `  updates the navigations caused: ${durations.length}, median ${ms(quantile(durations, 0.5))}, p95 ${ms(quantile(durations, 0.95))}`,
  );
  // Into and out alternate, one update each: how long before the page's first call the update landed.
  const firstCall = (nav: string) => received.find((r) => r.query.nav === nav && r.query.i === '0')!.time;
  const margins = landed.map((at, k) => firstCall(`${filler}-${k % 2 === 0 ? 'into' : 'out'}-${Math.floor(k / 2)}`) - at);
  console.log(
    `  the update landed before the page's first call by: median ${ms(quantile(margins, 0.5))}, min ${ms(Math.min(...margins))} (Date.now, 1 ms steps)`,
  );
}

// 3. Workers: a service worker's requests belong to no tab (tabId -1), so a tabIds rule never matches them.
await worker.evaluate(() => (globalThis as unknown as { setFiller(n: number): Promise<void> }).setFiller(0));
await tab.goto(`${approved}/?nav=sw-page`);
await tab.evaluate(async () => {
  await navigator.serviceWorker.register('/sw.js');
  await navigator.serviceWorker.ready;
});
await tab.evaluate(() => navigator.serviceWorker.ready.then((registration) => registration.active!.postMessage('sw-call')));
const deadline = Date.now() + 10_000;
while (!received.some((r) => r.query.nav === 'sw-call') && Date.now() < deadline) await new Promise((done) => setTimeout(done, 20));
const page0 = received.find((r) => r.query.nav === 'sw-page' && r.query.i === '0');
const swCall = received.find((r) => r.query.nav === 'sw-call');
console.log(
  `\nA call from the approved page itself: ${page0?.headers['x-bench-token'] === 'yes' ? 'with' : 'without'} the header; from its service worker: ${swCall === undefined ? 'never arrived' : swCall.headers['x-bench-token'] === 'yes' ? 'with' : 'without'} it`,
);

await browser.close();
rmSync(extensionDir, { recursive: true, force: true });
await api.close();
await approvedServer.close();
await sameHostServer.close();
