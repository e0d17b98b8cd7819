import { createAccount, withIdentityLabel, withNewTokens } from '../accounts/account';
import { describeOAuthError } from '../oauth/errors';
import { tokensFromRedirect, type TokenSet } from '../oauth/token';
import { identityFromUserinfo } from '../oauth/userinfo';
import { UserFacingError } from '../messages';
import type { Provider, SignInProvider } from '../providers/model';
import type { SignIn } from '../storage/sign-ins';
import { updateState } from '../storage/store';
import { isExpired, SIGN_IN_EXPIRED } from './pending-sign-ins';

/**
 * The end of every sign-in, however the answer came back (auth window or redirect page): checks
 * the redirect against the pending authorization, exchanges a code when there is one, and stores
 * the new account. Any failure throws a UserFacingError and leaves storage as it was. An answer
 * that comes too late (SIGN_IN_MAX_AGE_MS) is ignored without being read.
 */
export async function finishSignIn(provider: SignInProvider, redirectUrl: string, pending: SignIn): Promise<{ accountId: string }> {
  if (isExpired(pending, Date.now())) throw new UserFacingError(SIGN_IN_EXPIRED);
  try {
    const tokens = await tokensFromRedirect(provider, redirectUrl, pending);
    return await storeConnectedAccount(provider, tokens, pending);
  } catch (error) {
    throw asUserFacing(error, provider.name);
  }
}

/**
 * Stores the tokens of a Connect in one write: a new account (with the access it chose,
 * `askedScopes`), or for Reconnect (`accountId`) the same account (label, approved sites) with the
 * new tokens. When the token response names nobody, the provider's userinfo endpoint may (its
 * failure only leaves the label "Account N"). Throws a UserFacingError, storing nothing, when the
 * account or the provider went away meanwhile.
 */
export async function storeConnectedAccount(
  provider: Provider,
  answer: TokenSet,
  { accountId, askedScopes }: Pick<SignIn, 'accountId' | 'askedScopes'>,
): Promise<{ accountId: string }> {
  const identity = answer.identity ?? (await identityFromUserinfo(provider, answer.accessToken));
  const tokens = { ...answer, ...(identity !== undefined && { identity }) };
  if (accountId !== undefined) {
    // Reconnect: the same account (approved sites, and a label the user chose) gets the new tokens.
    return updateState((state) => {
      const account = state.accounts.find((a) => a.id === accountId);
      if (account === undefined) {
        throw new UserFacingError('That account was disconnected while you signed in. Nothing was changed.');
      }
      const renewed = withIdentityLabel(withNewTokens(account, provider, tokens, Date.now()), identity, state.accounts);
      const accounts = state.accounts.map((a) => (a.id === accountId ? renewed : a));
      return { state: { ...state, accounts }, result: { accountId } };
    });
  }
  const id = crypto.randomUUID();
  return updateState((state) => {
    // Remove {provider} while its sign-in ran: an account without its provider would be stranded.
    if (!state.providers.some((p) => p.id === provider.id)) {
      throw new UserFacingError(`${provider.name} was removed while you signed in. Nothing was changed.`);
    }
    return {
      state: { ...state, accounts: [...state.accounts, createAccount(provider, tokens, state.accounts, Date.now(), id, askedScopes)] },
      result: { accountId: id },
    };
  });
}

/** A connect failure in words for the user: OAuth errors described, anything else kept generic. */
export function asUserFacing(error: unknown, providerName: string): UserFacingError {
  return error instanceof UserFacingError ? error : new UserFacingError(describeOAuthError(error, providerName));
}
