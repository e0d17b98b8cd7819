import { providerOf } from '../accounts/account-provider';
import { withoutAccount } from '../approvals/approve';
import { revokeToken } from '../oauth/token';
import { updateState, type StoredState } from '../storage/store';
import type { Account } from '../accounts/account';

/**
 * Disconnect: forgets the account's tokens and approvals at once (so its rules go in the same write), then revokes them at the provider when it has a
 * revocation URL. Revocation is best effort: the account is gone whatever the provider answers.
 */
export async function disconnect(accountId: string): Promise<null> {
  const removed = await updateState((state) => {
    const account = state.accounts.find((a) => a.id === accountId);
    const next: StoredState = {
      ...state,
      accounts: state.accounts.filter((a) => a.id !== accountId),
      approvals: withoutAccount(state.approvals, accountId),
    };
    return { state: next, result: account && { account, provider: providerOf(state.providers, account.providerId) } };
  });
  // Not awaited: the account is gone already, so the popup does not wait on the provider; revokeAll never rejects.
  if (removed?.provider?.revocationUrl) void revokeAll(removed.provider, removed.account);
  return null;
}

/** Revokes the account's tokens at the provider, best effort: never rejects. */
export async function revokeAll(provider: Parameters<typeof revokeToken>[0], account: Account): Promise<void> {
  // Revoking the refresh token first also ends the access tokens issued from it (RFC 7009 2.1).
  const tokens: [string, 'refresh_token' | 'access_token'][] = [];
  if (account.refreshToken) tokens.push([account.refreshToken, 'refresh_token']);
  // Empty once dropped (an import moved the provider): there is nothing to revoke.
  if (account.accessToken) tokens.push([account.accessToken, 'access_token']);
  for (const [token, hint] of tokens) {
    await revokeToken(provider, token, hint).catch(() => undefined);
  }
}
