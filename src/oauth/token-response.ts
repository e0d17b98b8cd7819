// The token endpoint's answer (RFC 6749 5.1 / 5.2): oauth4webapi's checks, then ours.
import * as oauth from 'oauth4webapi';
import { identityFromClaims } from '../accounts/account-label';
import { endpointOf, OAuthError, redactSecrets, sanitizeDescription, sanitizeErrorCode, type OAuthStep } from './errors';
import { authorizationServer, clientOf, type TokenEndpointProvider } from './oauth-client';
import { splitScope } from './redirect';
import { VSCHARS } from './vschar';

/** A checked token response (RFC 6749 5.1). `scope` is the granted scope, when the server said. */
export interface TokenSet {
  accessToken: string;
  tokenType: 'bearer';
  /** Seconds from the response; absent when the server did not say. */
  expiresIn?: number;
  /** Absent on a refresh answer means: keep using the old refresh token (RFC 6749 6). */
  refreshToken?: string;
  scope?: string[];
  /** Who signed in, from the validated `id_token`'s claims, when it names them (a default label). */
  identity?: string;
  /**
   * The OpenID Connect ID Token (OIDC Core 3.1.3.3), when the answer had one; oauth4webapi has
   * checked its claims (iss, aud, exp, azp). Absent on a refresh answer means: keep the old one (OIDC Core 12.2).
   */
  idToken?: string;
}

export interface CheckTokenResponseOptions {
  /** Which request this answers; decides the wording of errors. Default 'exchange'. */
  step?: 'exchange' | 'refresh';
  /** The grant asked for, when it is not the step's own (code at exchange, refresh token at refresh). */
  grant?: 'client_credentials' | 'device_code';
  /** Values that must never appear in an error message (code, refresh token, client secret…). */
  secrets?: readonly (string | undefined)[];
}

/**
 * Checks a token endpoint answer (RFC 6749 5.1 / 5.2), usable on any Response. oauth4webapi's
 * processor runs first (status, OAuth error bodies, content type, JSON, field types, id_token);
 * then our stricter rules: token_type must be bearer (oauth4webapi also takes DPoP), expires_in a
 * positive JSON number (it parses "3600" and accepts 0), refresh_token a non-empty string, scope a
 * string, id_token a printable-ASCII string. Every failure becomes an OAuthError whose message names the field.
 */
export async function checkTokenResponse(
  response: Response,
  provider: TokenEndpointProvider,
  options: CheckTokenResponseOptions = {},
): Promise<TokenSet> {
  const step = options.step ?? 'exchange';
  const secrets = options.secrets ?? [];
  // oauth4webapi consumes the body; the copy is read again for our own checks.
  const copy = response.clone();
  const as = authorizationServer(provider);
  const client = clientOf(provider);
  let processed: oauth.TokenEndpointResponse;
  try {
    if (options.grant === 'client_credentials') processed = await oauth.processClientCredentialsResponse(as, client, response);
    else if (options.grant === 'device_code') processed = await oauth.processDeviceCodeResponse(as, client, response);
    else if (step === 'refresh') processed = await oauth.processRefreshTokenResponse(as, client, response);
    else processed = await oauth.processAuthorizationCodeResponse(as, client, response);
  } catch (error) {
    throw await endpointFailure(error, copy, step, secrets);
  }
  const tokens = readTokenSet(await copy.json(), step, secrets);
  // Claims of an id_token oauth4webapi has checked (issuer, audience, times); none without one.
  const claims = oauth.getValidatedIdTokenClaims(processed);
  const identity = claims && identityFromClaims(claims);
  return { ...tokens, ...(identity !== undefined && { identity }) };
}

