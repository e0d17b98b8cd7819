import { browser, type Browser } from '../platform';
import { accountsApprovedFor, approvedApiPatterns } from '../approvals/approval';
import { claimRenewalAfter401 } from '../storage/renewals-after-401';
import { readState, type StoredState } from '../storage/store';
import { renew } from './refresh';
import { noteApiResponse } from './sent-from-tab';

/**
 * The 401 trigger of renewal (README "Keeping tokens fresh"): a 401 from an account's API to a site approved for it renews the token.
 * It needs the optional `webRequest` permission, which TokenTap holds only while some site is
 * approved: Chromium sends every request of the profile through an extra hop while an extension
 * may observe requests, and with nothing approved there is nothing to watch (see README, bench).
 */
const WEB_REQUEST: Browser.Permissions.Permissions = { permissions: ['webRequest'] };

/**
 * The URLs the watch observes. Every URL at worker start, since a 401 that wakes the worker reaches
 * only the listeners of its first turn; then the approved accounts' API base URLs alone, since
 * Chromium sends every request the observer's filter matches to the worker (see README, bench).
 */
let watched: string[] = ['http://*/*', 'https://*/*'];

/** Call once, synchronously, at worker start: a 401 then wakes the worker. */
export function registerUnauthorizedWatch(): void {
  listen();
  // Granted from an Approve click while this worker runs: the API appears now.
  browser.permissions.onAdded.addListener((added) => {
    if (added.permissions?.includes('webRequest')) listen();
  });
}

/**
 * Watches the API base URLs of the approved accounts, and gives `webRequest` back once nothing is
 * approved. After every storage write and at start.
 */
export async function followApprovals(state: StoredState): Promise<void> {
  if (state.approvals.length > 0) {
    watch(approvedApiPatterns(state));
    return;
  }
  if (await browser.permissions.contains(WEB_REQUEST)) await browser.permissions.remove(WEB_REQUEST);
}

function watch(patterns: string[]): void {
  if (patterns.join(' ') === watched.join(' ')) return;
  watched = patterns;
  webRequestCompleted()?.removeListener(onCompleted);
  listen();
}

function onCompleted(details: Browser.WebRequest.OnCompletedDetailsType): void {
  noteApiResponse(details, requestingOrigin(details));
  // A non-blocking listener: the request is done; the renewal runs on its own.
  if (details.statusCode === 401) void onUnauthorized(details.url, requestingOrigin(details));
}

function webRequestCompleted() {
  // The namespace exists only while the permission is held.
  return (browser as { webRequest?: typeof browser.webRequest }).webRequest?.onCompleted;
}

function listen(): void {
  const events = webRequestCompleted();
  // No patterns (approvals of accounts since removed): nothing to watch.
  if (events && watched.length > 0 && !events.hasListener(onCompleted)) events.addListener(onCompleted, { urls: watched });
}

function requestingOrigin(details: Browser.WebRequest.OnCompletedDetailsType): string | undefined {
  // Chrome says `initiator`; Firefox `originUrl`.
  const initiator = (details as { initiator?: string }).initiator ?? details.originUrl;
  try {
    return initiator ? new URL(initiator).origin : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A 401 from an account's API to a site approved for it means its token was refused: renew once.
 * Only once per token (keyed by when it was obtained), so a provider that keeps refusing cannot
 * make TokenTap loop.
 */
async function onUnauthorized(url: string, origin: string | undefined): Promise<void> {
  if (!origin) return;
  for (const account of accountsApprovedFor(await readState(), origin, url)) {
    if (!(await claimRenewalAfter401(account.id, account.obtainedAt))) continue;
    await renew(account.id, 'unauthorized').catch(() => undefined);
  }
}
