import { browser } from '../platform';
import { keptResponses, SENT_WINDOW_MS, type ObservedResponse, type RuleMatch } from '../inject/sent-from-tab';

/**
 * Per tab, for Sent from this tab: the API responses the 401 watch saw there lately (URL, method,
 * status, time; never a header), and the engine's matched rules as last read (the browser limits
 * how often they may be read). In storage.session, so it outlives the service worker but not the
 * browser; bounded by time and count, and dropped when the tab closes. This module owns the
 * `sent:` and `matched:` keys.
 */
const RESPONSES = 'sent:';
const MATCHES = 'matched:';

/** The matched rules of a tab as read at `readAt`. */
export interface MatchedRulesRead {
  readAt: number;
  matches: RuleMatch[];
}

/** Appends `responses` to the tab's, keeping only the recent ones. */
export async function addSentResponses(tabId: number, responses: readonly ObservedResponse[], now: number): Promise<void> {
  const kept = keptResponses([...(await readSentResponses(tabId, now)), ...responses], now);
  await browser.storage.session.set({ [RESPONSES + tabId]: kept });
}

/** The tab's recent responses, oldest first. */
export async function readSentResponses(tabId: number, now: number): Promise<ObservedResponse[]> {
  const key = RESPONSES + tabId;
  return keptResponses(((await browser.storage.session.get(key))[key] as ObservedResponse[] | undefined) ?? [], now);
}

export async function saveMatchedRules(tabId: number, read: MatchedRulesRead): Promise<void> {
  await browser.storage.session.set({ [MATCHES + tabId]: read });
}

/** The tab's matched rules as last read, those still in the window. */
export async function readMatchedRules(tabId: number, now: number): Promise<MatchedRulesRead | undefined> {
  const key = MATCHES + tabId;
  const read = (await browser.storage.session.get(key))[key] as MatchedRulesRead | undefined;
  return read && { readAt: read.readAt, matches: read.matches.filter((match) => now - match.at <= SENT_WINDOW_MS) };
}

/**
 * Tab `fromTabId` became `toTabId` (the browser replaced its contents): its responses go with it;
 * the matched rules read for the old id are dropped, the engine keeps none under the new one.
 */
export async function moveTab(fromTabId: number, toTabId: number): Promise<void> {
  const key = RESPONSES + fromTabId;
  const responses = (await browser.storage.session.get(key))[key] as ObservedResponse[] | undefined;
  if (responses) await browser.storage.session.set({ [RESPONSES + toTabId]: responses });
  await forgetTab(fromTabId);
}

export async function forgetTab(tabId: number): Promise<void> {
  await browser.storage.session.remove([RESPONSES + tabId, MATCHES + tabId]);
}
