import { browser } from '../platform';
import type { Account } from '../accounts/account';
import type { Approval } from '../approvals/approval';
import type { Provider } from '../providers/provider';

/** Everything TokenTap keeps across browser restarts: the one source of truth. */
export interface StoredState {
  providers: Provider[];
  accounts: Account[];
  approvals: Approval[];
}

const EMPTY: StoredState = { providers: [], accounts: [], approvals: [] };
const KEYS = Object.keys(EMPTY) as (keyof StoredState)[];

export async function readState(): Promise<StoredState> {
  const stored = (await browser.storage.local.get(KEYS)) as Partial<StoredState>;
  return { ...EMPTY, ...stored };
}

let queue: Promise<unknown> = Promise.resolve();
let afterWrite: (state: StoredState) => Promise<void> = async () => undefined;

/** The background applies what follows from the state (network rules) before a write resolves. */
export function setAfterWrite(apply: (state: StoredState) => Promise<void>): void {
  afterWrite = apply;
}

/**
 * Read-modify-write of the stored state, one at a time. Only the background calls this, so it
 * is the single writer. `change` returns the new state and a result, or throws to change nothing.
 */
export function updateState<T>(change: (state: StoredState) => { state: StoredState; result: T }): Promise<T> {
  const run = queue.then(async () => {
    const { state, result } = change(await readState());
    await browser.storage.local.set({ ...state });
    await afterWrite(state);
    return result;
  });
  queue = run.catch(() => undefined);
  return run;
}

/** Calls `listener` with the new state whenever providers or accounts change. */
export function onStateChanged(listener: (state: StoredState) => void): () => void {
  const handle = (changes: Record<string, unknown>, area: string) => {
    if (area === 'local' && KEYS.some((key) => key in changes)) void readState().then(listener);
  };
  browser.storage.onChanged.addListener(handle);
  return () => browser.storage.onChanged.removeListener(handle);
}
