import { browser } from './platform';
import { usesTabRedirect, type Provider } from './providers/model';

/**
 * The redirect URL `provider` must have registered, and the only one its sign-ins accept: its own
 * identity URL (`getRedirectURL(<id>)`), or its fixed page in tab mode. One URL per provider is
 * what keeps a provider that forwards the sign-in from receiving another provider's answer
 * (README "Redirect URL to register at the provider").
 */
export function redirectUrlOf(provider: Provider): string {
  return usesTabRedirect(provider) ? provider.redirectUri : browser.identity.getRedirectURL(provider.id);
}
