// The authorization response: the URL the provider redirected to (RFC 6749 4.1.2 / 4.2.2).
//
// One parser for both flows, not oauth4webapi's validateAuthResponse: that function refuses the
// implicit grant and reads only the query, and keeping the redirect / state / iss / error checks in
// one place means the two flows cannot drift apart.
import type { Provider, SignInProvider } from '../providers/model';
import type { PendingAuthorization } from './authorize';
import { OAuthError, sanitizeDescription, sanitizeErrorCode, type OAuthErrorCode } from './errors';
import { VSCHARS } from './vschar';

export type AuthorizationResponse =
  | { kind: 'token'; accessToken: string; tokenType: 'bearer'; expiresIn?: number; scope?: string[] }
  /** `iss` is returned only when it was sent and checked against a configured issuer. */
  | { kind: 'code'; code: string; iss?: string };

/** Parameters that must not repeat (RFC 6749 3.1: "MUST NOT be included more than once"). */
const SINGLE_PARAMS = ['state', 'error', 'error_description', 'iss', 'code', 'access_token', 'token_type', 'expires_in', 'scope'];

/**
 * Parses the URL the provider redirected to: parameters come from the fragment for flow "implicit"
 * (RFC 6749 4.2.2) and from the query for flow "code" (4.1.2). Checks, in order:
 * 1. the URL is the expected redirect URI (same scheme, host, port and path), else invalid_redirect;
 * 2. no parameter repeats, else invalid_redirect;
 * 3. `state` equals the one sent (RFC 6749 10.12), else state_mismatch. An error with a wrong state
 *    is a state_mismatch too (it is not the answer to our request); an error without any state is
 *    reported as the provider's error, since some servers drop state on errors and either way
 *    nothing is stored;
 * 4. when the provider has an issuer, a present `iss` equals it (RFC 9207 2.4), and an absent one
 *    is refused unless `requireIss` is false (a server that does not advertise `iss`), else
 *    issuer_mismatch; without a configured issuer an `iss` must name the Authorization URL's
 *    origin, else issuer_mismatch (the answer came from another server: a mix-up, RFC 9700 4.4);
 * 5. `error` → access_denied or provider_error (RFC 6749 4.1.2.1 / 4.2.2.1);
 * 6. implicit: access_token, token_type bearer (any case), expires_in a positive integer if present;
 *    code: code.
 */
export function parseRedirect(
  redirectUrl: string,
  provider: Pick<SignInProvider, 'flow' | 'issuer' | 'requireIss' | 'authorizationUrl'>,
  pending: Pick<PendingAuthorization, 'state' | 'redirectUri'>,
): AuthorizationResponse {
  const url = parseUrl(redirectUrl, 'the answer is not a valid URL');
  const expected = parseUrl(pending.redirectUri, 'the expected redirect URI is not a valid URL');
  if (url.protocol !== expected.protocol || url.host !== expected.host || url.pathname !== expected.pathname) {
    // Only our own redirect URI is named: the actual URL may carry a token.
    const where = `${expected.protocol}//${expected.host}${expected.pathname}`;
    fail(
      'invalid_redirect',
      `the answer arrived elsewhere than at this provider's redirect URL ${where} (did it pass the sign-in on to another provider?)`,
    );
  }

  const params = responseParams(url, provider.flow);
  const repeated = SINGLE_PARAMS.find((name) => params.getAll(name).length > 1);
  if (repeated !== undefined) fail('invalid_redirect', `the "${repeated}" parameter appears more than once`);

  const error = params.get('error');
  const state = params.get('state');
  if (state === null && error === null) fail('state_mismatch', 'the "state" parameter is missing');
  if (state !== null && state !== pending.state) fail('state_mismatch', 'the "state" parameter does not match this sign-in');

  const iss = params.get('iss');
  if (provider.issuer !== undefined) {
    // Absent is the default: a hand-written issuer keeps refusing answers without `iss`.
    if (iss === null && provider.requireIss !== false) fail('issuer_missing', 'the "iss" parameter is missing (RFC 9207)');
    if (iss !== null && iss !== provider.issuer) fail('issuer_mismatch', 'the "iss" parameter is not the configured issuer');
  } else if (iss !== null && !sameOrigin(iss, provider.authorizationUrl)) {
    fail('issuer_mismatch', `the "iss" parameter names another server than the Authorization URL's`);
  }

  if (error !== null) throw providerError(error, params);
  const checkedIss = provider.issuer !== undefined && iss !== null ? iss : undefined;
  return provider.flow === 'implicit' ? readToken(params) : readCode(params, checkedIss);
}

