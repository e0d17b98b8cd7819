import { browser } from '../platform';
import type { PendingAuthorization } from '../oauth/authorize';

/**
 * Sign-ins in progress, in the auth window (`pending:`) and in a tab (`tabSignIn:`), kept in
 * storage.session: they must outlive the service worker, not the browser session. Only the
 * background reads and writes them; this module owns these keys.
 */
const PENDING_PREFIX = 'pending:';
const TAB_SIGN_IN_PREFIX = 'tabSignIn:';

/**
 * A sign-in in progress: the pending authorization, the account it reconnects, if any, and the
 * scopes of the access chosen at Connect, when the provider offered a choice (kept on the account).
 */
export type SignIn = PendingAuthorization & { accountId?: string; askedScopes?: string[] };

/** A sign-in running in a tab: `tabId` is absent only while its tab is being opened. */
export interface StoredTabSignIn {
  pending: SignIn;
  tabId?: number;
}

export async function savePending(pending: SignIn): Promise<void> {
  await browser.storage.session.set({ [PENDING_PREFIX + pending.state]: pending });
}

export async function forgetPending(...states: string[]): Promise<void> {
  await browser.storage.session.remove(states.map((state) => PENDING_PREFIX + state));
}

/** The sign-in as stored, or undefined once it was forgotten (finished, or cleaned up as stale). */
export async function readPending(state: string): Promise<PendingAuthorization | undefined> {
  const key = PENDING_PREFIX + state;
  return (await browser.storage.session.get(key))[key] as PendingAuthorization | undefined;
}

/** Every stored sign-in as [state, what is stored], unchecked: it may be stale or malformed. */
export async function readAllPending(): Promise<[string, unknown][]> {
  return Object.entries(await browser.storage.session.get(null))
    .filter(([key]) => key.startsWith(PENDING_PREFIX))
    .map(([key, value]) => [key.slice(PENDING_PREFIX.length), value]);
}

export async function saveTabSignIn(signIn: StoredTabSignIn): Promise<void> {
  await browser.storage.session.set({ [TAB_SIGN_IN_PREFIX + signIn.pending.state]: signIn });
}

/** Every sign-in running in a tab, as stored. */
export async function readTabSignIns(): Promise<StoredTabSignIn[]> {
  return Object.entries(await browser.storage.session.get(null))
    .filter(([key]) => key.startsWith(TAB_SIGN_IN_PREFIX))
    .map(([, value]) => value as StoredTabSignIn);
}

/** Removes the tab sign-in of `state`; false when none was stored (it ended already). */
export async function takeTabSignIn(state: string): Promise<boolean> {
  const key = TAB_SIGN_IN_PREFIX + state;
  if (!(key in (await browser.storage.session.get(key)))) return false;
  await browser.storage.session.remove(key);
  return true;
}
