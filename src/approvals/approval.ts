// Approved sites (README "Approved sites"): which approvals exist and which one is in force. Pure,
// so the background's writes and the rule compiler share one set of rules.
import type { Account } from '../accounts/account';
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
 * The approvals once `accountId` is approved for `origin` (already normalized), or undefined when
 * the account is unknown. It replaces the approval of that exact site for the provider's other
 * accounts (`replaced`: their ids): one site uses one account per provider.
 */
export function approve(
  accounts: readonly Account[],
  approvals: readonly Approval[],
  accountId: string,
  origin: string,
  now: number,
): { approvals: Approval[]; replaced: string[] } | undefined {
  const account = accounts.find((a) => a.id === accountId);
  if (!account) return undefined;
  const siblings = new Set(accounts.filter((a) => a.providerId === account.providerId).map((a) => a.id));
  const replaced = approvals.filter((a) => a.origin === origin && siblings.has(a.accountId) && a.accountId !== accountId);
  const kept = approvals.filter((a) => !(a.origin === origin && siblings.has(a.accountId)));
  return { approvals: [...kept, { accountId, origin, approvedAt: now }], replaced: replaced.map((a) => a.accountId) };
}

/** The approvals without the one of `accountId` for `origin`. */
export function withoutApproval(approvals: readonly Approval[], accountId: string, origin: string): Approval[] {
  return approvals.filter((a) => !(a.accountId === accountId && a.origin === origin));
}

/** The approvals without any of `accountId`'s: a disconnected account keeps no site. */
export function withoutAccount(approvals: readonly Approval[], accountId: string): Approval[] {
  return approvals.filter((a) => a.accountId !== accountId);
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

/**
 * The accounts whose token a request from the site `origin` to `url` carries, as the approvals say:
 * approved for that site, without a problem, and `url` under one of their provider's API base URLs.
 */
export function accountsApprovedFor(
  state: { providers: readonly Provider[]; accounts: readonly Account[]; approvals: readonly Approval[] },
  origin: string,
  url: string,
): Account[] {
  return state.approvals.flatMap((approval) => {
    if (approval.origin !== origin) return [];
    const account = state.accounts.find((a) => a.id === approval.accountId);
    const provider = state.providers.find((p) => p.id === account?.providerId);
    if (!account || account.problem || !provider?.apiBaseUrls.some((base) => url.startsWith(base))) return [];
    return [account];
  });
}
