// The background's changes to the approved sites (README "Approved sites"). Pure: the caller writes
// what these return in one storage update.
import type { Account } from '../accounts/account';
import type { Approval } from './approval';

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
