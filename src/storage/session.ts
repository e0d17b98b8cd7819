import { browser, type Browser } from '../platform';
import type { PendingAuthorization } from '../oauth/authorize';

/**
 * State that must outlive the service worker but not the browser session: sign-ins in progress
 * and the last error to show when the popup opens again (it closes when the sign-in window opens).
 */
const PENDING_PREFIX = 'pending:';
const LAST_ERROR = 'lastError';

export async function savePending(pending: PendingAuthorization): Promise<void> {
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

export interface LastError {
  message: string;
  at: number;
}

export async function setLastError(message: string | null): Promise<void> {
  if (message === null) await browser.storage.session.remove(LAST_ERROR);
  else await browser.storage.session.set({ [LAST_ERROR]: { message, at: Date.now() } satisfies LastError });
}

export async function readLastError(): Promise<LastError | undefined> {
  const stored = await browser.storage.session.get(LAST_ERROR);
  return stored[LAST_ERROR] as LastError | undefined;
}

export function onLastErrorChanged(listener: (error: LastError | undefined) => void): () => void {
  const handle = (changes: Record<string, Browser.Storage.StorageChange>, area: string) => {
    if (area === 'session' && LAST_ERROR in changes) listener(changes[LAST_ERROR]?.newValue as LastError | undefined);
  };
  browser.storage.onChanged.addListener(handle);
  return () => browser.storage.onChanged.removeListener(handle);
}
