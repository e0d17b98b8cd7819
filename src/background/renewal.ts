// What a renewal decides (README "Keeping tokens fresh"): whether it can run, what its failure
// means for the account, and that one runs at a time per account. Pure; refresh.ts does the
// storage, the token requests and the auth window.
import { hasTokens, holdsPastedToken, PASTED_TOKEN_NOTE, retryDelayMs, type Account } from '../accounts/account';
import { accountWithProvider } from '../accounts/account-provider';
import { describeOAuthError, OAuthError } from '../oauth/errors';
import { UserFacingError } from '../messages';
import type { Provider } from '../providers/model';
import type { StoredState } from '../storage/state';

/** Why a renewal runs; the popup's Refresh is the only one whose failure is shown as an alert. */
export type RenewTrigger = 'user' | 'schedule' | 'unauthorized';

/** No new token without the user: the provider showed its page to the silent re-authorization. */
export class SignInRequired extends UserFacingError {}

/** The account to renew with its provider, or why it cannot be renewed now (the words the user sees). */
export type RenewalTarget = { kind: 'renewable'; account: Account; provider: Provider } | { kind: 'blocked'; message: string };

/**
 * Blocked when the account is gone, or its tokens were dropped when its provider moved: only
 * Reconnect, by the user, signs in at the new address. A pasted token has nothing to renew it
 * with, so schedule, 401 and Refresh all leave it as it is.
 */
export function renewalTarget(state: Pick<StoredState, 'accounts' | 'providers'>, accountId: string): RenewalTarget {
  const found = accountWithProvider(state, accountId);
  if (!found) return { kind: 'blocked', message: 'That account is no longer connected.' };
  const { account, provider } = found;
  if (!hasTokens(account)) return { kind: 'blocked', message: account.problem?.message ?? 'Press Reconnect to sign in again.' };
  if (holdsPastedToken(account)) return { kind: 'blocked', message: PASTED_TOKEN_NOTE };
  return { kind: 'renewable', account, provider };
}

/**
 * How a renewal gets the new token: with the account's refresh token; by asking again with the
 * client's own credentials (that grant has no refresh token to use, RFC 6749 4.4.3); or, for a
 * sign-in flow without one, by a silent re-authorization.
 */
export type RenewalMethod = { kind: 'refresh'; refreshToken: string } | { kind: 'ask again' } | { kind: 'silent sign-in' };

export function renewalMethod(provider: Pick<Provider, 'flow'>, account: Pick<Account, 'refreshToken'>): RenewalMethod {
  if (provider.flow === 'client_credentials') return { kind: 'ask again' };
  if (account.refreshToken) return { kind: 'refresh', refreshToken: account.refreshToken };
  return { kind: 'silent sign-in' };
}

/** What a failed renewal means for the account, with the words the user sees. */
export type RenewalFailure = { kind: 'retry' | 'needs sign-in' | 'needs reconnect' | 'error'; message: string };

/**
 * Passing failures (network, 5xx) are retried with backoff; a token the provider will not renew
 * silently keeps working until it expires (unless the API already refused it); a dead grant, or
 * any refusal of a silent re-authorization, needs the user; the rest is an error.
 */
export function classifyRenewalFailure(error: unknown, provider: Provider, account: Account, trigger: RenewTrigger): RenewalFailure {
  const message = describeOAuthError(error, provider.name);
  if (error instanceof SignInRequired) {
    return trigger === 'unauthorized'
      ? { kind: 'needs reconnect', message: `${provider.name} refused the token and needs you to sign in again. Press Reconnect.` }
      : {
          kind: 'needs sign-in',
          message: `${provider.name} needs you to sign in again for a new token. Press Reconnect before this one expires.`,
        };
  }
  if (error instanceof UserFacingError) return { kind: 'needs reconnect', message: error.message };
  if (!(error instanceof OAuthError)) return { kind: 'error', message };
  if (error.code === 'network' || (error.code === 'token_endpoint_error' && (error.status ?? 0) >= 500)) {
    return { kind: 'retry', message };
  }
  if (error.code === 'invalid_grant' || !account.refreshToken) return { kind: 'needs reconnect', message };
  return { kind: 'error', message };
}

/** The account after a failed renewal: the next retry (backoff by attempt), a sign-in needed, or a problem. */
export function withRenewalFailure(account: Account, failure: RenewalFailure, now: number): Account {
  const { retry: _, ...rest } = account;
  switch (failure.kind) {
    case 'retry': {
      const attempt = (account.retry?.attempt ?? 0) + 1;
      return { ...rest, retry: { attempt, nextAt: now + retryDelayMs(attempt), message: failure.message } };
    }
    case 'needs sign-in':
      return { ...rest, needsSignIn: { message: failure.message } };
    default:
      return { ...rest, problem: { kind: failure.kind, message: failure.message } };
  }
}

/**
 * One run per key at a time: a call while one runs for its key shares that run's promise, so two
 * triggers never spend one refresh token twice; once it settles, the next call starts a new run.
 */
export function singleFlight<Key>(): (key: Key, run: () => Promise<void>) => Promise<void> {
  const running = new Map<Key, Promise<void>>();
  return (key, run) => {
    let current = running.get(key);
    if (!current) {
      current = run().finally(() => running.delete(key));
      running.set(key, current);
    }
    return current;
  };
}