/**
 * The response parameters: fragment for implicit, query for code. An `error` found only in the
 * other part is still reported, because some servers put early errors in the query whatever the
 * response_type.
 */
function responseParams(url: URL, flow: Provider['flow']): URLSearchParams {
  const fragment = new URLSearchParams(url.hash.slice(1));
  const query = url.searchParams;
  const [primary, other] = flow === 'implicit' ? [fragment, query] : [query, fragment];
  const successKey = flow === 'implicit' ? 'access_token' : 'code';
  if (!primary.has('error') && !primary.has(successKey) && other.has('error')) return other;
  return primary;
}

function readToken(params: URLSearchParams): AuthorizationResponse {
  const accessToken = params.get('access_token');
  if (accessToken === null || accessToken === '') {
    const hint = params.has('code') ? ' (the answer holds a "code": is the flow "code"?)' : '';
    fail('missing_token', `the "access_token" parameter is missing${hint}`);
  }
  if (!VSCHARS.test(accessToken)) fail('invalid_redirect', '"access_token" contains characters a token cannot have');

  const tokenType = params.get('token_type');
  if (tokenType === null) fail('invalid_redirect', '"token_type" is missing (RFC 6749 4.2.2)');
  if (tokenType.toLowerCase() !== 'bearer') {
    fail('invalid_redirect', `"token_type" must be "Bearer" (got "${sanitizeErrorCode(tokenType, [accessToken])}")`);
  }

  const expiresIn = params.get('expires_in');
  let seconds: number | undefined;
  if (expiresIn !== null) {
    seconds = /^\d{1,15}$/.test(expiresIn) ? Number(expiresIn) : 0;
    if (seconds <= 0) fail('invalid_redirect', '"expires_in" must be a positive whole number of seconds');
  }
  const scope = params.get('scope');
  return {
    kind: 'token',
    accessToken,
    tokenType: 'bearer',
    ...(seconds !== undefined && { expiresIn: seconds }),
    ...(scope !== null && { scope: splitScope(scope) }),
  };
}

function readCode(params: URLSearchParams, checkedIss: string | undefined): AuthorizationResponse {
  const code = params.get('code');
  if (code === null || code === '') {
    const hint = params.has('access_token') ? ' (the answer holds an access token: is the flow "implicit"?)' : '';
    fail('missing_code', `the "code" parameter is missing${hint}`);
  }
  if (!VSCHARS.test(code)) fail('invalid_redirect', '"code" contains characters a code cannot have');
  return { kind: 'code', code, ...(checkedIss !== undefined && { iss: checkedIss }) };
}

/** RFC 6749 3.3: scope is a space-separated list; empty entries are dropped. */
export function splitScope(scope: string): string[] {
  return scope.split(' ').filter((entry) => entry !== '');
}

function providerError(error: string, params: URLSearchParams): OAuthError {
  // Whatever else the answer carried must not leak into a message.
  const secrets = [params.get('access_token') ?? undefined, params.get('code') ?? undefined];
  const code: OAuthErrorCode = error === 'access_denied' ? 'access_denied' : 'provider_error';
  const providerErrorCode = sanitizeErrorCode(error, secrets);
  const description = params.get('error_description');
  return new OAuthError(code, `the authorization response is an error: ${providerErrorCode}`, {
    step: 'authorize',
    providerError: providerErrorCode,
    ...(description !== null &&
      description !== '' && {
        providerDescription: sanitizeDescription(description, secrets),
      }),
  });
}

/** True when both are URLs of one origin (an `iss` that is not a URL names no origin of ours). */
function sameOrigin(a: string, b: string): boolean {
  return URL.canParse(a) && URL.canParse(b) && new URL(a).origin === new URL(b).origin;
}

function parseUrl(text: string, problem: string): URL {
  try {
    return new URL(text);
  } catch {
    fail('invalid_redirect', problem);
  }
}

function fail(code: OAuthErrorCode, message: string): never {
  throw new OAuthError(code, message, { step: 'authorize' });
}
