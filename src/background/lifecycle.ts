import { browser, type Browser } from '../platform';
import { needsAttention, renewAt } from '../accounts/account';
import { readState, type StoredState } from '../storage/store';
import { renew } from './refresh';

/**
 * Keeps tokens fresh without the user: one alarm per account at its renewal time (alarms outlive
 * the worker, timers do not), a periodic tick that keeps the badge true as tokens expire, and a
 * watch for 401 answers to approved sites' API calls.
 */
const RENEW = 'renew:';
const TICK = 'tick';

/** Makes the alarms match the stored accounts, and the badge their statuses. After every write. */
export async function scheduleRenewals(state: StoredState): Promise<void> {
  const wanted = new Map<string, number>();
  for (const account of state.accounts) {
    const at = renewAt(account);
    if (at !== undefined) wanted.set(RENEW + account.id, at);
  }
  const existing = await browser.alarms.getAll();
  for (const alarm of existing) {
    if (alarm.name.startsWith(RENEW) && !wanted.has(alarm.name)) await browser.alarms.clear(alarm.name);
  }
  for (const [name, when] of wanted) {
    const current = existing.find((a) => a.name === name);
    if (current?.scheduledTime !== when) browser.alarms.create(name, { when });
  }
  if (state.accounts.length === 0) await browser.alarms.clear(TICK);
  else if (!existing.some((a) => a.name === TICK)) browser.alarms.create(TICK, { periodInMinutes: 1 });
  await showAttention(state);
}

/** The toolbar badge counts accounts that need the user: expired, needs reconnect, error. */
async function showAttention(state: StoredState): Promise<void> {
  const now = Date.now();
  const count = state.accounts.filter((a) => needsAttention(a, now)).length;
  await browser.action.setBadgeText({ text: count > 0 ? String(count) : '' });
  await browser.action.setBadgeBackgroundColor({ color: '#b42318' });
  await browser.action.setTitle({ title: count > 0 ? `TokenTap — ${count} account${count === 1 ? ' needs' : 's need'} attention` : 'TokenTap' });
}

/** Registered synchronously at worker start, so an alarm or a 401 wakes the worker. */
export function registerLifecycleListeners(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name.startsWith(RENEW)) void renew(alarm.name.slice(RENEW.length), 'schedule').catch(() => undefined);
    else if (alarm.name === TICK) void readState().then(showAttention);
  });
  browser.webRequest.onCompleted.addListener(
    (details) => {
      if (details.statusCode === 401) void onUnauthorized(details.url, requestingOrigin(details));
    },
    { urls: ['http://*/*', 'https://*/*'] },
  );
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
  const state = await readState();
  for (const approval of state.approvals.filter((a) => a.origin === origin)) {
    const account = state.accounts.find((a) => a.id === approval.accountId);
    const provider = state.providers.find((p) => p.id === account?.providerId);
    if (!account || account.problem || !provider?.apiBaseUrls.some((base) => url.startsWith(base))) continue;
    const key = `unauthorized:${account.id}`;
    const seen = (await browser.storage.session.get(key))[key];
    if (seen === account.obtainedAt) continue;
    await browser.storage.session.set({ [key]: account.obtainedAt });
    await renew(account.id, 'unauthorized').catch(() => undefined);
  }
}
