import { browser } from '../platform';
import { parseSiteOrigin, SiteOriginError } from '../inject/site-origin';
import { openNetworkHttpPatterns } from '../inject/site-scope';
import { UserFacingError } from '../messages';
import { updateState } from '../storage/store';

/**
 * Approves `originInput` for one account. Approving a site for an account replaces the approval
 * of that exact site for the provider's other accounts: one site uses one account per provider.
 */
export async function approveSite(accountId: string, originInput: string): Promise<{ origin: string; replaced: string[] }> {
  let origin: string;
  try {
    origin = parseSiteOrigin(originInput);
  } catch (error) {
    if (error instanceof SiteOriginError) throw new UserFacingError(`${error.message} Nothing was changed.`);
    throw error;
  }
  return updateState((state) => {
    const account = state.accounts.find((a) => a.id === accountId);
    if (!account) throw new UserFacingError('That account is no longer connected. Nothing was changed.');
    const siblings = new Set(state.accounts.filter((a) => a.providerId === account.providerId).map((a) => a.id));
    const replaced = state.approvals.filter((a) => a.origin === origin && siblings.has(a.accountId) && a.accountId !== accountId);
    const approvals = state.approvals.filter((a) => !(a.origin === origin && siblings.has(a.accountId)));
    approvals.push({ accountId, origin, approvedAt: Date.now() });
    return { state: { ...state, approvals }, result: { origin, replaced: replaced.map((a) => a.accountId) } };
  });
}

export async function removeSite(accountId: string, origin: string): Promise<null> {
  return updateState((state) => ({
    state: { ...state, approvals: state.approvals.filter((a) => !(a.accountId === accountId && a.origin === origin)) },
    result: null,
  }));
}

/**
 * Gives back host access to plain-http sites off this machine, which an earlier version asked for
 * when it approved them: such approvals get no rule now, and the access would let the token of an
 * approved https site reach its http twin (rules match sites by host). Leaves wildcards alone.
 */
export async function dropOpenNetworkHttpAccess(): Promise<void> {
  const { origins = [] } = await browser.permissions.getAll();
  const stale = openNetworkHttpPatterns(origins);
  if (stale.length > 0) await browser.permissions.remove({ origins: stale });
}
