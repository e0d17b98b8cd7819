// Where TokenTap sends token requests: a module of its own, so the pages that ask for host access
// load it without the provider modules.
import type { Provider } from './model';

/**
 * Every endpoint TokenTap POSTs a token request to (exchange, refresh and device polls, revocation,
 * device authorization): where the client secret goes, and where the browser's `Origin` is removed
 * (README "Token requests carry no Origin"). A new grant's endpoint joins here.
 */
export function tokenRequestEndpoints(provider: Pick<Provider, 'tokenUrl' | 'revocationUrl' | 'deviceAuthorizationUrl'>): string[] {
  return [provider.tokenUrl, provider.revocationUrl, provider.deviceAuthorizationUrl].filter((url): url is string => url !== undefined);
}
