import { browser, type Browser } from '../platform';
import { accountsAttachedTo, watchedApiPatterns } from '../approvals/in-force';
import { claimRenewalAfter401 } from '../storage/renewals-after-401';
import { readState, type StoredState } from '../storage/store';
import { readTabChoices } from '../storage/tab-choices';
import { renew } from './refresh';
import { noteApiResponse } from './sent-from-tab';

/**
 * The 401 trigger of renewal (README "Keeping tokens fresh"): a 401 from an account's API to a site
 * approved for it, or to a tab it is chosen for, renews the token. It needs the optional
 * `webRequest` permission, which TokenTap holds only while some site is approved or some account
 * is used on a tab: Chromium sends every request of the profile through an extra hop while an extension
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
 * Watches the API base URLs of the accounts approved for a site or used on a tab, and gives
 * `webRequest` back once there are none. After every storage write, every change of the tab
 * choices, and at start.
 */
export async function updateUnauthorizedWatch(state: StoredState): Promise<void> {
  const patterns = watchedApiPatterns({ ...state, tabChoices: await readTabChoices() });
  if (patterns.length > 0) {
    watch(patterns);
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
  if (details.statusCode === 401) void onUnauthorized(details.tabId, details.url, requestingOrigin(details));
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
 * A 401 from an account's API to a site approved for it, or to a tab it is chosen for, means its
 * token was refused: renew once. On a tab with a choice, that is the chosen account, whose token
 * the tab's rule attached; elsewhere the site's. Only once per token (keyed by when it was
 * obtained), so a provider that keeps refusing cannot make TokenTap loop.
 */
async function onUnauthorized(tabId: number, url: string, origin: string | undefined): Promise<void> {
  if (!origin) return;
  const [state, tabChoices] = await Promise.all([readState(), readTabChoices()]);
  for (const account of accountsAttachedTo({ ...state, tabChoices }, { tabId, origin, url })) {
    if (!(await claimRenewalAfter401(account.id, account.obtainedAt))) continue;
    await renew(account.id, 'unauthorized').catch(() => undefined);
  }
}
