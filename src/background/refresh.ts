import { withRefreshedTokens } from '../accounts/account';
import { describeOAuthError, OAuthError } from '../oauth/errors';
import { refreshAccessToken } from '../oauth/token';
import { UserFacingError } from '../messages';
import { readState, updateState } from '../storage/store';

/** Flow 4, on demand: a new access token from the refresh token, stored in one write. */
export async function refresh(accountId: string): Promise<null> {
  const { accounts, providers } = await readState();
  const account = accounts.find((a) => a.id === accountId);
  const provider = providers.find((p) => p.id === account?.providerId);
  if (!account || !provider) throw new UserFacingError('That account is no longer connected.');
  if (!account.refreshToken) {
    throw new UserFacingError(`${provider.name} gave this account no refresh token. Connect it again for a new token.`);
  }
  try {
    const tokens = await refreshAccessToken(provider, account.refreshToken);
    return await updateState((state) => ({
      state: { ...state, accounts: state.accounts.map((a) => (a.id === accountId ? withRefreshedTokens(a, tokens, Date.now()) : a)) },
      result: null,
    }));
  } catch (error) {
    const message = describeOAuthError(error, provider.name);
    if (error instanceof OAuthError && error.code === 'invalid_grant') {
      await updateState((state) => ({
        state: {
          ...state,
          accounts: state.accounts.map((a) => (a.id === accountId ? { ...a, problem: { kind: 'needs reconnect' as const, message } } : a)),
        },
        result: null,
      }));
    }
    throw new UserFacingError(message);
  }
}
