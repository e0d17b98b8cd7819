import { browser } from '../platform';
import { startAuthorization } from '../oauth/authorize';
import { OAuthError } from '../oauth/errors';
import { UserFacingError } from '../messages';
import { readState } from '../storage/store';
import { forgetPending, savePending } from '../storage/session';
import { usesTabRedirect, type Provider } from '../providers/provider';
import { asUserFacing, finishSignIn, type SignIn } from './finish-sign-in';
import { connectInTab } from './tab-flow';

/**
 * Flow 1 and 2 of the spec: runs the provider's sign-in in the browser's auth window, reads the
 * redirect, exchanges a code when there is one, and stores the new account. Providers with a
 * fixed redirect page sign in through a tab instead (flow 7, tab-flow.ts). Any failure throws a
 * UserFacingError and leaves storage as it was. `reconnecting` names an account whose tokens the
 * sign-in replaces instead of adding an account.
 */
export async function connect(providerId: string, reconnecting?: string): Promise<{ accountId: string }> {
  const provider = (await readState()).providers.find((p) => p.id === providerId);
  if (!provider) throw new UserFacingError('That provider is no longer configured. Nothing was changed.');
  if (usesTabRedirect(provider)) return connectInTab(provider, reconnecting);

  const started = await startAuthorization(provider, browser.identity.getRedirectURL());
  const { url } = started;
  const pending: SignIn = { ...started.pending, ...(reconnecting !== undefined && { accountId: reconnecting }) };
  await savePending(pending);
  try {
    const redirectUrl = await launchAuthWindow(provider, url);
    return await finishSignIn(provider, redirectUrl, pending);
  } catch (error) {
    throw asUserFacing(error, provider.name);
  } finally {
    await forgetPending(pending.state);
  }
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
      throw new UserFacingError('The sign-in window was closed before finishing. Nothing was changed.');
    }
    // Chrome: "Authorization page could not be loaded."
    throw new UserFacingError(
      `The ${provider.name} sign-in page could not be loaded (${text.slice(0, 120)}). Check the Authorization URL and that the provider is running. Nothing was changed.`,
    );
  }
}

/** Signs in again for an account (Reconnect): the same account gets the new tokens. */
export async function reconnect(accountId: string): Promise<{ accountId: string }> {
  const account = (await readState()).accounts.find((a) => a.id === accountId);
  if (!account) throw new UserFacingError('That account is no longer connected. Nothing was changed.');
  return connect(account.providerId, accountId);
}
