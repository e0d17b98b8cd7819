import { browser } from '../platform';
import { keptResponses, type ObservedResponse } from '../inject/sent-from-tab';

/**
 * Per tab, the API responses the 401 watch saw there lately (URL, method, status, time; never a
 * header), for Sent from this tab. In storage.session, so it outlives the service worker but not
 * the browser; bounded by time and count, and dropped when the tab closes. This module owns the
 * `sent:` keys.
 */
const PREFIX = 'sent:';

/** Appends `responses` to the tab's, keeping only the recent ones. */
export async function addSentResponses(tabId: number, responses: readonly ObservedResponse[], now: number): Promise<void> {
  const key = PREFIX + tabId;
  const kept = keptResponses([...(((await browser.storage.session.get(key))[key] as ObservedResponse[] | undefined) ?? []), ...responses], now);
  await browser.storage.session.set({ [key]: kept });
}

/** The tab's recent responses, oldest first. */
export async function readSentResponses(tabId: number, now: number): Promise<ObservedResponse[]> {
  const key = PREFIX + tabId;
  return keptResponses(((await browser.storage.session.get(key))[key] as ObservedResponse[] | undefined) ?? [], now);
}

export async function forgetSentResponses(tabId: number): Promise<void> {
  await browser.storage.session.remove(PREFIX + tabId);
}
