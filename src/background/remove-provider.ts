import { providerOf } from '../accounts/account-provider';
import { withoutAccount } from '../approvals/approve';
import { UserFacingError } from '../messages';
import { updateState } from '../storage/store';
import { revokeAll } from './disconnect';

/**
 * Remove {provider}: drops the provider, its accounts and their approvals in one write (so their
 * rules go with it), then revokes each account's tokens as Disconnect does, best effort.
 */
export async function removeProvider(providerId: string): Promise<null> {
  const removed = await updateState((state) => {
    const provider = providerOf(state.providers, providerId);
    if (provider === undefined) throw new UserFacingError('This provider is no longer there. Nothing was changed.');
    const accounts = state.accounts.filter((a) => a.providerId === providerId);
    const approvals = accounts.reduce((kept, account) => withoutAccount(kept, account.id), state.approvals);
    return {
      state: {
        ...state,
        providers: state.providers.filter((p) => p.id !== providerId),
        accounts: state.accounts.filter((a) => a.providerId !== providerId),
        approvals,
      },
      result: { provider, accounts },
    };
  });
  // Not awaited: everything is gone already, so the page does not wait on the provider; revokeAll never rejects.
  if (removed.provider.revocationUrl) for (const account of removed.accounts) void revokeAll(removed.provider, account);
  return null;
}
