// What the demo providers saw, for the scenario files that check where secrets went.
import { SKYVAULT_CLIENT_SECRET, type Demo } from '../../demo/index';
import type { DrivenPage } from '../../drive/driver';

/** Every secret the extension was given: the tokens the demo providers issued, and SkyVault's client secret. */
export const secretsGiven = (demo: Demo): string[] => [
  ...demo.skyvault.issued.flatMap((t) => [t.access_token, t.refresh_token]),
  ...demo.readycloud.issued.map((t) => t.accessToken),
  SKYVAULT_CLIENT_SECRET,
];

/** The secrets of `secretsGiven` that `text` holds. */
export const secretsIn = (demo: Demo, text: string): string[] => secretsGiven(demo).filter((secret) => text.includes(secret));

let marker = 0;
/** The Authorization header SkyVault's API received for a `fetch` from `page` (marked, so it is told apart from every other call). */
export async function skyVaultAuthorizationFrom(demo: Demo, page: DrivenPage): Promise<string | undefined> {
  const target = new URL(`${demo.skyvault.origin}/api/sites`);
  target.searchParams.set('m', `call-${process.pid}-${++marker}`);
  await page.evaluate((u) => fetch(u, { cache: 'no-store' }).then(() => undefined), target.href);
  return demo.skyvault.requests.find((r) => r.query.m === target.searchParams.get('m'))?.headers.authorization;
}
