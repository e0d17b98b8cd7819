import { browser, type Browser } from '../platform';
import { UserFacingError, type SentFromTab } from '../messages';
import {
  isApiUrl,
  linesFromApprovals,
  linesFromMatches,
  SENT_WINDOW_MS,
  whyNothingSent,
  type ObservedResponse,
  type RuleMatch,
  type SentLine,
} from '../inject/sent-from-tab';
import { addSentResponses, forgetTab, moveTab, readMatchedRules, readSentResponses, saveMatchedRules } from '../storage/sent-responses';
import { readState } from '../storage/store';
import { readTabChoices } from '../storage/tab-choices';
import { compileSessionRules } from './rules-sync';

/** Where the engine's record is kept (Chromium); Firefox 153 has no getMatchedRules. */
type MatchedRulesApi = {
  getMatchedRules?: (filter: { tabId: number; minTimeStamp: number }) => Promise<chrome.declarativeNetRequest.RulesMatchedDetails>;
};

const NEEDS_TOOLBAR =
  'Open TokenTap from its toolbar button on this tab to see what it sent: the browser shows an extension which of its rules matched a tab only after a click on the extension there.';
const QUOTA =
  'The browser lets TokenTap read what it sent 20 times in 10 minutes without a click; open the popup again from the toolbar button, or in a few minutes.';

/** Written at most once a second (and when the popup asks): a page's API calls cost one storage write a second, not one each. */
const FLUSH_DELAY_MS = 1000;
const pending = new Map<number, ObservedResponse[]>();
let flushTimer: ReturnType<typeof setTimeout> | undefined;
let flushing: Promise<void> = Promise.resolve();
let apiUrlCheck: Promise<(url: string) => boolean> | undefined;

/** Call once, synchronously, at worker start: a closed tab's record goes with it; a replaced tab's follows its new id. */
export function registerSentFromTabListeners(): void {
  browser.tabs.onRemoved.addListener((tabId) => void forgetTab(tabId));
  // What is pending for the old id is written first, so it moves too.
  browser.tabs.onReplaced.addListener((addedTabId, removedTabId) => void flushNow().then(() => moveTab(removedTabId, addedTabId)));
  // Providers changed: which URLs are API URLs is read again at the next response.
  browser.storage.onChanged.addListener((_changes, area) => {
    if (area === 'local') apiUrlCheck = undefined;
  });
}

/** The 401 watch's one call for every completed request: a tab's API responses are kept. */
export function noteApiResponse(details: Browser.WebRequest.OnCompletedDetailsType, origin: string | undefined): void {
  if (details.tabId < 0) return;
  const response: ObservedResponse = {
    url: details.url,
    method: details.method,
    statusCode: details.statusCode,
    at: details.timeStamp,
    ...(origin && { origin }),
  };
  void (async () => {
    apiUrlCheck ??= readState().then(
      (state) => (url: string) => isApiUrl(state.providers, url),
      () => {
        apiUrlCheck = undefined; // unreadable now (an upgrade running): try again at the next response
        return () => false;
      },
    );
    if (!(await apiUrlCheck)(response.url)) return;
    pending.set(details.tabId, [...(pending.get(details.tabId) ?? []), response]);
    flushTimer ??= setTimeout(() => void flushNow(), FLUSH_DELAY_MS);
  })().catch(() => undefined);
}

/** Writes what is pending, after any write under way. */
function flushNow(): Promise<void> {
  clearTimeout(flushTimer);
  flushTimer = undefined;
  flushing = flushing.then(async () => {
    const batch = [...pending];
    pending.clear();
    try {
      for (const [tabId, responses] of batch) await addSentResponses(tabId, responses, Date.now());
    } catch {
      // The list is a view: a write that fails (storage full) loses lines, nothing else.
    }
  });
  return flushing;
}

/** The Sent from this tab answer for the tab `tabIdText` (its id as text). */
export async function sentFromTab(tabIdText: string): Promise<SentFromTab> {
  if (!/^\d{1,10}$/.test(tabIdText)) throw new UserFacingError('A tab id is a whole number. Nothing was read.');
  const tabId = Number(tabIdText);
  const tab = await browser.tabs.get(tabId).catch(() => undefined);
  if (!tab) throw new UserFacingError('That tab is closed: there is nothing to show for it.');
  await flushNow();
  const now = Date.now();
  const [state, responses] = await Promise.all([readState(), readSentResponses(tabId, now)]);
  const api = browser.declarativeNetRequest as unknown as MatchedRulesApi;
  let lines: SentLine[];
  if (api.getMatchedRules) {
    const matches = await matchedRules(api.getMatchedRules, tabId, responses, now);
    if (typeof matches === 'string') return { lines: [], empty: matches };
    // The rule sync's own compile, so rule ids name the accounts they were installed for.
    lines = linesFromMatches(state, await compileSessionRules(state), matches, responses);
  } else {
    lines = linesFromApprovals({ ...state, tabChoices: await readTabChoices() }, tabId, responses);
  }
  if (lines.length > 0) return { lines };
  return { lines, empty: whyNothingSent(state, originOf(tab.url), now) };
}

/**
 * The tab's matched session rules: read again only when a response came since the last read (every
 * match is a request the watch sees complete), as the browser allows 20 reads in 10 minutes. Or
 * why they cannot be read.
 */
async function matchedRules(
  getMatchedRules: NonNullable<MatchedRulesApi['getMatchedRules']>,
  tabId: number,
  responses: readonly ObservedResponse[],
  now: number,
): Promise<RuleMatch[] | string> {
  const last = await readMatchedRules(tabId, now);
  if (last && !responses.some((response) => response.at >= last.readAt)) return last.matches;
  try {
    const { rulesMatchedInfo } = await getMatchedRules({ tabId, minTimeStamp: now - SENT_WINDOW_MS });
    const matches = rulesMatchedInfo
      .filter((info) => info.rule.rulesetId === '_session')
      .map((info) => ({ ruleId: info.rule.ruleId, at: info.timeStamp }));
    await saveMatchedRules(tabId, { readAt: now, matches });
    return matches;
  } catch (error) {
    return /quota|MAX_GETMATCHEDRULES/i.test((error as Error)?.message ?? '') ? QUOTA : NEEDS_TOOLBAR;
  }
}

function originOf(url: string | undefined): string | undefined {
  try {
    const parsed = new URL(url ?? '');
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.origin : undefined;
  } catch {
    return undefined;
  }
}
