// The account the console sends as, and its provider (README "Console"): either may be gone since
// the page opened, and the form and Send say so rather than fail.
import type { Account } from '../accounts/account';
import { providerOf } from '../accounts/account-provider';
import type { Provider } from '../providers/model';
import type { StoredState } from '../storage/read-state';

/** The account with this id in `state`, and its provider; each undefined when gone. */
export function accountOf(state: StoredState | undefined, accountId: string): { account: Account | undefined; provider: Provider | undefined } {
  const account = state?.accounts.find((a) => a.id === accountId);
  return { account, provider: state && account && providerOf(state.providers, account.providerId) };
}
