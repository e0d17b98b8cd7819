import { browser } from '../platform';
import { startAuthorization } from '../oauth/authorize';
import { OAuthError } from '../oauth/errors';
import { requestClientCredentialsToken } from '../oauth/token';
import { UserFacingError, type ConnectResult } from '../messages';
import { readState } from '../storage/store';
import { setLastError } from '../storage/session';
import { forgetPending, readAllPending, readPending, savePending, type SignIn } from '../storage/sign-ins';
import { providerOf } from '../accounts/account-provider';
import { scopesToAsk } from '../accounts/account';
import { signsIn, usesDeviceFlow, usesTabRedirect, type Provider } from '../providers/model';
import { scopesOfChoice } from '../providers/scope-options';
import { redirectUrlOf } from '../redirect-url';
import { startDeviceSignIn } from './device-flow';
import { asUserFacing, finishSignIn, storeConnectedAccount } from './finish-sign-in';
import { isExpired, SIGN_IN_CLOSED, SIGN_IN_EXPIRED, SIGN_IN_INTERRUPTED, sortStoredSignIns } from './pending-sign-ins';
import { ACCOUNT_GONE, PROVIDER_GONE } from './refusals';
import { connectInTab } from './tab-flow';

/**
 * The states of the sign-ins whose launchWebAuthFlow call is alive in this worker. A stored
 * sign-in missing here lost its answer: Chromium delivers it only to that call, which died with
 * the worker that made it (the window stays open, and still closes on the redirect).
 */
const running = new Set<string>();

/**
 * Connect (implicit or code flow): runs the provider's sign-in in the browser's auth window, reads the
 * redirect, exchanges a code when there is one, and stores the new account. Providers with a
 * fixed redirect page sign in through a tab instead (tab mode, tab-flow.ts); the windowless flows
 * open no window (connectWithoutWindow). Any failure throws a
 * UserFacingError and leaves storage as it was. `scopeOption` is the access chosen in the popup,
 * the index of one of the provider's scopeOptions as text (the first when absent).
 */
export async function connect(providerId: string, scopeOption?: string): Promise<ConnectResult> {
  const provider = providerOf((await readState()).providers, providerId);
  if (!provider) throw new UserFacingError(PROVIDER_GONE);
  const scopes = scopesOfChoice(provider, scopeOption);
  if (scopes === undefined) {
    throw new UserFacingError(
      provider.scopeOptions === undefined
        ? `${provider.name} offers no choice of access. Nothing was changed.`
        : `That access is not one ${provider.name} offers: choose one under Access for ${provider.name}. Nothing was changed.`,
    );
  }
  return runSignIn({ ...provider, scopes }, provider.scopeOptions === undefined ? {} : { askedScopes: scopes });
}

/**
 * The sign-in of Connect and Reconnect, asking for `provider.scopes`. `purpose` names the account
 * whose tokens it replaces (instead of adding an account), or the access chosen for a new one.
 */
async function runSignIn(provider: Provider, purpose: Pick<SignIn, 'accountId' | 'askedScopes'>): Promise<ConnectResult> {
  if (!signsIn(provider)) return connectWithoutWindow(provider, purpose);
  if (usesTabRedirect(provider)) return connectInTab(provider, purpose);

  const started = await startAuthorization(provider, redirectUrlOf(provider));
  const { url } = started;
  const pending: SignIn = { ...started.pending, ...purpose };
  running.add(pending.state);
  await savePending(pending);
  try {
    const redirectUrl = await launchAuthWindow(provider, url);
    // storage.session decides whether the sign-in is still pending: the answer to one that was
    // forgotten or is too old is ignored (no code exchanged, nothing stored).
    const stored = await readPending(pending.state);
    if (stored === undefined || isExpired(stored, Date.now())) throw new UserFacingError(SIGN_IN_EXPIRED);
    return await finishSignIn(provider, redirectUrl, pending);
  } catch (error) {
    throw asUserFacing(error, provider.name);
  } finally {
    await forgetPending(pending.state);
    running.delete(pending.state);
  }
}

/**
 * Connect for the flows with no sign-in window: a device sign-in, approved by the user on the
 * provider's page while the background polls (device-flow.ts), or a token asked for at once with
 * the client's own credentials.
 */
function connectWithoutWindow(provider: Provider, purpose: Pick<SignIn, 'accountId' | 'askedScopes'>): Promise<ConnectResult> {
  return usesDeviceFlow(provider) ? startDeviceSignIn(provider, purpose) : connectWithClientCredentials(provider, purpose);
}

/** Connect without a user (RFC 6749 4.4): one token request with the client's own credentials, then one write. */
async function connectWithClientCredentials(
  provider: Provider,
  purpose: Pick<SignIn, 'accountId' | 'askedScopes'>,
): Promise<{ accountId: string }> {
  try {
    const tokens = await requestClientCredentialsToken(provider, 'exchange');
    return await storeConnectedAccount(provider, tokens, purpose);
  } catch (error) {
    throw asUserFacing(error, provider.name);
  }
}

/**
 * Tells the user about sign-ins a stopped worker left behind, and forgets them (and stale ones).
 * Runs at worker start, and when a window closes: closing the sign-in window (or the redirect that
 * closes it) wakes the worker, which is the moment such a sign-in ends for the user. Call once,
 * synchronously, at worker start.
 */
export function registerSignInRecovery(): void {
  // Registration is synchronous (worker start) and listeners return nothing: the report runs on its own.
  void reportInterruptedSignIns();
  browser.windows.onRemoved.addListener(() => void reportInterruptedSignIns());
}

async function reportInterruptedSignIns(): Promise<void> {
  // Running before the read or since: a sign-in that starts meanwhile is stored after it is added.
  const alive = new Set(running);
  const stored = await readAllPending();
  for (const state of running) alive.add(state);
  const { forget, lost } = sortStoredSignIns(stored, alive, Date.now());
  if (forget.length > 0) await forgetPending(...forget);
  if (lost.length > 0) await setLastError(SIGN_IN_INTERRUPTED);
}

/** launchWebAuthFlow rejects with browser-specific words; turn them into ones a user can act on. */
async function launchAuthWindow(provider: Provider, url: string): Promise<string> {
  try {
    const redirectUrl = await browser.identity.launchWebAuthFlow({ url, interactive: true });
    if (!redirectUrl) throw new OAuthError('invalid_redirect', 'The sign-in ended without an answer.');
    return redirectUrl;
  } catch (error) {
    if (error instanceof OAuthError) throw error;
    const text = error instanceof Error ? error.message : String(error);
    // Chrome: "The user did not approve access."; Firefox: "User cancelled or denied access."
    if (/did not approve|cancell?ed|denied/i.test(text)) {
      throw new UserFacingError(SIGN_IN_CLOSED);
    }
    // Chrome: "Authorization page could not be loaded."
    throw new UserFacingError(
      `The ${provider.name} sign-in page could not be loaded (${text.slice(0, 120)}). Check the Authorization URL and that the provider is running. Nothing was changed.`,
    );
  }
}

/** Signs in again for an account (Reconnect): the same account gets the new tokens, for the same access. */
export async function reconnect(accountId: string): Promise<ConnectResult> {
  const state = await readState();
  const account = state.accounts.find((a) => a.id === accountId);
  if (!account) throw new UserFacingError(ACCOUNT_GONE);
  const provider = providerOf(state.providers, account.providerId);
  if (!provider) throw new UserFacingError(PROVIDER_GONE);
  return runSignIn({ ...provider, scopes: scopesToAsk(account, provider) }, { accountId });
}
