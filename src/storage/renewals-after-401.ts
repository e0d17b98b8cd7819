import { browser } from '../platform';

/**
 * Per account, the token whose 401 already triggered a renewal, by when it was obtained: one
 * renewal per token, so a provider that keeps refusing cannot make TokenTap loop. In
 * storage.session, so it outlives the service worker. This module owns the `unauthorized:` keys.
 */
const PREFIX = 'unauthorized:';

/** True, and remembered, the first time for this token of the account; false after that. */
export async function claimRenewalAfter401(accountId: string, obtainedAt: number): Promise<boolean> {
  const key = PREFIX + accountId;
  if ((await browser.storage.session.get(key))[key] === obtainedAt) return false;
  await browser.storage.session.set({ [key]: obtainedAt });
  return true;
}
