// What a request costs with TokenTap on versus off: 1000 sequential fetches per arm, in
// alternating blocks, from a page inside real Chromium to a local API.
//   A  approved page: the extension attaches the header
//   B  the same page from an unapproved origin: rules present, none matches
//   C  a Chromium without the extension
// and first, with nothing approved (the extension then holds no header rules and no webRequest):
//   B0 an unapproved page in the extension's browser, against C.
// Figures are printed, not asserted. Run: npm run bench
import { chromium, type Page } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHROMIUM, chromiumArgs } from '../drive/chromium';
import { chromiumDriver, type DrivenPage } from '../drive/driver';
import { approveSite, connectDemoAccount, importProviders } from '../drive/steps';
import { createListener, listen, sendHtml, sendText, type RecordedRequest } from '../demo/http';
import { demoRedirectUris, startDemo } from '../demo/index';

const CALLS = Number(process.env.BENCH_CALLS ?? 1000);
const BLOCKS = 10;

// A page server on three origins (localhost, 127.0.0.1, [::1]) and a tiny API on another port.
const received: RecordedRequest[] = [];
const server = await listen(
  createListener([], (_req, res) => sendHtml(res, 200, '<!doctype html><title>bench</title>')),
  'localhost',
  0,
);
// A second port makes the API its own origin: every arm's call is cross-origin, as in real use.
const apiServer = await listen(
  createListener(received, (_req, res) => sendText(res, 200, 'ok', { 'Access-Control-Allow-Origin': '*', 'Cache-Control': 'no-store' })),
  'localhost',
  0,
);
const api = `http://localhost:${apiServer.port}/api/ping`;
const approved = `http://localhost:${server.port}`;
const unapproved = `http://127.0.0.1:${server.port}`;

// EXTENSION_DIR: another build of the extension to measure (default dist/chrome).
const extension = await chromiumDriver({ ...(process.env.EXTENSION_DIR && { extensionDir: process.env.EXTENSION_DIR }) });
const demo = await startDemo({ redirectUris: demoRedirectUris(extension.redirectUrl) });
const providers = structuredClone(demo.providerJson) as { providers: { id: string; apiBaseUrls: string[] }[] };
providers.providers.find((p) => p.id === 'skyvault')!.apiBaseUrls.push(`http://localhost:${apiServer.port}/api/`);
await importProviders(extension, providers);
const popup = await extension.openPopup();
await connectDemoAccount(popup, 'skyvault');
// A real popup closes when the user clicks elsewhere; left open, its countdown re-renders every second.
await popup.close();

const plainProfile = mkdtempSync(join(tmpdir(), 'tokentap-bench-plain-'));
const plain = await chromium.launchPersistentContext(plainProfile, {
  executablePath: CHROMIUM,
  headless: true,
  args: chromiumArgs(),
});

async function openPlain(origin: string): Promise<Page> {
  const page = await plain.newPage();
  await page.goto(`${origin}/`);
  return page;
}

/** `n` sequential fetches from the page; per-call milliseconds measured in the page. */
function run(page: Pick<DrivenPage, 'evaluate'>, n: number, arm: string): Promise<number[]> {
  return page.evaluate(
    async ([url, count]) => {
      const times: number[] = [];
      for (let i = 0; i < count; i++) {
        const t0 = performance.now();
        const response = await fetch(url, { cache: 'no-store' });
        await response.arrayBuffer();
        times.push(performance.now() - t0);
      }
      return times;
    },
    [`${api}?arm=${arm}`, n] as const,
  );
}

async function measure(arms: Record<string, Pick<DrivenPage, 'evaluate'>>): Promise<Record<string, number[]>> {
  const names = Object.keys(arms);
  const times: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (const [name, page] of Object.entries(arms)) await run(page, 50, `${name.split(' ')[0]}-warmup`);
  for (let block = 0; block < BLOCKS; block++) {
    // Rotate the order each block so drift over time hits every arm alike.
    const order = names.map((_, i) => names[(i + block) % names.length]!);
    for (const name of order) times[name]!.push(...(await run(arms[name]!, CALLS / BLOCKS, name.split(' ')[0]!)));
  }
  return times;
}

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
      `  ${name.padEnd(34)} median ${fmt(quantile(values, 0.5))}  p95 ${fmt(quantile(values, 0.95))}  mean95 ${fmt(trimmedMean(values))}  (n=${values.length})`,
    );
  }
  for (const [a, b] of ratios) {
    const key = (label: string) => Object.keys(times).find((k) => k.startsWith(label))!;
    const [x, y] = [times[key(a)]!, times[key(b)]!];
    const median = quantile(x, 0.5) / quantile(y, 0.5);
    console.log(
      `  ${`${a}/${b}`.padEnd(34)} ${median.toFixed(3)} (median ratio)  ${(trimmedMean(x) / trimmedMean(y)).toFixed(3)} (mean95 ratio)`,
    );
  }
}

console.log(`Chromium ${plain.browser()?.version() ?? ''} — ${CALLS} sequential fetches per arm, ${BLOCKS} alternating blocks, to ${api}`);
// C on its own origin, so the header count below tells the arms apart.
const c = await openPlain(`http://[::1]:${server.port}`);
const b0 = await extension.openPage(`${unapproved}/`);
console.log('\nNothing approved (the extension holds no header rules and no webRequest permission):');
report(await measure({ 'B0 extension, no rules': b0, 'C  no extension': c }), [['B0', 'C ']]);

await approveSite(extension, 'SkyVault Account 1', approved);
const a = await extension.openPage(`${approved}/`);
const b = await extension.openPage(`${unapproved}/`);
console.log(`\nApproved ${approved} for the SkyVault account (API base URLs include the bench API):`);
report(await measure({ 'A  approved page (header added)': a, 'B  unapproved page': b, 'C  no extension': c }), [
  ['A ', 'B '],
  ['B ', 'C '],
  ['A ', 'C '],
]);
// The API answers the same either way; show that arm A really carried the header and B did not.
const count = (arm: string, withHeader: boolean) =>
  received.filter((r) => r.query.arm === arm && (!withHeader || r.headers.authorization !== undefined)).length;
console.log(
  `  requests with the header: A ${count('A', true)}/${count('A', false)}, B ${count('B', true)}/${count('B', false)}, C ${count('C', true)}/${count('C', false)}`,
);

await plain.close();
rmSync(plainProfile, { recursive: true, force: true });
await extension.close();
await demo.close();
await server.close();
await apiServer.close();
