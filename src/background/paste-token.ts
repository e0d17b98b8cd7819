import { createPastedAccount } from '../accounts/account';
import { providerOf } from '../accounts/account-provider';
import { parsePastedToken } from '../accounts/pasted-token';
import { UserFacingError } from '../messages';
import { updateState } from '../storage/store';
import { PROVIDER_GONE } from './refusals';

/**
 * Add account on the options page: a new account of the provider holding the pasted token, in one
 * storage write (its rules follow the write, as for any new account). A bad token or expiry, or a
 * provider removed meanwhile, throws with the words to show and stores nothing.
 */
export async function addPastedToken(
  providerId: string,
  accessToken: string,
  expiresIn: string,
): Promise<{ accountId: string; label: string }> {
  const parsed = parsePastedToken(accessToken, expiresIn);
  if (!parsed.ok) throw new UserFacingError(parsed.error);
  const id = crypto.randomUUID();
  return updateState((state) => {
    const provider = providerOf(state.providers, providerId);
    if (!provider) throw new UserFacingError(PROVIDER_GONE);
    const account = createPastedAccount(provider, parsed.value, state.accounts, Date.now(), id);
    return { state: { ...state, accounts: [...state.accounts, account] }, result: { accountId: id, label: account.label } };
  });
}
