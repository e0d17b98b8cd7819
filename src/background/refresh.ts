import { browser } from '../platform';
import { hasTokens, retryDelayMs, withNewTokens, type Account } from '../accounts/account';
import { startAuthorization } from '../oauth/authorize';
import { describeOAuthError, OAuthError } from '../oauth/errors';
import { parseRedirect } from '../oauth/redirect';
import { exchangeCode, refreshAccessToken, type TokenSet } from '../oauth/token';
import { UserFacingError } from '../messages';
import { usesTabRedirect, type Provider } from '../providers/provider';
import { redirectUrlOf } from '../redirect-url';
import { readState, updateState } from '../storage/store';

/** Why a renewal runs; the popup's Refresh is the only one whose failure is shown as an alert. */
export type RenewTrigger = 'user' | 'schedule' | 'unauthorized';

const inFlight = new Map<string, Promise<void>>();

/**
 * Flow 4: a new access token for the account — from its refresh token, or, for accounts without
 * one (implicit grant), by a silent re-authorization. One renewal at a time per account:
 * concurrent triggers share the running one, so a refresh token is never spent twice.
 */
export function renew(accountId: string, trigger: RenewTrigger): Promise<void> {
  let running = inFlight.get(accountId);
  if (!running) {
    running = renewOnce(accountId, trigger).finally(() => inFlight.delete(accountId));
    inFlight.set(accountId, running);
  }
  return running;
}

async function renewOnce(accountId: string, trigger: RenewTrigger): Promise<void> {
  const { accounts, providers } = await readState();
  const account = accounts.find((a) => a.id === accountId);
  const provider = providers.find((p) => p.id === account?.providerId);
  if (!account || !provider) {
    if (trigger === 'user') throw new UserFacingError('That account is no longer connected.');
    return;
  }
  // Its tokens were dropped when its provider moved: only Reconnect, by the user, signs in at the new address.
  if (!hasTokens(account)) {
    if (trigger === 'user') throw new UserFacingError(account.problem?.message ?? 'Press Reconnect to sign in again.');
    return;
  }
  try {
    const tokens = account.refreshToken
      ? await refreshAccessToken(provider, account.refreshToken)
      : await silentReauthorization(provider);
    await updateAccount(accountId, (a) => withNewTokens(a, provider, tokens, Date.now()));
  } catch (error) {
    const failure = classify(error, provider, account, trigger);
    await updateAccount(accountId, (a) => {
      const { retry: _, ...rest } = a;
      switch (failure.kind) {
        case 'retry': {
          const attempt = (a.retry?.attempt ?? 0) + 1;
          return { ...rest, retry: { attempt, nextAt: Date.now() + retryDelayMs(attempt), message: failure.message } };
        }
        case 'needs sign-in':
          return { ...rest, needsSignIn: { message: failure.message } };
        default:
          return { ...rest, problem: { kind: failure.kind, message: failure.message } };
      }
    });
    if (trigger === 'user') throw new UserFacingError(failure.message);
  }
}

type Failure = { kind: 'retry' | 'needs sign-in' | 'needs reconnect' | 'error'; message: string };

/**
 * Passing failures are retried with backoff; a token the provider will not renew silently keeps
 * working until it expires (unless the API already refused it); a dead grant needs the user; the
 * rest is an error.
 */
function classify(error: unknown, provider: Provider, account: Account, trigger: RenewTrigger): Failure {
  const message = describeOAuthError(error, provider.name);
  if (error instanceof SignInRequired) {
    return trigger === 'unauthorized'
      ? { kind: 'needs reconnect', message: `${provider.name} refused the token and needs you to sign in again. Press Reconnect.` }
      : { kind: 'needs sign-in', message: `${provider.name} needs you to sign in again for a new token. Press Reconnect before this one expires.` };
  }
  if (error instanceof UserFacingError) return { kind: 'needs reconnect', message: error.message };
  if (!(error instanceof OAuthError)) return { kind: 'error', message };
  if (error.code === 'network' || (error.code === 'token_endpoint_error' && (error.status ?? 0) >= 500)) {
    return { kind: 'retry', message };
  }
  if (error.code === 'invalid_grant' || !account.refreshToken) return { kind: 'needs reconnect', message };
  return { kind: 'error', message };
}

/** Changes one stored account; a no-op when it was disconnected meanwhile (never resurrects it). */
function updateAccount(accountId: string, change: (account: Account) => Account): Promise<void> {
  return updateState((state) => ({
    state: { ...state, accounts: state.accounts.map((a) => (a.id === accountId ? change(a) : a)) },
    result: undefined,
  }));
}

/** No new token without the user: the provider showed its page to the silent re-authorization. */
class SignInRequired extends UserFacingError {}

/**
 * Flow 4 for accounts without a refresh token: the authorize URL again, without a window
 * (`interactive: false`). It succeeds when the provider remembers the consent and redirects at
 * once; otherwise the account needs the user to reconnect.
 */
async function silentReauthorization(provider: Provider): Promise<TokenSet> {
  const reconnect = new SignInRequired();
  if (usesTabRedirect(provider)) throw reconnect;
  const { url, pending } = await startAuthorization(provider, redirectUrlOf(provider));
  let redirectUrl: string | undefined;
  try {
    redirectUrl = await browser.identity.launchWebAuthFlow({ url, interactive: false });
  } catch {
    throw reconnect;
  }
  if (!redirectUrl) throw reconnect;
  const response = parseRedirect(redirectUrl, provider, pending);
  if (response.kind === 'code') return exchangeCode(provider, response.code, pending);
  const { kind: _, ...tokens } = response;
  return tokens;
}
