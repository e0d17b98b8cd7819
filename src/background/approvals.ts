import { browser } from '../platform';
import { approve, withoutApproval } from '../approvals/approve';
import { parseSiteOrigin, SiteOriginError } from '../inject/site-origin';
import { openNetworkHttpPatterns } from '../inject/site-scope';
import { UserFacingError } from '../messages';
import { updateState } from '../storage/store';
import { ACCOUNT_GONE } from './refusals';

/** Approves `originInput` for one account, replacing that site's approval for the provider's other accounts. */
export async function approveSite(accountId: string, originInput: string): Promise<{ origin: string; replaced: string[] }> {
  const origin = siteOriginFrom(originInput);
  return updateState((state) => {
    const approved = approve(state.accounts, state.approvals, accountId, origin, Date.now());
    if (!approved) throw new UserFacingError(ACCOUNT_GONE);
    return { state: { ...state, approvals: approved.approvals }, result: { origin, replaced: approved.replaced } };
  });
}

/** The site origin a page sent, normalized, or a UserFacingError saying why it cannot have a token. */
export function siteOriginFrom(originInput: string): string {
  try {
    return parseSiteOrigin(originInput);
  } catch (error) {
    if (error instanceof SiteOriginError) throw new UserFacingError(`${error.message} Nothing was changed.`);
    throw error;
  }
}

export async function removeSite(accountId: string, origin: string): Promise<null> {
  return updateState((state) => ({
    state: { ...state, approvals: withoutApproval(state.approvals, accountId, origin) },
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
