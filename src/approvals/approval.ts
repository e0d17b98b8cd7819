// Approved sites (README "Approved sites"): what an approval is, which one is in force where they
// compete, and whom a request concerns. Pure; the rule compiler, the pages and the background share it.
import type { Account } from '../accounts/account';
import { accountWithProvider } from '../accounts/account-provider';
import type { Provider } from '../providers/model';

/** A page origin the user allowed to have one account's token attached to its API calls. */
export interface Approval {
  accountId: string;
  /** Normalized origin: scheme://host[:port], no trailing slash. */
  origin: string;
  /** Epoch ms; when two approvals compete for one site, the later one wins. */
  approvedAt: number;
}

/**
 * True when approval `a` takes a site over from `b` where both compete (same host, same API base
 * URL: browsers tell neither ports nor schemes apart): the later approval wins; a tie goes to the
 * greater account id, then origin, in code-unit order, so storage order never decides.
 */
export function winsOver(a: Approval, b: Approval): boolean {
  if (a.approvedAt !== b.approvedAt) return a.approvedAt > b.approvedAt;
  if (a.accountId !== b.accountId) return a.accountId > b.accountId;
  return a.origin > b.origin;
}

export type ApprovalState = { providers: readonly Provider[]; accounts: readonly Account[]; approvals: readonly Approval[] };

/**
 * The accounts whose token a request from the site `origin` to `url` carries, as the approvals say:
 * approved for that site, without a problem, and `url` under one of their provider's API base URLs.
 */
export function accountsApprovedFor(state: ApprovalState, origin: string, url: string): Account[] {
  return state.approvals.flatMap((approval) => {
    if (approval.origin !== origin) return [];
    const approved = accountWithProvider(state, approval.accountId);
    if (!approved || approved.account.problem || !approved.provider.apiBaseUrls.some((base) => url.startsWith(base))) return [];
    return [approved.account];
  });
}
