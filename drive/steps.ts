// The steps a person takes, in any browser, shared by the scenario files.
import type { Driver, DrivenPage } from './driver';

export async function importProviders(driver: Driver, providerJson: unknown): Promise<string> {
  const options = await driver.openOptions();
  await options.fill('Provider JSON', JSON.stringify(providerJson, null, 2));
  await options.click('Import');
  const text = await waitForText(options, ['status', 'alert']);
  await options.close();
  return text;
}

export async function approveSite(driver: Driver, accountName: string, origin: string): Promise<string> {
  const options = await driver.openOptions();
  const section = { role: 'region', name: accountName };
  await options.fill('Site origin', origin, section);
  await options.click('Approve', { within: section });
  const text = await waitForText(options, ['status', 'alert'], section);
  await options.close();
  return text;
}

export async function signInToSkyVault(signIn: DrivenPage): Promise<void> {
  await signIn.fill('User ID', 'fred.bloggs');
  await signIn.fill('Password', 'skyvault');
  await signIn.click('Sign in and allow');
}

/** The first text found among elements of these roles, waiting for one (also outside a test, in hooks). */
export async function waitForText(page: DrivenPage, roles: string[], within?: { role: string; name: string }): Promise<string> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    for (const role of roles) {
      const [text] = await page.texts(role, within);
      if (text !== undefined) return text;
    }
    if (Date.now() > deadline) throw new Error(`no ${roles.join(' or ')} text on ${await page.url()}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}

/** Waits until `check` holds (also outside a test, in hooks, where expect.poll is refused). */
export async function waitUntil(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 15_000;
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 100));
  }
}
