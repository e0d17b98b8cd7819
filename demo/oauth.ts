// OAuth helpers shared by the demo providers: tokens, PKCE, parameters, client and bearer
// credentials, token-endpoint errors. What their protected APIs answer is in `api.ts`.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { sendJson, type HeaderMap } from './http';

/** 32 random bytes, base64url (43 characters). */
export function randomToken(): string {
  return randomBytes(32).toString('base64url');
}

export function sha256Base64Url(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('base64url');
}

/** Constant-time string comparison (compares digests, so lengths do not leak either). */
export function safeEqual(a: string, b: string): boolean {
  const da = createHash('sha256').update(a, 'utf8').digest();
  const db = createHash('sha256').update(b, 'utf8').digest();
  return timingSafeEqual(da, db) && a === b;
}

/** RFC 7636 4.1: code_verifier = 43*128unreserved. */
export function isValidCodeVerifier(value: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(value);
}

/** An S256 code_challenge is base64url(SHA-256), 43 characters without padding. */
export function isValidS256Challenge(value: string): boolean {
  return /^[A-Za-z0-9\-_]{43}$/.test(value);
}

/** The first parameter among `names` that occurs more than once (RFC 6749 3.1), or undefined. */
export function repeatedParam(params: URLSearchParams, names: readonly string[]): string | undefined {
  return names.find((name) => params.getAll(name).length > 1);
}

/** A parameter's value; '' and absent both give undefined. */
export function param(params: URLSearchParams, name: string): string | undefined {
  const value = params.get(name);
  return value === null || value === '' ? undefined : value;
}

/**
 * Adds parameters (form-encoded) to a redirect URI's query or fragment, keeping the URI's own
 * text exactly as registered (no URL normalisation).
 */
export function withParams(uri: string, params: Record<string, string | undefined>, where: 'query' | 'fragment'): string {
  const encoded = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined) encoded.append(key, value);
  }
  const hashAt = uri.indexOf('#');
  const base = hashAt < 0 ? uri : uri.slice(0, hashAt);
  const fragment = hashAt < 0 ? '' : uri.slice(hashAt);
  if (where === 'fragment') return `${base}#${encoded.toString()}`;
  const separator = base.includes('?') ? (base.endsWith('?') || base.endsWith('&') ? '' : '&') : '?';
  return `${base}${separator}${encoded.toString()}${fragment}`;
}

/** application/x-www-form-urlencoded decoding of one value (RFC 6749 2.3.1 / Appendix B). */
function formDecode(value: string): string | undefined {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

export type BasicCredentials = { id: string; secret: string };

/**
 * Parses `Authorization: Basic base64(urlencode(id) ":" urlencode(secret))` (RFC 6749 2.3.1).
 * Returns null when there is no Basic authorization header, 'malformed' when it cannot be read.
 */
export function parseBasicAuth(headers: IncomingHttpHeaders): BasicCredentials | 'malformed' | null {
  const header = headers.authorization;
  if (!header) return null;
  const match = /^Basic +([A-Za-z0-9+/]+=*) *$/i.exec(header);
  if (!match?.[1]) return /^Basic\b/i.test(header) ? 'malformed' : null;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) return 'malformed';
  const id = formDecode(decoded.slice(0, colon));
  const secret = formDecode(decoded.slice(colon + 1));
  if (id === undefined || secret === undefined) return 'malformed';
  return { id, secret };
}

/** Encodes client credentials for HTTP Basic as RFC 6749 2.3.1 says (form-urlencode, then base64). */
export function basicAuthHeader(id: string, secret: string): string {
  const enc = (v: string): string => encodeURIComponent(v).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`, 'utf8').toString('base64')}`;
}

/**
 * The bearer token of `Authorization: Bearer <token>` (RFC 6750 2.1), or null when the header
 * is missing, uses another scheme, or the token has characters a b64token cannot have.
 */
export function parseBearer(headers: IncomingHttpHeaders): string | null {
  const header = headers.authorization;
  if (!header) return null;
  const match = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i.exec(header);
  return match?.[1] ?? null;
}

/** A JSON error from a token or revocation endpoint (RFC 6749 5.2). */
export function sendTokenError(res: ServerResponse, status: number, error: string, description?: string, headers: HeaderMap = {}): void {
  const body: Record<string, string> = { error };
  if (description !== undefined) body.error_description = description;
  sendJson(res, status, body, { ...headers, 'Cache-Control': 'no-store', Pragma: 'no-cache' });
}
