// `npm start`: build, start the demo providers, load their provider JSON into the extension, and
// open Chromium with the popup and the playground. Without a display it runs headless and tours
// the main job by itself, printing each step and saving screenshots.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  DEMO_PROVIDER_NAMES,
  SKYVAULT_DEVICE_NAME,
  SKYVAULT_PASSWORD,
  SKYVAULT_USER_ID,
  demoRedirectUris,
  skyVaultDeviceProvider,
  startDemo,
} from '../demo/index';
import { chromiumDriver, type Driver, type DrivenPage } from '../drive/driver';
import { ACCOUNTS, allowReadyCloud, approveSite, importProviders, signInToSkyVault, waitForText, waitUntil } from '../drive/steps';

const root = resolve(import.meta.dirname, '..');
const headless = process.env.HEADLESS === '1' || !(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const port = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
/** Token lifetime from the environment; the headless tour uses 12 s so it can show renewals. */
function lifetime(name: string): number | undefined {
  const value = process.env[name] ?? (headless ? '12' : undefined);
  if (value === undefined) return undefined;
  if (!/^[1-9]\d*$/.test(value)) throw new Error(`${name} must be a whole number of seconds, got "${value}"`);
  return Number(value);
}
const readyCloudSeconds = lifetime('READYCLOUD_TOKEN_SECONDS');
const skyVaultSeconds = lifetime('SKYVAULT_TOKEN_SECONDS');

execFileSync('bash', [join(root, 'scripts/ensure-browsers.sh'), 'chromium'], { stdio: 'inherit' });
console.log('Building the extension…');
execFileSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });

// The headless tour clicks the toolbar button as a person would, for the popup's Sent from this tab.
const driver = await chromiumDriver({ headless, toolbarClicks: headless });
const redirectUris = demoRedirectUris(driver.redirectUrl);
const demo = await startDemo({
  redirectUris,
  ports: { readycloud: port('READYCLOUD_PORT', 8710), skyvault: port('SKYVAULT_PORT', 8720), playground: port('PLAYGROUND_PORT', 8730) },
  // ReadyCloud remembers Allow, so TokenTap can renew its implicit tokens without a window.
  readycloud: { rememberConsent: true, ...(readyCloudSeconds && { tokenLifetimeSeconds: readyCloudSeconds }) },
  skyvault: { ...(skyVaultSeconds && { accessTokenLifetimeSeconds: skyVaultSeconds }) },
});
console.log(`ReadyCloud-like provider  ${demo.readycloud.origin}  (implicit grant)`);
console.log(
  `SkyVault-like provider    ${demo.skyvault.origin}  (authorization code, and the device grant as SkyVault (device); user ${SKYVAULT_USER_ID} / password ${SKYVAULT_PASSWORD})`,
);
console.log(
  `Token lifetimes           ReadyCloud ${demo.readycloud.config.tokenLifetimeSeconds} s, SkyVault ${demo.skyvault.config.accessTokenLifetimeSeconds} s`,
);
console.log(`Playground page           ${demo.playground.origin}`);
console.log(`Extension redirect URLs   ${Object.values(redirectUris).flat().join(', ')}`);
const providers = { providers: [...demo.providerJson.providers, skyVaultDeviceProvider(demo.skyvault)] };
console.log(`Providers: ${await importProviders(driver, providers)}`);

const popup = await driver.openPopup();
if (headless) await popup.resize(380, 560);
const playground = await driver.openPage(demo.playground.origin);

if (headless) await tour(driver, popup, playground);
else {
  console.log('\nChromium is open with the popup and the playground. Connect an account in the popup, then, with');
  console.log('the playground tab active, open the TokenTap popup and press "Use on this site": the playground\'s');
  console.log('calls then carry the token. Close the browser or press Ctrl+C to stop.');
  await new Promise<void>((done) => {
    // The Playwright browser underneath tells when the user has closed the window.
    driver.chromium!().context.on('close', () => done());
    process.on('SIGINT', () => done());
  });
}
await driver.close();
await demo.close();

