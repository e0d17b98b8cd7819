// Token endpoint and revocation endpoint requests (through oauth4webapi), their answers checked
// by token-response.ts.
import * as oauth from 'oauth4webapi';
import type { Provider, SignInProvider } from '../providers/model';
import type { PendingAuthorization } from './authorize';
import { OAuthError } from './errors';
import {
  authorizationServer,
  clientAuthentication,
  clientOf,
  requestOptions,
  requireEndpoint,
  sendRequest,
  type TokenRequestOptions,
} from './oauth-client';
import { parseRedirect } from './redirect';
import { checkTokenResponse, endpointFailure, type CheckTokenResponseOptions, type TokenSet } from './token-response';

export type { TokenEndpointProvider, TokenRequestOptions } from './oauth-client';
export { checkTokenResponse, type CheckTokenResponseOptions, type TokenSet } from './token-response';

/**
 * Exchanges an authorization code (RFC 6749 4.1.3) with the PKCE verifier (RFC 7636 4.5), the
 * client authenticated per provider.clientAuth / clientSecret (RFC 6749 2.3.1), and checks the
 * answer with checkTokenResponse. Throws OAuthError; TypeError for an empty code (a caller bug).
 */
export async function exchangeCode(
  provider: Provider,
  code: string,
  pending: PendingAuthorization,
  options?: TokenRequestOptions,
): Promise<TokenSet> {
  const step = 'exchange';
  if (code === '') throw new TypeError('code must not be empty');
  if (pending.providerId !== provider.id) {
    throw new OAuthError('state_mismatch', 'the pending sign-in belongs to another provider', { step });
  }
  const endpoint = requireEndpoint(provider.tokenUrl, 'it has no token URL', step);
  const as = authorizationServer(provider);
  const client = clientOf(provider);
  const secrets = [code, pending.codeVerifier, provider.clientSecret];
  const response = await sendRequest(step, () => {
    // authorizationCodeGrantRequest only takes parameters branded by validateAuthResponse. state
    // and iss were checked by parseRedirect (iss only against a configured issuer), so pass the code alone.
    const callback = oauth.validateAuthResponse(as, client, new URLSearchParams({ code }), oauth.skipStateCheck);
    return oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuthentication(provider, step),
      callback,
      pending.redirectUri,
      pending.codeVerifier ?? oauth.nopkce,
      { additionalParameters: tokenParamsOf(provider), ...requestOptions(endpoint, step, options) },
    );
  });
  return checkTokenResponse(response, provider, { step, secrets });
}

/**
 * The tokens an authorization answered with, for either flow: the redirect checked by
 * parseRedirect (address, state, iss, errors), then the implicit token as it came, or the code
 * exchanged. Every sign-in and every silent re-authorization ends here. Throws OAuthError.
 */
export async function tokensFromRedirect(provider: SignInProvider, redirectUrl: string, pending: PendingAuthorization): Promise<TokenSet> {
  const response = parseRedirect(redirectUrl, provider, pending);
  if (response.kind === 'code') return exchangeCode(provider, response.code, pending);
  const { kind: _, ...tokens } = response;
  return tokens;
}

/**
 * Refreshes the access token (RFC 6749 6). The answer may carry a new refresh token that replaces
 * the old one; without one the old one stays valid. invalid_grant means: reconnect.
 */
export async function refreshAccessToken(provider: Provider, refreshToken: string, options?: TokenRequestOptions): Promise<TokenSet> {
  if (refreshToken === '') throw new TypeError('refreshToken must not be empty');
  return spendingGrant(
    provider,
    'refresh',
    refreshToken,
    (as, client, auth, request) => oauth.refreshTokenGrantRequest(as, client, auth, refreshToken, request),
    undefined,
    options,
  );
}

/** What a grant request of oauth4webapi takes: the server, the client, its authentication, and the request options. */
type GrantRequest = (
  as: oauth.AuthorizationServer,
  client: oauth.Client,
  auth: oauth.ClientAuth,
  request: oauth.TokenEndpointRequestOptions,
) => Promise<Response>;

