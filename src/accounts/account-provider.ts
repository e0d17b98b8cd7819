// Which provider an account belongs to, and the name the account goes by with it: the one lookup
// the pages, the background, the rule compiler and the approvals share. Pure.
import type { Provider } from '../providers/model';
import type { Account } from './account';

/** The provider with id `providerId`; undefined when it is gone (removed, or never there). */
export function providerOf<P extends Pick<Provider, 'id'>>(providers: readonly P[], providerId: string | undefined): P | undefined {
  return providers.find((p) => p.id === providerId);
}

/** The account with id `accountId` and its provider; undefined when either is gone. */
export function accountWithProvider(
  state: { readonly accounts: readonly Account[]; readonly providers: readonly Provider[] },
  accountId: string,
): { account: Account; provider: Provider } | undefined {
  const account = state.accounts.find((a) => a.id === accountId);
  const provider = account && providerOf(state.providers, account.providerId);
  return account && provider ? { account, provider } : undefined;
}

/** "SkyVault Account 1": the provider's name (its id once it is gone) and the account's label. */
export function accountName(account: Pick<Account, 'providerId' | 'label'>, provider: Pick<Provider, 'name'> | undefined): string {
  return `${provider?.name ?? account.providerId} ${account.label}`;
}