/** Our rules for a token response body, in field order; the first bad field throws. */
function readTokenSet(body: unknown, step: OAuthStep, secrets: readonly (string | undefined)[]): TokenSet {
  const invalid = (problem: string): never => {
    throw new OAuthError('invalid_token_response', problem, { step, status: 200 });
  };
  if (!isJsonObject(body)) return invalid('the body must be a JSON object');
  // Some servers (GitHub) answer errors with status 200: report them as the error they are.
  if (typeof body['error'] === 'string' && body['access_token'] === undefined) {
    throw oauthErrorFromBody(200, body, step, secrets);
  }

  const accessToken = body['access_token'];
  if (accessToken === undefined) return invalid('"access_token" is missing');
  if (typeof accessToken !== 'string') return invalid(`"access_token" must be a string, not ${typeName(accessToken)}`);
  if (accessToken === '') return invalid('"access_token" must not be empty');
  if (!VSCHARS.test(accessToken)) return invalid('"access_token" contains characters a token cannot have');
  const known = [
    ...secrets,
    accessToken,
    ...[body['refresh_token'], body['id_token']].filter((token): token is string => typeof token === 'string'),
  ];

  const tokenType = body['token_type'];
  if (tokenType === undefined) return invalid('"token_type" is missing');
  if (typeof tokenType !== 'string') return invalid(`"token_type" must be a string, not ${typeName(tokenType)}`);
  if (tokenType.toLowerCase() !== 'bearer') {
    return invalid(`"token_type" must be "Bearer" (got "${sanitizeErrorCode(tokenType, known)}")`);
  }

  const expiresIn = body['expires_in'];
  if (expiresIn !== undefined) {
    if (typeof expiresIn !== 'number') return invalid(`"expires_in" must be a positive number, not ${typeName(expiresIn)}`);
    if (!Number.isFinite(expiresIn) || expiresIn <= 0) return invalid('"expires_in" must be a positive number');
  }

  const refreshToken = body['refresh_token'];
  if (refreshToken !== undefined) {
    if (typeof refreshToken !== 'string') return invalid(`"refresh_token" must be a string, not ${typeName(refreshToken)}`);
    if (refreshToken === '') return invalid('"refresh_token" must not be empty');
    if (!VSCHARS.test(refreshToken)) return invalid('"refresh_token" contains characters a token cannot have');
  }

  const scope = body['scope'];
  if (scope !== undefined && typeof scope !== 'string') return invalid(`"scope" must be a string, not ${typeName(scope)}`);

  // A header may carry it (header.token "id_token"), so it must be one a header can hold.
  const idToken = body['id_token'];
  if (idToken !== undefined) {
    if (typeof idToken !== 'string') return invalid(`"id_token" must be a string, not ${typeName(idToken)}`);
    if (idToken === '') return invalid('"id_token" must not be empty');
    if (!VSCHARS.test(idToken)) return invalid('"id_token" contains characters a token cannot have');
  }

  return {
    accessToken,
    tokenType: 'bearer',
    ...(expiresIn !== undefined && { expiresIn }),
    ...(refreshToken !== undefined && { refreshToken }),
    ...(scope !== undefined && { scope: splitScope(scope) }),
    ...(idToken !== undefined && { idToken }),
  };
}

/**
 * Turns whatever oauth4webapi threw for an answer into an OAuthError. The library's errors are not
 * kept as `cause`: they carry the response body, tokens included.
 */
export async function endpointFailure(
  error: unknown,
  copy: Response,
  step: OAuthStep,
  secrets: readonly (string | undefined)[],
): Promise<OAuthError> {
  if (error instanceof OAuthError) return error;
  const body = await readJson(copy);
  if (copy.status !== 200) return oauthErrorFromBody(copy.status, body, step, secrets, contentType(copy));
  if (body !== undefined) {
    try {
      readTokenSet(body, step, secrets); // names the bad field more precisely than the library
    } catch (precise) {
      if (precise instanceof OAuthError) return precise;
    }
  }
  return new OAuthError('invalid_token_response', libraryProblem(error, copy, secrets), { step, status: copy.status });
}

/** An OAuth error body (RFC 6749 5.2), or just the status when the body is not one. */
function oauthErrorFromBody(
  status: number,
  body: unknown,
  step: OAuthStep,
  secrets: readonly (string | undefined)[],
  type?: string,
): OAuthError {
  const endpoint = endpointOf(step);
  const fields: Record<string, unknown> = isJsonObject(body) ? body : {};
  const error = typeof fields['error'] === 'string' ? fields['error'] : undefined;
  if (error === undefined) {
    const what = type === undefined || type === 'application/json' ? '' : ` (${sanitizeErrorCode(type)}, not JSON)`;
    return new OAuthError('token_endpoint_error', `the ${endpoint} answered HTTP ${status}${what}`, { step, status });
  }
  // Tokens the body itself carries are secrets too: an error answer may hold and echo them.
  const known = [...secrets, ...[fields['access_token'], fields['refresh_token']].filter((token) => typeof token === 'string')];
  const providerError = sanitizeErrorCode(error, known);
  const description = fields['error_description'];
  return new OAuthError(
    providerError === 'invalid_grant' ? 'invalid_grant' : 'token_endpoint_error',
    `the ${endpoint} answered HTTP ${status} with error ${providerError}`,
    {
      step,
      status,
      providerError,
      ...(typeof description === 'string' &&
        description !== '' && {
          providerDescription: sanitizeDescription(description, known),
        }),
    },
  );
}

/** oauth4webapi's message for a failure our own rules did not catch, in our field-naming style. */
function libraryProblem(error: unknown, response: Response, secrets: readonly (string | undefined)[]): string {
  if (error instanceof oauth.OperationProcessingError) {
    if (error.code === oauth.RESPONSE_IS_NOT_JSON) return `the body is ${sanitizeErrorCode(contentType(response) ?? 'untyped')}, not JSON`;
    if (error.code === oauth.PARSE_ERROR) return 'the body is not valid JSON';
  }
  const message = error instanceof Error ? error.message : 'the answer could not be read';
  return redactSecrets(message.replace(/"response" body /g, '').replace(/ property\b/g, ''), secrets);
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

function contentType(response: Response): string | undefined {
  return response.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase() || undefined;
}

function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}
