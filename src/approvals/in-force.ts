// Whose token a request carries (README "Keeping tokens fresh", Tab identity): a tab's choice ahead
// of the site's approvals, as the rule compiler ranks them. Pure; the 401 watch and Sent from this
// tab share it.
import type { Account } from '../accounts/account';
import { accountWithProvider } from '../accounts/account-provider';
import { accountsApprovedFor, type ApprovalState } from './approval';
import { rankTabChoiceRules, type TabChoice } from './tab-choice';

type InForceState = ApprovalState & { tabChoices: readonly TabChoice[] };

/** A request as the browser reports it once it is done. */
export interface SentRequest {
  /** The browser's tab id; -1 for a request of no tab. */
  tabId: number;
  /** The requesting page's origin. */
  origin: string;
  url: string;
}

/**
 * The accounts whose token the rules attached to `request`: the account chosen for its tab, when a
 * choice there covers it (same site host, `url` under the account's API base URLs), else the
 * accounts approved for its site. A tab's rules sit above every site rule, so the choice wins.
 */
export function accountsAttachedTo(state: InForceState, request: SentRequest): Account[] {
  const chosen = accountChosenFor(state, request);
  return chosen ? [chosen] : accountsApprovedFor(state, request.origin, request.url);
}

/**
 * Among the tab's choices that cover the request, the account whose rule wins (rankTabChoiceRules).
 * Undefined when none does.
 */
function accountChosenFor(state: InForceState, { tabId, origin, url }: SentRequest): Account | undefined {
  const host = hostOf(origin);
  if (host === undefined) return undefined;
  const covering = state.tabChoices.flatMap((choice) => {
    // Rules match the requesting site by host only (initiatorDomains), as for approvals.
    if (choice.tabId !== tabId || hostOf(choice.origin) !== host) return [];
    const found = accountWithProvider(state, choice.accountId);
    // An account with a problem has no rule: the site's approvals hold the tab.
    if (!found || found.account.problem) return [];
    const bases = found.provider.apiBaseUrls.filter((base) => url.startsWith(base));
    return bases.map((baseUrl) => ({ choice, baseUrl, account: found.account }));
  });
  return covering.sort(rankTabChoiceRules)[0]?.account;
}

/**
 * Where a token TokenTap attaches can be refused: the API base URLs of the accounts approved for a
 * site or chosen for a tab, as URL match patterns, sorted and without repeats. Every port, as match
 * patterns cannot name one. None: nothing to watch.
 */
export function watchedApiPatterns(state: InForceState): string[] {
  const accountIds = [...state.approvals.map((approval) => approval.accountId), ...state.tabChoices.map((choice) => choice.accountId)];
  const patterns = accountIds.flatMap((accountId) =>
    (accountWithProvider(state, accountId)?.provider.apiBaseUrls ?? []).map((base) => {
      const url = new URL(base);
      return `${url.protocol}//${url.hostname}${url.pathname}*`;
    }),
  );
  return [...new Set(patterns)].sort();
}

function hostOf(origin: string): string | undefined {
  try {
    return new URL(origin).hostname;
  } catch {
    return undefined;
  }
}
