import { browser, type Browser } from '../platform';

/**
 * The last error, to show when the popup opens again (it closes when the sign-in window opens):
 * in storage.session, so it outlives the service worker, not the browser session. This module
 * owns the `lastError` key.
 */
const LAST_ERROR = 'lastError';

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
