// One error class for every OAuth failure, and the user-facing words for it.

export type OAuthErrorCode =
  /** The provider redirected with `error=access_denied` (RFC 6749 4.1.2.1 / 4.2.2.1). */
  | 'access_denied'
  /** Any other `error=` in the redirect; keeps error + error_description. */
  | 'provider_error'
  /** The redirect's `state` is missing or not the one we sent (RFC 6749 10.12). */
  | 'state_mismatch'
  /** The redirect's `iss` is not the configured issuer, or names another server (RFC 9207 2.4). */
  | 'issuer_mismatch'
  /** The redirect has no `iss`, though the provider's settings require one (`requireIss`, RFC 9207 2.4). */
  | 'issuer_missing'
  | 'missing_code'
  | 'missing_token'
  /** Wrong redirect URL, repeated parameters, a non-bearer token_type or a bad expires_in. */
  | 'invalid_redirect'
  /** The token endpoint said `invalid_grant` (code reused or expired, refresh token dead). */
  | 'invalid_grant'
  /** Another OAuth error from the token / revocation endpoint, or a non-success status. */
  | 'token_endpoint_error'
  /** A success status whose body is not a usable token response. */
  | 'invalid_token_response'
  /** The request never got an answer (fetch rejected or was aborted). */
  | 'network'
  /** The provider lacks what the step needs (no token URL, no revocation URL, a forbidden URL). */
  | 'provider_config';

/**
 * Which step failed: decides the wording, e.g. whether "Nothing was changed." is true. `device`:
 * the device authorization request (RFC 8628 3.1), the first step of a device sign-in.
 */
export type OAuthStep = 'authorize' | 'device' | 'exchange' | 'refresh' | 'revoke';

/** The endpoint a step's request goes to, in the words the user sees. */
export function endpointOf(step: OAuthStep): string {
  if (step === 'revoke') return 'revocation endpoint';
  return step === 'device' ? 'device authorization endpoint' : 'token endpoint';
}

export interface OAuthErrorDetails {
  /** Default 'authorize', the first step of connecting. */
  step?: OAuthStep;
  providerError?: string;
  providerDescription?: string;
  status?: number;
  cause?: unknown;
}

/**
 * Every failure of src/oauth. `message` is precise and technical (it names the field), and like
 * `providerError` / `providerDescription` it is already sanitized: capped, never holding a token.
 */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  readonly code: OAuthErrorCode;
  readonly step: OAuthStep;
  // `declare`: absent unless set, rather than own properties holding undefined.
  declare readonly providerError?: string;
  declare readonly providerDescription?: string;
  /** HTTP status of the endpoint's answer, when there was one. */
  declare readonly status?: number;

  constructor(code: OAuthErrorCode, message: string, details: OAuthErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.step = details.step ?? 'authorize';
    const optional = {
      ...(details.providerError !== undefined && { providerError: details.providerError }),
      ...(details.providerDescription !== undefined && { providerDescription: details.providerDescription }),
      ...(details.status !== undefined && { status: details.status }),
    };
    Object.assign(this, optional);
  }
}

const REDACTED = '[redacted]';
const MAX_DESCRIPTION = 200;
const MAX_ERROR_CODE = 64;
/**
 * Long runs of token characters mixing letters and digits: UUIDs, JWTs, base64 secrets. Words and
 * URLs without digits survive, so ordinary descriptions stay readable.
 */
const TOKEN_LIKE = /[A-Za-z0-9\-._~+/]{20,}=*/g;

