import { browser, type Browser } from '../platform';
import type { ConsoleRequest } from '../console/exchange';

/**
 * The console's **History**: the last requests sent, newest first, in storage.session under
 * `consoleHistory`, so it lasts as long as the browser session and no longer. Never a token: the
 * header the account adds is not kept, and a token the user pasted is taken out. This module owns
 * the key.
 */
const HISTORY = 'consoleHistory';

/** How many requests History keeps. */
export const HISTORY_LENGTH = 20;

/** Where a token the user pasted into a kept request was. */
export const TOKEN_REMOVED = '[token removed]';

/** Shorter "tokens" would take ordinary text out of requests; no real token is this short. */
const MIN_TOKEN_LENGTH = 8;

/**
 * storage.session holds 10 MB for everything the extension keeps there, sign-ins in progress too:
 * History's 20 entries stay far below it. A larger body is left out; a larger entry is not kept.
 */
export const MAX_KEPT_BODY = 32 * 1024;
const MAX_KEPT_ENTRY = 64 * 1024;

/** A request as History keeps it, and when it was sent. */
export interface HistoryEntry extends ConsoleRequest {
  sentAt: number;
  /** The body was over MAX_KEPT_BODY characters, so `body` is empty. */
  bodyLeftOut?: true;
}

/**
 * What History keeps of `request`: every field as typed, except a header named as the account's
 * (`addedHeader`, any case; the account's header replaces it when sent, and it may hold a token),
 * a body over MAX_KEPT_BODY, and each of `tokens` (the account's, when the page holds them),
 * replaced by TOKEN_REMOVED wherever the user pasted it.
 */
export function historyEntry(
  request: ConsoleRequest,
  addedHeader: string | undefined,
  tokens: readonly string[],
  sentAt: number,
): HistoryEntry {
  const secrets = tokens.filter((token) => token.length >= MIN_TOKEN_LENGTH);
  const clean = (text: string) => secrets.reduce((kept, secret) => kept.replaceAll(secret, TOKEN_REMOVED), text);
  const dropped = addedHeader?.toLowerCase();
  return {
    accountId: request.accountId,
    method: request.method,
    url: clean(request.url),
    headers: request.headers.filter(([name]) => name.toLowerCase() !== dropped).map(([name, value]) => [clean(name), clean(value)]),
    body: request.body.length > MAX_KEPT_BODY ? '' : clean(request.body),
    sentAt,
    ...(request.body.length > MAX_KEPT_BODY && { bodyLeftOut: true as const }),
  };
}

/**
 * `history` with `entry` first; the same request sent before moves up rather than showing twice.
 * An entry over MAX_KEPT_ENTRY characters (a huge URL or header) leaves `history` as it was.
 */
export function withEntry(history: readonly HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  if (JSON.stringify(entry).length > MAX_KEPT_ENTRY) return [...history];
  const key = sameRequestKey(entry);
  return [entry, ...history.filter((kept) => sameRequestKey(kept) !== key)].slice(0, HISTORY_LENGTH);
}

function sameRequestKey({ accountId, method, url, headers, body }: ConsoleRequest): string {
  return JSON.stringify([accountId, method, url, headers, body]);
}

export async function readConsoleHistory(): Promise<HistoryEntry[]> {
  const stored = (await browser.storage.session.get(HISTORY))[HISTORY];
  return Array.isArray(stored) ? (stored as HistoryEntry[]) : [];
}

/** Keeps `entry` (made by historyEntry) at the top of History. */
export async function addToConsoleHistory(entry: HistoryEntry): Promise<void> {
  await browser.storage.session.set({ [HISTORY]: withEntry(await readConsoleHistory(), entry) });
}

/** Calls `listener` with History whenever it changes, from this console page or another. */
export function onConsoleHistoryChanged(listener: (history: HistoryEntry[]) => void): () => void {
  const handle = (changes: Record<string, Browser.Storage.StorageChange>, area: string) => {
    if (area === 'session' && HISTORY in changes) void readConsoleHistory().then(listener);
  };
  browser.storage.onChanged.addListener(handle);
  return () => browser.storage.onChanged.removeListener(handle);
}
