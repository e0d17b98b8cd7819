import { browser } from '../platform';
import { needsAttention, renewAt } from '../accounts/account';
import { readState, type StoredState } from '../storage/store';
import { renew } from './refresh';

/**
 * Keeps tokens fresh without the user: one alarm per account at its renewal time (alarms outlive
 * the worker, timers do not), and a periodic tick that keeps the badge true as tokens expire.
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
    if (current?.scheduledTime !== when) await browser.alarms.create(name, { when });
  }
  if (state.accounts.length === 0) await browser.alarms.clear(TICK);
  else if (!existing.some((a) => a.name === TICK)) await browser.alarms.create(TICK, { periodInMinutes: 1 });
  await showAttention(state);
}

/** The toolbar badge counts accounts that need the user: expired, needs reconnect, error. */
async function showAttention(state: StoredState): Promise<void> {
  const now = Date.now();
  const count = state.accounts.filter((a) => needsAttention(a, now)).length;
  await browser.action.setBadgeText({ text: count > 0 ? String(count) : '' });
  await browser.action.setBadgeBackgroundColor({ color: '#b42318' });
  await browser.action.setTitle({
    title: count > 0 ? `TokenTap — ${count} account${count === 1 ? ' needs' : 's need'} attention` : 'TokenTap',
  });
}

/** Registered synchronously at worker start, so an alarm wakes the worker. */
export function registerLifecycleListeners(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    // A listener returns nothing: the renewal and the badge update run on their own.
    if (alarm.name.startsWith(RENEW)) void renew(alarm.name.slice(RENEW.length), 'schedule').catch(() => undefined);
    else if (alarm.name === TICK) void readState().then(showAttention);
  });
}
