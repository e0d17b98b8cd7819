// Who signed in, from the OpenID Connect UserInfo endpoint (OIDC Core 5.3), for a default label
// when the token response names nobody (README "Account labels"). Pure apart from fetch.
import * as oauth from 'oauth4webapi';
import { identityFromClaims } from '../accounts/account-label';
import { isAllowedEndpoint, isLoopbackHttp } from '../providers/endpoint-url';
import type { Provider } from '../providers/model';
import { authorizationServer, clientOf } from './oauth-client';

/** A label is not worth holding up a Connect for longer. */
const USERINFO_TIMEOUT_MS = 10_000;

/**
 * GETs `provider.userinfoUrl` once with `accessToken` and returns the identity its claims name
 * (identityFromClaims), or undefined when it has none or anything fails: a label never fails a Connect.
 * oauth4webapi checks the answer is 200 JSON (or a JWT it can verify) with a string `sub`; with no
 * id_token there is no `sub` to compare it with (OIDC Core 5.3.2), so the claims are only a label, never trusted.
 */
export async function identityFromUserinfo(
  provider: Pick<Provider, 'userinfoUrl' | 'issuer' | 'clientId' | 'authorizationUrl' | 'tokenUrl'>,
  accessToken: string,
): Promise<string | undefined> {
  if (provider.userinfoUrl === undefined) return undefined;
  try {
    const endpoint = new URL(provider.userinfoUrl);
    if (!isAllowedEndpoint(endpoint)) return undefined;
    const as = { ...authorizationServer(provider), userinfo_endpoint: endpoint.href };
    const client = clientOf(provider);
    const response = await oauth.userInfoRequest(as, client, accessToken, {
      ...(isLoopbackHttp(endpoint) && { [oauth.allowInsecureRequests]: true }),
      signal: AbortSignal.timeout(USERINFO_TIMEOUT_MS),
    });
    const claims = await oauth.processUserInfoResponse(as, client, oauth.skipSubjectCheck, response);
    return identityFromClaims(claims);
  } catch {
    return undefined;
  }
}
