// `npm start`: build, start the demo providers, load their provider JSON into the extension, and
// open Chromium with the popup and the playground. Without a display it runs headless and tours
// the main job by itself, printing each step and saving screenshots.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { launchExtension, type ExtensionBrowser } from '../drive/chromium';
import { accountItems, allowReadyCloud, approveSite, importProviders, openSignIn, signInToSkyVault } from '../demo/drive';
import { demoRedirectUris, startDemo } from '../demo/index';

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

const browser = await launchExtension({ headless });
const redirectUris = demoRedirectUris(browser.redirectUrl);
const demo = await startDemo({
  redirectUris,
  ports: { readycloud: port('READYCLOUD_PORT', 8710), skyvault: port('SKYVAULT_PORT', 8720), playground: port('PLAYGROUND_PORT', 8730) },
  // ReadyCloud remembers Allow, so TokenTap can renew its implicit tokens without a window.
  readycloud: { rememberConsent: true, ...(readyCloudSeconds && { tokenLifetimeSeconds: readyCloudSeconds }) },
  skyvault: { ...(skyVaultSeconds && { accessTokenLifetimeSeconds: skyVaultSeconds }) },
});
console.log(`ReadyCloud-like provider  ${demo.readycloud.origin}  (implicit grant)`);
console.log(`SkyVault-like provider    ${demo.skyvault.origin}  (authorization code; user fred.bloggs / password skyvault)`);
console.log(`Token lifetimes           ReadyCloud ${demo.readycloud.config.tokenLifetimeSeconds} s, SkyVault ${demo.skyvault.config.accessTokenLifetimeSeconds} s`);
console.log(`Playground page           ${demo.playground.origin}`);
console.log(`Extension redirect URLs   ${Object.values(redirectUris).flat().join(', ')}`);
console.log(`Providers: ${await importProviders(browser, demo.providerJson)}`);

const popup = await browser.openPopup();
if (headless) await popup.setViewportSize({ width: 380, height: 560 });
const playground = await browser.context.newPage();
await playground.goto(demo.playground.origin);

if (headless) await tour(browser, popup, playground);
else {
  console.log('\nChromium is open with the popup and the playground. Connect an account in the popup, then, with');
  console.log('the playground tab active, open the TokenTap popup and press "Use on this site": the playground\'s');
  console.log('calls then carry the token. Close the browser or press Ctrl+C to stop.');
  await new Promise<void>((done) => {
    browser.context.on('close', () => done());
    process.on('SIGINT', () => done());
  });
}
await browser.close();
await demo.close();

async function tour(browser: ExtensionBrowser, popup: Page, playground: Page): Promise<void> {
  const dir = join(root, '.demo', `tour-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(dir, { recursive: true });
  let shot = 0;
  const step = async (text: string, page: Page) => {
    const file = join(dir, `${String(++shot).padStart(2, '0')}-${text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/-$/, '')}.png`);
    await page.screenshot({ path: file });
    console.log(`  ${shot}. ${text}  → ${file}`);
  };
  console.log('\nNo display: touring the main job headless.');
  await step('Popup with both providers imported', popup);

  const readyCloud = await openSignIn(browser, popup, 'ReadyCloud');
  await step('ReadyCloud consent page', readyCloud);
  await allowReadyCloud(readyCloud);
  await accountItems(popup).filter({ hasText: 'ReadyCloud' }).waitFor();
  await step('ReadyCloud account connected', popup);

  const skyVault = await openSignIn(browser, popup, 'SkyVault');
  await step('SkyVault login page', skyVault);
  await signInToSkyVault(skyVault);
  await accountItems(popup).filter({ hasText: 'SkyVault' }).waitFor();
  await step('SkyVault account connected (code exchanged with PKCE)', popup);

  for (const item of await accountItems(popup).all()) console.log(`     ${(await item.innerText()).replace(/\s+/g, ' ')}`);

  for (const account of ['ReadyCloud Account 1', 'SkyVault Account 1']) {
    console.log(`     ${account}: ${await approveSite(browser, account, demo.playground.origin)}`);
  }
  await playground.reload();
  for (const [name, id] of [['ReadyCloud', 'readycloud-result'], ['SkyVault', 'skyvault-result']] as const) {
    await playground.getByRole('button', { name: `Call ${name} API` }).click();
    const status = playground.locator(`#${id} .status`);
    await status.waitFor();
    console.log(`     playground → ${name} API: ${await status.textContent()}`);
  }
  await step('Playground calling both APIs, the token attached by TokenTap', playground);

  // Short-lived tokens: TokenTap renews them before they expire (SkyVault with its refresh token,
  // ReadyCloud by a silent re-authorization), so the page keeps getting 200 without a click.
  const issuedBefore = { ReadyCloud: demo.readycloud.issued.length, SkyVault: demo.skyvault.issued.length };
  const seconds = 3.5 * Math.max(demo.readycloud.config.tokenLifetimeSeconds, demo.skyvault.config.accessTokenLifetimeSeconds);
  console.log(`     The playground now calls both APIs every 5 s for ${seconds} s, across several token expiries:`);
  await playground.getByLabel('Call both APIs every 5 seconds').check();
  await new Promise((done) => setTimeout(done, seconds * 1000));
  await playground.getByLabel('Call both APIs every 5 seconds').uncheck();
  console.log(`     playground → ReadyCloud API: ${await playground.locator('#readycloud-tally').textContent()}; ${demo.readycloud.issued.length - issuedBefore.ReadyCloud} tokens renewed silently`);
  console.log(`     playground → SkyVault API:   ${await playground.locator('#skyvault-tally').textContent()}; ${demo.skyvault.issued.length - issuedBefore.SkyVault} tokens renewed by refresh`);
  await step('Playground after several token expiries, still answered 200', playground);
  await popup.bringToFront();
  await step('Popup after the renewals', popup);
  console.log(`\nTour done. Screenshots are in ${dir}`);
}