/** Replaces every given secret, and anything that looks like a token, by `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  let result = text;
  // Longest first, so a secret that contains another is replaced whole.
  const known = secrets.filter((secret): secret is string => secret !== undefined && secret.length >= 6);
  for (const secret of known.sort((a, b) => b.length - a.length)) {
    result = result.split(secret).join(REDACTED);
  }
  return result.replace(TOKEN_LIKE, (run) => (/\d/.test(run) && /[A-Za-z]/.test(run) ? REDACTED : run));
}

/** A provider-supplied `error_description` made safe to show: one line, redacted, at most ~200 chars. */
export function sanitizeDescription(text: string, secrets: readonly (string | undefined)[] = []): string {
  const oneLine = text
    .replace(/\p{Cc}+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return cap(redactSecrets(oneLine, secrets), MAX_DESCRIPTION);
}

/** A provider-supplied `error` code made safe: RFC 6749 5.2 characters only, redacted, capped. */
export function sanitizeErrorCode(text: string, secrets: readonly (string | undefined)[] = []): string {
  const allowed = text.replace(/[^\x20-\x21\x23-\x5B\x5D-\x7E]/g, '');
  return cap(redactSecrets(allowed, secrets), MAX_ERROR_CODE) || 'unknown_error';
}

function cap(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * The message to show the user, in words they can act on. Connect failures (steps authorize and
 * exchange) end with "Nothing was changed."; refresh failures say the account kept its token
 * (except invalid_grant, which means reconnecting). Built only from sanitized fields, so it never
 * holds a token; anything that is not an OAuthError gets a generic message without its raw text.
 */
export function describeOAuthError(error: unknown, providerName: string): string {
  if (!(error instanceof OAuthError)) {
    return `Something went wrong while talking to ${providerName}. Try again. Nothing was changed.`;
  }
  return `${explain(error, providerName)}${afterword(error)}`;
}

function explain(error: OAuthError, provider: string): string {
  const detail = providerDetail(error);
  const endpoint = endpointOf(error.step);
  switch (error.code) {
    case 'access_denied':
      return `${provider} denied access (${detail ?? 'access_denied'}).`;
    case 'provider_error':
      return explainProviderError(error, provider, detail ?? 'unknown error');
    case 'state_mismatch':
      return 'The answer did not match this sign-in (state mismatch); it was ignored. Try connecting again.';
    case 'issuer_mismatch':
      return `The answer did not come from ${provider} (issuer mismatch); it was ignored.`;
    case 'issuer_missing':
      return `${provider}'s answer had no "iss", which its settings require; it was ignored. If ${provider} never sends one, add it again from its issuer URL, or set "requireIss": false in its Provider JSON.`;
    case 'missing_code':
      return `${provider} sent no sign-in code (missing code). Try connecting again.`;
    case 'missing_token':
      return `${provider} sent no access token (missing access_token). Try connecting again.`;
    case 'invalid_redirect':
      return `${provider} sent back an unusable answer: ${withoutFinalPeriod(error.message)}. ${ifItKeepsHappening('the provider settings', provider)}`;
    case 'invalid_grant':
      return explainInvalidGrant(error, provider, detail ?? 'invalid_grant');
    case 'token_endpoint_error':
      return explainEndpointError(error, `${provider}'s ${endpoint}`, detail);
    case 'invalid_token_response':
      return `${provider} sent an unusable token response: ${withoutFinalPeriod(error.message)}. ${ifItKeepsHappening("the provider's Token URL", provider)}`;
    case 'network':
      return `Could not reach ${provider} (network error). Check that it is running and try again.`;
    case 'provider_config':
      return `${provider} is not set up for this: ${withoutFinalPeriod(error.message)}. Edit the provider and try again.`;
  }
}

/** RFC 6749 4.1.2.1: the two `error` codes that say "not now" rather than "not like this". */
const TRANSIENT_ERRORS = ['temporarily_unavailable', 'server_error'];

function explainProviderError(error: OAuthError, provider: string, detail: string): string {
  if (error.providerError !== undefined && TRANSIENT_ERRORS.includes(error.providerError)) {
    return `${provider} could not handle the sign-in just now (${detail}). Try again later.`;
  }
  return `${provider} refused the sign-in (${detail}). Check the provider settings (client ID, flow, scopes).`;
}

/** The way out of an answer TokenTap cannot use: it may be a glitch, a wrong setting, or the provider's bug. */
function ifItKeepsHappening(setting: string, provider: string): string {
  return `Try again; if it keeps happening, check ${setting} or contact ${provider}.`;
}

function explainInvalidGrant(error: OAuthError, provider: string, detail: string): string {
  switch (error.step) {
    case 'refresh':
      return `${provider} no longer accepts this account's refresh token (${detail}). Reconnect the account.`;
    case 'revoke':
      return `${provider} did not accept the token for revocation (${detail}).`;
    default:
      return `${provider} rejected the sign-in code (${detail}). Try connecting again.`;
  }
}

function explainEndpointError(error: OAuthError, endpoint: string, detail: string | undefined): string {
  const status = error.status;
  const answered = status === 0 || status === undefined ? 'answered with a redirect' : `answered HTTP ${status}`;
  if (status !== undefined && status >= 500) {
    return `${endpoint} ${answered}${detail ? ` (${detail})` : ''}. Try again later.`;
  }
  if (error.providerError === 'invalid_client' || error.providerError === 'unauthorized_client') {
    return `${endpoint} refused the request (${detail}). Check the client ID and client secret.`;
  }
  if (detail !== undefined) return `${endpoint} refused the request (${detail}).`;
  return `${endpoint} ${answered}. Check the provider settings and try again.`;
}

function afterword(error: OAuthError): string {
  switch (error.step) {
    case 'authorize':
    case 'device':
    case 'exchange':
      return ' Nothing was changed.';
    case 'refresh':
      return error.code === 'invalid_grant' ? '' : ' The account keeps its current token.';
    case 'revoke':
      return '';
  }
}

/** `error: description` as the provider sent it (already sanitized), or undefined without one. */
function providerDetail(error: OAuthError): string | undefined {
  if (error.providerError === undefined) return undefined;
  const description = error.providerDescription && withoutFinalPeriod(error.providerDescription);
  return description ? `${error.providerError}: ${description}` : error.providerError;
}

/** Drops a final period, since the text is embedded in a sentence that ends with its own. */
function withoutFinalPeriod(text: string): string {
  return text.replace(/\.+$/, '');
}