/**
 * A token request that spends one credential of the client's (a refresh token, a device code):
 * the client authenticated per provider, the provider's tokenParams added, and the answer checked
 * with that credential and the secret kept out of every error. Throws OAuthError.
 */
export async function spendingGrant(
  provider: Provider,
  step: 'exchange' | 'refresh',
  credential: string,
  send: GrantRequest,
  grant?: CheckTokenResponseOptions['grant'],
  options?: TokenRequestOptions,
): Promise<TokenSet> {
  const endpoint = requireEndpoint(provider.tokenUrl, 'it has no token URL', step);
  const response = await sendRequest(step, () =>
    send(authorizationServer(provider), clientOf(provider), clientAuthentication(provider, step), {
      additionalParameters: tokenParamsOf(provider),
      ...requestOptions(endpoint, step, options),
    }),
  );
  return checkTokenResponse(response, provider, { step, ...(grant && { grant }), secrets: [credential, provider.clientSecret] });
}

/**
 * Asks for a token with the client's own credentials (RFC 6749 4.4.2): the secret in the body or
 * as HTTP Basic per provider.clientAuth, `scope` from provider.scopes (none when empty), and the
 * provider's tokenParams. `step` words the failure: 'exchange' at Connect (nothing changes),
 * 'refresh' at renewal (the account keeps its token). Throws OAuthError.
 */
export async function requestClientCredentialsToken(
  provider: Provider,
  step: 'exchange' | 'refresh',
  options?: TokenRequestOptions,
): Promise<TokenSet> {
  const endpoint = requireEndpoint(provider.tokenUrl, 'it has no token URL', step);
  const as = authorizationServer(provider);
  const client = clientOf(provider);
  const parameters = withScope(provider, tokenParamsOf(provider));
  const response = await sendRequest(step, () =>
    oauth.clientCredentialsGrantRequest(as, client, clientAuthentication(provider, step), parameters, requestOptions(endpoint, step, options)),
  );
  return checkTokenResponse(response, provider, { step, grant: 'client_credentials', secrets: [provider.clientSecret] });
}

/** `parameters` with `scope` from provider.scopes (none when empty), for a request that asks for access without a sign-in. */
export function withScope(provider: Pick<Provider, 'scopes'>, parameters: Record<string, string> = {}): URLSearchParams {
  const withIt = new URLSearchParams(parameters);
  if (provider.scopes.length > 0) withIt.set('scope', provider.scopes.join(' '));
  return withIt;
}

/** The provider's `tokenParams` (`audience`, `resource` …), sent on exchange, refresh, client-credentials requests and device polls. */
function tokenParamsOf(provider: Provider): Record<string, string> {
  return provider.tokenParams ?? {};
}

/**
 * Revokes a token (RFC 7009 2.1) with its token_type_hint. Throws OAuthError on any failure; the
 * caller treats revocation as best effort and forgets the tokens either way (README "Keeping tokens fresh").
 */
export async function revokeToken(
  provider: Provider,
  token: string,
  hint: 'access_token' | 'refresh_token',
  options?: TokenRequestOptions,
): Promise<void> {
  const step = 'revoke';
  if (token === '') throw new TypeError('token must not be empty');
  const endpoint = requireEndpoint(provider.revocationUrl, 'it has no revocation URL', step);
  const secrets = [token, provider.clientSecret];
  const response = await sendRequest(step, () =>
    oauth.revocationRequest(authorizationServer(provider), clientOf(provider), clientAuthentication(provider, step), token, {
      additionalParameters: { token_type_hint: hint },
      ...requestOptions(endpoint, step, options),
    }),
  );
  // RFC 7009 2.2 says 200; 204 No Content is common and means the same.
  if (response.status === 204) return;
  const copy = response.clone();
  try {
    await oauth.processRevocationResponse(response);
  } catch (error) {
    throw await endpointFailure(error, copy, step, secrets);
  }
}
