// What the popup's "Sent from this tab" lists (README "Sent from this tab"): the rule engine's record
// of a tab's matched rules, joined with the API responses the 401 watch saw there. Pure.
import { accountStatus, type Account } from '../accounts/account';
import { accountName, providerOf } from '../accounts/account-provider';
import type { Approval } from '../approvals/approval';
import { accountsAttachedTo } from '../approvals/in-force';
import type { TabChoice } from '../approvals/tab-choice';
import type { Provider } from '../providers/model';
import type { CompiledRules } from './rules';

/** How far back the list looks: Chromium keeps matched rules of a closed document for 5 minutes. */
export const SENT_WINDOW_MS = 5 * 60_000;

/** At most this many responses are kept per tab. */
export const SENT_PER_TAB = 50;

/** One API response seen in a tab (never a header, so never a token). */
export interface ObservedResponse {
  url: string;
  /** Upper case, as the browser reports it. */
  method: string;
  statusCode: number;
  /** When the response completed, ms since the epoch. */
  at: number;
  /** The requesting page's origin, when the browser says. */
  origin?: string;
}

/** One entry of the engine's record (`declarativeNetRequest.getMatchedRules`): a session rule that matched. */
export interface RuleMatch {
  ruleId: number;
  at: number;
}

/** A request that got a token, as the popup lists it. */
export interface SentLine {
  accountId: string;
  /** "{provider name} {account label}", as the account list names it. */
  account: string;
  /** Absent when the engine recorded the match but no response came back yet. */
  method?: string;
  /** The request's URL, or the API base URL its rule covers when no response came back yet. */
  url: string;
  at: number;
  statusCode?: number;
}

interface SentState {
  providers: readonly Provider[];
  accounts: readonly Account[];
  approvals: readonly Approval[];
}

/** True when `url` is under an API base URL of some provider: the responses worth keeping. */
export function isApiUrl(providers: readonly Provider[], url: string): boolean {
  return providers.some((provider) => provider.apiBaseUrls.some((base) => url.startsWith(base)));
}

/** `responses` kept within the window and the per-tab bound, oldest first. */
export function keptResponses(responses: readonly ObservedResponse[], now: number): ObservedResponse[] {
  return responses.filter((response) => now - response.at <= SENT_WINDOW_MS).slice(-SENT_PER_TAB);
}

/**
 * Lines from the engine's record (Chromium): each matched header rule names its account and API base
 * URL (the compiled rule set, by rule id); the earliest response under that base URL completed since
 * the match gives the method, URL and status. Newest first.
 */
export function linesFromMatches(
  state: SentState,
  compiled: Pick<CompiledRules, 'rules' | 'ruleAccounts'>,
  matches: readonly RuleMatch[],
  responses: readonly ObservedResponse[],
): SentLine[] {
  const ruleIndex = new Map(compiled.rules.map((rule, index) => [rule.id, index]));
  const claimed = new Set<ObservedResponse>();
  const lines: SentLine[] = [];
  for (const match of [...matches].sort((a, b) => a.at - b.at)) {
    const index = ruleIndex.get(match.ruleId);
    const accountId = index === undefined ? null : compiled.ruleAccounts[index];
    const account = state.accounts.find((a) => a.id === accountId);
    if (index === undefined || !account) continue;
    // Header rules' urlFilter is '|' and the base URL: a prefix match.
    const base = compiled.rules[index]!.condition.urlFilter.slice(1);
    const response = responses.find((r) => !claimed.has(r) && r.at >= match.at && r.url.startsWith(base));
    if (response) claimed.add(response);
    lines.push({
      accountId: account.id,
      account: nameOf(state, account),
      url: response?.url ?? base,
      at: match.at,
      ...(response && { method: response.method, statusCode: response.statusCode }),
    });
  }
  return lines.reverse();
}

/**
 * Lines from the approvals and tab choices (Firefox, which keeps no record of matched rules): each
 * response of tab `tabId` to an API base URL of the account chosen for that tab, else of an account
 * approved for its requesting origin. Newest first.
 */
export function linesFromApprovals(
  state: SentState & { tabChoices: readonly TabChoice[] },
  tabId: number,
  responses: readonly ObservedResponse[],
): SentLine[] {
  const lines = responses.flatMap((response) =>
    response.origin === undefined
      ? []
      : accountsAttachedTo(state, { tabId, origin: response.origin, url: response.url }).map((account) => ({
          accountId: account.id,
          account: nameOf(state, account),
          method: response.method,
          url: response.url,
          at: response.at,
          statusCode: response.statusCode,
        })),
  );
  return lines.reverse();
}

/** Why nothing from the tab showing `origin` got a token, when it can tell. */
export function whyNothingSent(state: SentState, origin: string | undefined, now: number): string {
  if (origin === undefined) return 'This tab shows no web page TokenTap may reach, so nothing it sends gets a token.';
  const approved = state.approvals
    .filter((approval) => approval.origin === origin)
    .flatMap((approval) => state.accounts.filter((account) => account.id === approval.accountId));
  if (approved.length === 0) {
    return `${origin} is not approved for any account, so its requests get no token. Use on this site approves it for an account.`;
  }
  const expired = approved.filter((account) => ['expired', 'needs reconnect', 'error'].includes(accountStatus(account, now)));
  if (expired.length > 0) {
    return `${expired.map((account) => nameOf(state, account)).join(', ')}: the account is ${accountStatus(expired[0]!, now)}, so the API refuses its token. Refresh or Reconnect it.`;
  }
  const bases = approved.flatMap((account) => providerOf(state.providers, account.providerId)?.apiBaseUrls ?? []);
  return `Nothing this tab sent in the last ${SENT_WINDOW_MS / 60_000} minutes went to the API base URLs of the accounts approved for ${origin} (${[...new Set(bases)].join(', ')}); requests to other URLs get no token.`;
}

function nameOf(state: SentState, account: Account): string {
  return accountName(account, providerOf(state.providers, account.providerId));
}
