import { parseAccountLabel } from '../accounts/account-label';
import { UserFacingError } from '../messages';
import { updateState } from '../storage/store';
import { ACCOUNT_GONE } from './refusals';

/**
 * Rename in the popup: the account's label becomes `typed` (trimmed) in one storage write. A bad
 * label, or an account disconnected meanwhile, throws with the words to show and stores nothing.
 */
export async function renameAccount(accountId: string, typed: string): Promise<{ label: string }> {
  const parsed = parseAccountLabel(typed);
  if (!parsed.ok) throw new UserFacingError(parsed.error);
  const label = parsed.value;
  return updateState((state) => {
    if (!state.accounts.some((a) => a.id === accountId)) throw new UserFacingError(ACCOUNT_GONE);
    const accounts = state.accounts.map((a) => (a.id === accountId ? { ...a, label } : a));
    return { state: { ...state, accounts }, result: { label } };
  });
}
