// What the demo providers saw, for the scenario files that check where secrets went.
import { SKYVAULT_CLIENT_SECRET, type Demo, type RecordedRequest } from '../../demo/index';
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
/** What a demo API saw of a `fetch` from `page` to `url` (marked, so it is told apart from every other call), and the status the page got. */
export async function apiCallFrom(
  api: { requests: readonly RecordedRequest[] },
  page: DrivenPage,
  url: string,
): Promise<{ status: number; authorization: string | undefined }> {
  const target = new URL(url);
  target.searchParams.set('m', `call-${process.pid}-${++marker}`);
  const status = await page.evaluate((u) => fetch(u, { cache: 'no-store' }).then((r) => r.status), target.href);
  return { status, authorization: api.requests.find((r) => r.query.m === target.searchParams.get('m'))?.headers.authorization };
}

/** The Authorization header SkyVault's API received for a `fetch` from `page`. */
export async function skyVaultAuthorizationFrom(demo: Demo, page: DrivenPage): Promise<string | undefined> {
  return (await apiCallFrom(demo.skyvault, page, `${demo.skyvault.origin}/api/sites`)).authorization;
}