async function tour(driver: Driver, popup: DrivenPage, playground: DrivenPage): Promise<void> {
  const dir = join(root, '.demo', `tour-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  let shot = 0;
  const step = async (text: string, page: DrivenPage) => {
    const file = join(
      dir,
      `${String(++shot).padStart(2, '0')}-${text
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/-$/, '')}.png`,
    );
    await page.screenshot(file);
    console.log(`  ${shot}. ${text}  → ${file}`);
  };
  const accountTexts = () => popup.texts('listitem', ACCOUNTS);
  const hasAccount = (name: string) => async () => (await accountTexts()).some((text) => text.startsWith(name));
  /** The playground's last answer from an API ("HTTP 200 OK"), once there is one. */
  const answerShown = (id: string) => playground.evaluate((resultId) => document.querySelector(`#${resultId} .status`)?.textContent ?? '', id);
  const tally = async (name: string) => (await playground.texts('status', { role: 'region', name }))[0];
  console.log('\nNo display: touring the main job headless.');
  await step('Popup with both providers imported', popup);

  // ReadyCloud lets the user ask for full or read-only access (its document): the tour asks read-only.
  await popup.select(`Access for ${DEMO_PROVIDER_NAMES.readycloud}`, 'Read only');
  const readyCloud = await popup.clickForNewPage(`Connect ${DEMO_PROVIDER_NAMES.readycloud}`);
  await step('ReadyCloud consent page', readyCloud);
  await allowReadyCloud(readyCloud);
  await waitUntil('the ReadyCloud account', hasAccount(DEMO_PROVIDER_NAMES.readycloud));
  await step('ReadyCloud account connected', popup);

  const skyVault = await popup.clickForNewPage(`Connect ${DEMO_PROVIDER_NAMES.skyvault}`);
  await step('SkyVault login page', skyVault);
  await signInToSkyVault(skyVault);
  await waitUntil('the SkyVault account', hasAccount(DEMO_PROVIDER_NAMES.skyvault));
  await step('SkyVault account connected (code exchanged with PKCE)', popup);

  // The device grant: no redirect; the user approves the code on SkyVault's page while TokenTap polls.
  const devicePage = await popup.clickForNewPage(`Connect ${SKYVAULT_DEVICE_NAME}`);
  console.log(`     User code in the popup: ${await popup.value('User code')}`);
  await step('SkyVault (device): the popup shows the User code and its countdown', popup);
  await step('SkyVault device page, the code filled in', devicePage);
  await signInToSkyVault(devicePage);
  await waitUntil('the SkyVault (device) account', hasAccount(SKYVAULT_DEVICE_NAME));
  await step('SkyVault (device) account connected by polling', popup);

  // As the popup shows them (innerText keeps the breaks between its lines).
  const shown = await popup.evaluate(
    () => [...document.querySelectorAll<HTMLElement>('[aria-labelledby="accounts-heading"] > li')].map((li) => li.innerText),
    undefined,
  );
  for (const text of shown) console.log(`     ${text.replace(/\s+/g, ' ')}`);

  for (const account of ['ReadyCloud Account 1', 'SkyVault Account 1']) {
    console.log(`     ${account}: ${await approveSite(driver, account, demo.playground.origin)}`);
  }
  await playground.reload();
  for (const [name, id] of [
    ['ReadyCloud', 'readycloud-result'],
    ['SkyVault', 'skyvault-result'],
  ] as const) {
    await playground.click(`Call ${name} API`);
    await waitUntil(`the ${name} API's answer`, async () => (await answerShown(id)) !== '');
    console.log(`     playground → ${name} API: ${await answerShown(id)}`);
  }
  await step('Playground calling both APIs, the token attached by TokenTap', playground);
  await playground.click('Create a ReadyCloud order');
  await waitUntil("the ReadyCloud API's answer to the write", async () => (await answerShown('readycloud-write-result')) !== '');
  console.log(`     playground → ReadyCloud write with the read-only token: ${await answerShown('readycloud-write-result')}`);
  await step('Playground: a write refused with the read-only token chosen at Connect', playground);

  // Short-lived tokens: TokenTap renews them before they expire (SkyVault with its refresh token,
  // ReadyCloud by a silent re-authorization), so the page keeps getting 200 without a click.
  const issuedBefore = { ReadyCloud: demo.readycloud.issued.length, SkyVault: demo.skyvault.issued.length };
  const seconds = 3.5 * Math.max(demo.readycloud.config.tokenLifetimeSeconds, demo.skyvault.config.accessTokenLifetimeSeconds);
  console.log(`     The playground now calls both APIs every 5 s for ${seconds} s, across several token expiries:`);
  const repeat = 'Call both APIs every 5 seconds';
  await playground.click(repeat, { role: 'checkbox' });
  // A show of a span of time, not a wait for a state: the tour runs this long on purpose.
  await new Promise((done) => setTimeout(done, seconds * 1000));
  await playground.click(repeat, { role: 'checkbox' });
  console.log(
    `     playground → ReadyCloud API: ${await tally('ReadyCloud')}; ${demo.readycloud.issued.length - issuedBefore.ReadyCloud} tokens renewed silently`,
  );
  console.log(
    `     playground → SkyVault API:   ${await tally('SkyVault')}; ${demo.skyvault.issued.length - issuedBefore.SkyVault} tokens renewed by refresh`,
  );
  await step('Playground after several token expiries, still answered 200', playground);
  await popup.bringToFront();
  await step('Popup after the renewals', popup);

  // Try it: the console page, with the account's header attached as the rules attach it.
  const console_ = await popup.clickForNewPage('Try it', { within: { role: 'listitem', name: 'SkyVault Account 1' } });
  await console_.fill('URL', `${demo.skyvault.origin}/api/sites`);
  await console_.click('Send');
  const answer = await waitForText(console_, ['status'], { role: 'region', name: 'Response' });
  console.log(`     console → GET ${demo.skyvault.origin}/api/sites: ${answer}`);
  await step('Console: Try it on SkyVault Account 1, its list of sites', console_);
  // SkyVault's list, 10 sites a page: Next page to its end, the position the console shows each time.
  const pages = { role: 'navigation', name: 'Pages' };
  const position = async () => (await console_.texts('status', pages))[0] ?? '';
  const atEnd = () =>
    console_.evaluate(
      () => [...document.querySelectorAll('nav button')].find((b) => b.textContent === 'Next page')?.hasAttribute('disabled') ?? true,
      undefined,
    );
  await console_.fill('URL', `${demo.skyvault.origin}/api/sites?maxItems=10`);
  await console_.click('Send');
  await waitUntil('the first page of sites', async () => (await position()).startsWith('items 1–'));
  console.log(`     console → GET ${await console_.value('URL')}: ${await position()}`);
  while (!(await atEnd())) {
    const before = await position();
    await console_.click('Next page', { within: { role: 'region', name: 'Response' } });
    await waitUntil('the next page of sites', async () => (await position()) !== before);
    console.log(`     console → Next page, GET ${await console_.value('URL')}: ${await position()}`);
  }
  await step("Console: SkyVault's list paged through with Next page to its end", console_);

  // Tab identity: a second SkyVault account used on a second playground tab only, beside the first tab's.
  const second = await popup.clickForNewPage(`Connect ${DEMO_PROVIDER_NAMES.skyvault}`);
  await signInToSkyVault(second);
  const secondAccount = `${DEMO_PROVIDER_NAMES.skyvault} Account 2`;
  await waitUntil('a second SkyVault account', hasAccount(secondAccount));
  // An address of its own: the toolbar click below names its tab by address.
  const secondTab = await driver.openPage(`${demo.playground.origin}/?tab=2`);
  // The popup is about the active tab, as when opened from the toolbar there.
  await secondTab.bringToFront();
  await popup.reload();
  await popup.click('Use on this tab only', { within: { role: 'listitem', name: secondAccount } });
  console.log(`     ${await waitForText(popup, ['status', 'alert'])}`);
  await step('Popup on the second playground tab: SkyVault Account 2 used on this tab only', popup);
  const tokens = (await driver.storage()).accounts as { label: string; accessToken: string }[];
  for (const [tab, page] of [
    ['first tab ', playground],
    ['second tab', secondTab],
  ] as const) {
    const apiCalls = () => demo.skyvault.requests.filter((r) => r.path.startsWith('/api/'));
    const before = apiCalls().length;
    await page.click('Call SkyVault API');
    await waitUntil(`the ${tab.trim()}'s call`, () => Promise.resolve(apiCalls().length > before));
    const calls = apiCalls();
    const sent = calls[calls.length - 1]?.headers.authorization ?? '';
    const label = tokens.find((account) => sent === `Bearer ${account.accessToken}`)?.label ?? 'no account';
    // The end of the token only: enough to tell two apart, never the token itself.
    console.log(`     playground ${tab} → SkyVault API as SkyVault ${label} (token …${sent.slice(-4)})`);
  }
  await step('Second playground tab calling SkyVault as Account 2, the first tab still as Account 1', secondTab);

  // Was my token sent? The popup opened from the toolbar button on the second tab lists what got one there.
  await secondTab.bringToFront();
  await driver.clickToolbarButton?.(secondTab);
  await popup.reload();
  const sentList = { role: 'list', name: 'Sent from this tab' };
  await waitUntil("the popup's Sent from this tab", async () => (await popup.texts('listitem', sentList)).length > 0);
  console.log('     popup on the second tab, Sent from this tab:');
  for (const line of await popup.texts('listitem', sentList)) console.log(`       ${line}`);
  await popup.evaluate(() => {
    const heading = [...document.querySelectorAll('h2')].find((h) => h.textContent === 'Sent from this tab');
    heading?.scrollIntoView();
  }, undefined);
  await step('Popup on the second playground tab: Sent from this tab, the call sent as SkyVault Account 2', popup);
  console.log(`\nTour done. Screenshots are in ${dir}`);
}
