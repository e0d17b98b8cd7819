import { browser } from '../platform';
import { scopesToAsk, withNewTokens, type Account } from '../accounts/account';
import { startAuthorization } from '../oauth/authorize';
import { refreshAccessToken, tokensFromRedirect, type TokenSet } from '../oauth/token';
import { UserFacingError } from '../messages';
import { usesTabRedirect, type Provider } from '../providers/model';
import { redirectUrlOf } from '../redirect-url';
import { readState, updateState } from '../storage/store';
import { classifyRenewalFailure, renewalTarget, SignInRequired, singleFlight, withRenewalFailure, type RenewTrigger } from './renewal';

const oneRenewalPerAccount = singleFlight<string>();

/**
 * A new access token for the account — from its refresh token, or, for accounts without one
 * (implicit grant), by a silent re-authorization. One renewal at a time per account: concurrent
 * triggers share the running one, so a refresh token is never spent twice.
 */
export function renew(accountId: string, trigger: RenewTrigger): Promise<void> {
  return oneRenewalPerAccount(accountId, () => renewOnce(accountId, trigger));
}

async function renewOnce(accountId: string, trigger: RenewTrigger): Promise<void> {
  const target = renewalTarget(await readState(), accountId);
  if (target.kind === 'blocked') {
    if (trigger === 'user') throw new UserFacingError(target.message);
    return;
  }
  const { account, provider } = target;
  try {
    const tokens = account.refreshToken
      ? await refreshAccessToken(provider, account.refreshToken)
      : await silentReauthorization({ ...provider, scopes: scopesToAsk(account, provider) });
    await updateAccount(accountId, (a) => withNewTokens(a, provider, tokens, Date.now()));
  } catch (error) {
    const failure = classifyRenewalFailure(error, provider, account, trigger);
    await updateAccount(accountId, (a) => withRenewalFailure(a, failure, Date.now()));
    if (trigger === 'user') throw new UserFacingError(failure.message);
  }
}

/** Changes one stored account; a no-op when it was disconnected meanwhile (never resurrects it). */
function updateAccount(accountId: string, change: (account: Account) => Account): Promise<void> {
  return updateState((state) => ({
    state: { ...state, accounts: state.accounts.map((a) => (a.id === accountId ? change(a) : a)) },
    result: undefined,
  }));
}

/**
 * Renewal for accounts without a refresh token: the authorize URL again (for the account's access), without a window
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
  return tokensFromRedirect(provider, redirectUrl, pending);
}
