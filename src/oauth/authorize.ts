// The authorization request (RFC 6749 4.1.1 / 4.2.1, PKCE RFC 7636): builder and its random inputs.
import { calculatePKCECodeChallenge, generateRandomCodeVerifier, generateRandomState } from 'oauth4webapi';
import type { Provider, SignInProvider } from '../providers/model';
import { RESERVED_AUTHORIZE_PARAMS } from '../providers/validate-provider';

/** What must be remembered between opening the authorize URL and reading the redirect. */
export interface PendingAuthorization {
  providerId: string;
  state: string;
  /** RFC 7636 code_verifier; only for flow "code" with PKCE. */
  codeVerifier?: string;
  redirectUri: string;
  /** Epoch milliseconds; lets the caller drop stale sign-ins. */
  createdAt: number;
}

export interface AuthorizeParams {
  state: string;
  /** S256 challenge of the verifier (RFC 7636 4.2); required when the provider uses PKCE. */
  codeChallenge?: string;
}

/**
 * Builds the authorize URL for `provider` (RFC 6749 4.1.1 / 4.2.1; RFC 7636 4.3): response_type,
 * client_id, redirect_uri, scope (space-joined, left out when there are no scopes), state, the
 * S256 code_challenge for flow "code" with PKCE, then extraParams. Any query already on the
 * authorization URL is kept. Pure: the random inputs come in `params`.
 */
export function buildAuthorizeUrl(
  provider: Pick<SignInProvider, 'flow' | 'authorizationUrl' | 'clientId' | 'scopes' | 'pkce' | 'extraParams'>,
  redirectUri: string,
  params: AuthorizeParams,
): string {
  const url = new URL(provider.authorizationUrl);
  const query = url.searchParams;
  query.set('response_type', provider.flow === 'code' ? 'code' : 'token');
  query.set('client_id', provider.clientId);
  query.set('redirect_uri', redirectUri);
  if (provider.scopes.length > 0) query.set('scope', provider.scopes.join(' '));
  query.set('state', params.state);
  if (usesPkce(provider)) {
    if (params.codeChallenge === undefined) throw new TypeError('codeChallenge is required when the provider uses PKCE');
    query.set('code_challenge', params.codeChallenge);
    query.set('code_challenge_method', 'S256');
  }
  for (const [name, value] of Object.entries(provider.extraParams)) {
    // Validated providers never hold these; skipping keeps a hand-made provider from overriding them.
    if (!RESERVED_AUTHORIZE_PARAMS.includes(name)) query.set(name, value);
  }
  return url.href;
}

/**
 * Starts a sign-in: a fresh random state (always, RFC 6749 10.12) and, for flow "code" with PKCE,
 * a fresh code verifier; returns the authorize URL and what to keep until the redirect arrives.
 */
export async function startAuthorization(
  provider: SignInProvider,
  redirectUri: string,
  now: number = Date.now(),
): Promise<{ url: string; pending: PendingAuthorization }> {
  const state = generateRandomState();
  const codeVerifier = usesPkce(provider) ? generateRandomCodeVerifier() : undefined;
  const codeChallenge = codeVerifier === undefined ? undefined : await calculatePKCECodeChallenge(codeVerifier);
  const url = buildAuthorizeUrl(provider, redirectUri, { state, ...(codeChallenge !== undefined && { codeChallenge }) });
  const pending: PendingAuthorization = {
    providerId: provider.id,
    state,
    ...(codeVerifier !== undefined && { codeVerifier }),
    redirectUri,
    createdAt: now,
  };
  return { url, pending };
}

/** PKCE applies to the code flow only; the implicit flow has no token request to bind. */
function usesPkce(provider: Pick<Provider, 'flow' | 'pkce'>): boolean {
  return provider.flow === 'code' && provider.pkce;
}
