import { createAccount, withNewTokens } from '../accounts/account';
import { describeOAuthError } from '../oauth/errors';
import { tokensFromRedirect } from '../oauth/token';
import { UserFacingError } from '../messages';
import type { Provider } from '../providers/model';
import type { SignIn } from '../storage/sign-ins';
import { updateState } from '../storage/store';
import { isExpired, SIGN_IN_EXPIRED } from './pending-sign-ins';

/**
 * The end of every sign-in, however the answer came back (auth window or redirect page): checks
 * the redirect against the pending authorization, exchanges a code when there is one, and stores
 * the new account. Any failure throws a UserFacingError and leaves storage as it was. An answer
 * that comes too late (SIGN_IN_MAX_AGE_MS) is ignored without being read.
 */
export async function finishSignIn(provider: Provider, redirectUrl: string, pending: SignIn): Promise<{ accountId: string }> {
  if (isExpired(pending, Date.now())) throw new UserFacingError(SIGN_IN_EXPIRED);
  try {
    const tokens = await tokensFromRedirect(provider, redirectUrl, pending);
    const { accountId } = pending;
    if (accountId !== undefined) {
      // Reconnect: the same account (label, approved sites) gets the new tokens.
      return await updateState((state) => {
        if (!state.accounts.some((a) => a.id === accountId)) {
          throw new UserFacingError('That account was disconnected while you signed in. Nothing was changed.');
        }
        const accounts = state.accounts.map((a) => (a.id === accountId ? withNewTokens(a, provider, tokens, Date.now()) : a));
        return { state: { ...state, accounts }, result: { accountId } };
      });
    }
    const id = crypto.randomUUID();
    return await updateState((state) => {
      // Remove {provider} while its sign-in ran: an account without its provider would be stranded.
      if (!state.providers.some((p) => p.id === provider.id)) {
        throw new UserFacingError(`${provider.name} was removed while you signed in. Nothing was changed.`);
      }
      return {
        state: {
          ...state,
          accounts: [...state.accounts, createAccount(provider, tokens, state.accounts, Date.now(), id, pending.askedScopes)],
        },
        result: { accountId: id },
      };
    });
  } catch (error) {
    throw asUserFacing(error, provider.name);
  }
}

/** A connect failure in words for the user: OAuth errors described, anything else kept generic. */
export function asUserFacing(error: unknown, providerName: string): UserFacingError {
  return error instanceof UserFacingError ? error : new UserFacingError(describeOAuthError(error, providerName));
}
