// The background's writes to the stored state: one at a time, migrated first, secrets sealed.
import { browser } from '../platform';
import { CURRENT_SCHEMA_VERSION, migrateState, storedSchemaVersion } from './migrations';
import { readOpened, type StoredRecord, type StoredState } from './read-state';
import { aesGcmCipher, holdsPlaintextSecrets, sealState, type UnreadableSecrets } from './secrets';

export { onStateChanged, readState, type StoredState } from './read-state';

let queue: Promise<unknown> = Promise.resolve();
let afterWrite: (state: StoredState) => Promise<void> = () => Promise.resolve();

/** The background applies what follows from the state (network rules) before a write resolves. */
export function setAfterWrite(apply: (state: StoredState) => Promise<void>): void {
  afterWrite = apply;
}

/** One stored-state change at a time, in the background's one queue. */
function enqueue<T>(task: () => Promise<T>): Promise<T> {
  const run = queue.then(task);
  queue = run.catch(() => undefined);
  return run;
}

/**
 * Runs `task` in the same queue, after the writes before it: for the changes the rules follow that
 * live in storage.session (tab choices), so two rule syncs never overlap.
 */
export const inWriteQueue: <T>(task: () => Promise<T>) => Promise<T> = enqueue;

/** Seals the state's secrets and writes it with the current layout version, then applies it. */
async function write(state: StoredState, key: CryptoKey): Promise<void> {
  await browser.storage.local.set({ ...(await sealState(state, aesGcmCipher(key))), schemaVersion: CURRENT_SCHEMA_VERSION });
  await afterWrite(state);
}

/** Brings a state written by an older version up to date before anything changes it (migrations.ts). */
function migrated(state: StoredState, stored: StoredRecord): StoredState {
  return migrateState(state, storedSchemaVersion(stored), { redirectUrlFor: (id) => browser.identity.getRedirectURL(id) });
}

/**
 * Read-modify-write of the stored state, one at a time. Only the background calls this, so it
 * is the single writer. `change` returns the new state and a result, or throws to change nothing.
 */
export function updateState<T>(change: (state: StoredState) => { state: StoredState; result: T }): Promise<T> {
  return enqueue(async () => {
    const { state: current, stored, key } = await readOpened({ createKey: true });
    const { state, result } = change(migrated(current, stored));
    await write(state, key);
    return result;
  });
}

/**
 * At update and at every background start (so a missed onInstalled cannot leave it behind):
 * migrates a state an older version wrote, seals plaintext secrets, and keeps the repair of
 * secrets that no longer decrypt. Writes only when one of those is needed; says what was lost.
 */
export function upgradeStoredState(): Promise<UnreadableSecrets | undefined> {
  return enqueue(async () => {
    const { state, stored, key, unreadable } = await readOpened({ createKey: true });
    const lost = unreadable.accounts.length + unreadable.providers.length > 0;
    const outdated = storedSchemaVersion(stored) < CURRENT_SCHEMA_VERSION || holdsPlaintextSecrets(stored);
    if (!lost && !outdated) return undefined;
    await write(migrated(state, stored), key);
    return lost ? unreadable : undefined;
  });
}
