// The popup's time to a rendered account list with 0, 20 and 200 accounts: from navigation start
// to the first frame after the list holds every account, timed in the page, median of OPENS
// opens each, in Debian's Chromium. Target: 200 accounts within 1.5× of 0 (printed, not asserted).
// Run: npm run bench
import type { Page } from 'playwright-core';
import { launchExtension, type ExtensionBrowser } from '../drive/chromium';
import { demoRedirectUris, providerRedirectUrl, READYCLOUD_CLIENT_ID, startDemo } from '../demo/index';
import type { BackgroundApi, RequestType, Result } from '../src/messages';

const OPENS = Number(process.env.BENCH_OPENS ?? 25);
const ARMS = [0, 20, 200];
const PROVIDERS = 10;
const TARGET_RATIO = 1.5;

const providerIds = Array.from({ length: PROVIDERS }, (_, i) => `bench-${i}`);
// The extension's id (and so its redirect URLs) is pinned by the manifest key: the same in every profile.
const probe = await launchExtension();
const { redirectUrl } = probe;
await probe.close();
const demo = await startDemo({
  redirectUris: { ...demoRedirectUris(redirectUrl), readycloud: providerIds.map((id) => providerRedirectUrl(redirectUrl, id)) },
  readycloud: { rememberConsent: true },
});

/**
 * A profile holding `count` accounts, made as a user makes them: the providers imported, then
 * Connect (round robin over the providers) and Approve the playground for each, sent from an
 * extension page as its buttons send them. The first sign-in shows ReadyCloud's consent page; the
 * demo remembers the Allow, so the others need no click.
 */
async function profileWith(count: number): Promise<string> {
  const extension = await launchExtension();
  const page = await extension.openOptions();
  const sent = async <K extends RequestType>(message: { type: K } & BackgroundApi[K]['request']) => {
    const answer = await page.evaluate((m) => chrome.runtime.sendMessage<typeof m, Result<BackgroundApi[K]['response']>>(m), message);
    if (!answer.ok) throw new Error(`${message.type}: ${answer.error}`);
    return answer.value;
  };
  await sent({
    type: 'importProviders',
    json: JSON.stringify({
      providers: providerIds.map((id, i) => ({
        id,
        name: `Bench ${i}`,
        flow: 'implicit',
        authorizationUrl: `${demo.readycloud.origin}/oauth/authorize`,
        clientId: READYCLOUD_CLIENT_ID,
        scopes: ['orders:read'],
        apiBaseUrls: [`${demo.readycloud.origin}/api/v1/${i}/`],
      })),
    }),
  });
  for (let n = 0; n < count; n++) {
    const consent = n === 0 ? extension.context.waitForEvent('page', (p) => p.url().startsWith(demo.readycloud.origin)) : undefined;
    const connected = sent({ type: 'connect', providerId: providerIds[n % PROVIDERS]! });
    if (consent) await (await consent).getByRole('button', { name: 'Allow' }).click();
    const answer = await connected;
    if (!('accountId' in answer)) throw new Error('connect: a device sign-in, not an account');
    const { accountId } = answer;
    await sent({ type: 'approveSite', accountId, origin: demo.playground.origin });
  }
  await extension.close({ keepProfile: true });
  return extension.userDataDir;
}

/** Opens the popup, and the milliseconds from navigation start to the frame after its list holds `count` accounts. */
async function open(extension: ExtensionBrowser, count: number): Promise<number> {
  const page: Page = await extension.context.newPage();
  await page.addInitScript((expected) => {
    const seen = new MutationObserver(() => {
      const list = document.querySelector('ul[aria-labelledby="accounts-heading"]');
      if (list?.children.length !== expected) return;
      seen.disconnect();
      requestAnimationFrame(() => ((globalThis as unknown as { listShown: number }).listShown = performance.now()));
    });
    seen.observe(document, { childList: true, subtree: true });
  }, count);
  await page.goto(`chrome-extension://${extension.extensionId}/src/popup/index.html`);
  const shown = await (await page.waitForFunction(() => (globalThis as unknown as { listShown?: number }).listShown)).jsonValue();
  await page.close();
  return shown as number;
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const profiles: string[] = [];
for (const count of ARMS) profiles.push(await profileWith(count));
await demo.close();
// One browser per arm, started after seeding (its background idle), and the opens interleaved, so
// the load of this shared machine weighs on every arm alike.
const browsers = await Promise.all(profiles.map((userDataDir) => launchExtension({ userDataDir })));
const times: number[][] = ARMS.map(() => []);
for (let round = -1; round < OPENS; round++) {
  for (const [arm, count] of ARMS.entries()) {
    const ms = await open(browsers[arm]!, count);
    if (round >= 0) times[arm]!.push(ms); // round -1 warms each browser up
  }
}
await Promise.all(browsers.map((browser) => browser.close()));

console.log(`Popup: navigation start to the frame showing the account list, median of ${OPENS} opens (Chromium, headless):`);
const medians = times.map(median);
for (const [arm, count] of ARMS.entries()) {
  const sorted = [...times[arm]!].sort((a, b) => a - b);
  console.log(
    `  ${String(count).padStart(3)} accounts  ${medians[arm]!.toFixed(1).padStart(6)} ms  (min ${sorted[0]!.toFixed(1)}, max ${sorted.at(-1)!.toFixed(1)})`,
  );
}
const ratio = medians.at(-1)! / medians[0]!;
console.log(
  `  ${ARMS.at(-1)} / ${ARMS[0]} accounts: ${ratio.toFixed(2)}× — ${ratio <= TARGET_RATIO ? 'within' : 'NOT within'} the ${TARGET_RATIO}× target`,
);
