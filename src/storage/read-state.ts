// Reading the stored state, decrypted: what the extension's pages and the background share. The
// background's writes (store.ts) add migrations and sealing, which the pages never load.
import { browser } from '../platform';
import type { StoredState } from './state';
import { loadSecretKey } from './secret-key';
import { aesGcmCipher, openState } from './secrets';

export type { StoredState } from './state';

export const STATE_KEYS: readonly (keyof StoredState)[] = ['providers', 'accounts', 'approvals'];
/** The stored layout's version sits beside the state (see migrations.ts). */
const STORED_KEYS = [...STATE_KEYS, 'schemaVersion'];

export type StoredRecord = Partial<Record<keyof StoredState, unknown>> & { schemaVersion?: unknown };

/** The state with its secrets decrypted (secrets.ts); extension pages and the background read it. */
export async function readState(): Promise<StoredState> {
  return (await readOpened({ createKey: false })).state;
}

/** The stored record, its state opened, and the key (created only when the background asks). */
export async function readOpened(options: { createKey: boolean }) {
  const stored = (await browser.storage.local.get(STORED_KEYS)) as StoredRecord;
  const key = await loadSecretKey({ create: options.createKey });
  const opened = await openState(stored, key && aesGcmCipher(key));
  return { ...opened, stored, key: key! };
}

/** Calls `listener` with the new state whenever providers or accounts change. */
export function onStateChanged(listener: (state: StoredState) => void): () => void {
  const handle = (changes: Record<string, unknown>, area: string) => {
    // A storage listener returns nothing: the listener gets the state once it is read.
    if (area === 'local' && STATE_KEYS.some((key) => key in changes)) void readState().then(listener);
  };
  browser.storage.onChanged.addListener(handle);
  return () => browser.storage.onChanged.removeListener(handle);
}
