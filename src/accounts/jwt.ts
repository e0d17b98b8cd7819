// Reads what a token says about itself, for Details: a compact JWS (RFC 7515 7.1) split and its header
// and claims base64url-decoded. Never verified and never trusted: nothing but the popup's display reads it.
import { formatDuration } from './account';

/** A token this long is not decoded: Details would be unreadable, and the popup should not stall on it. */
export const MAX_DECODED_TOKEN_LENGTH = 64 * 1024;

/** The token's decoded parts, or why it cannot be read (an opaque token, a JWE, a malformed or huge JWT). */
export type DecodedToken =
  { kind: 'jwt'; header: Record<string, unknown>; claims: Record<string, unknown> } | { kind: 'opaque'; reason: string };

/** Claims holding NumericDate values (RFC 7519 4.1.4–4.1.6, OIDC Core 2 `auth_time`), shown as dates. */
export const TIME_CLAIMS: readonly string[] = ['exp', 'iat', 'nbf', 'auth_time'];

const BASE64URL = /^[A-Za-z0-9_-]*$/;

/** Splits and decodes a compact JWT; anything else is "opaque token", with the reason when it looked like a JWT. */
export function decodeJwt(token: string): DecodedToken {
  if (token.length > MAX_DECODED_TOKEN_LENGTH) {
    return {
      kind: 'opaque',
      reason: `too large to show (${Math.ceil(token.length / 1024)} KB; at most ${MAX_DECODED_TOKEN_LENGTH / 1024} KB is decoded)`,
    };
  }
  const parts = token.split('.');
  // RFC 7516 7.1: header, encrypted key, IV, ciphertext, tag; only its holder's key reads the claims.
  if (parts.length === 5) return { kind: 'opaque', reason: 'encrypted token (JWE), cannot be read' };
  if (parts.length !== 3) return opaque();
  const [header, claims] = [decodePart(parts[0]!, 'header'), decodePart(parts[1]!, 'payload')];
  if (typeof header === 'string') return opaque(header);
  if (typeof claims === 'string') return opaque(claims);
  return { kind: 'jwt', header, claims };
}

/** True when the header says `alg: none` (RFC 7519 6): an unsecured JWT, which anyone could have written. */
export function isUnsigned(header: Record<string, unknown>): boolean {
  return typeof header['alg'] !== 'string' || header['alg'].toLowerCase() === 'none';
}

/**
 * One header field or claim as Details shows it: strings as they are, other JSON as JSON, and a
 * NumericDate as a UTC date with how long ago or until it is ("in 12 min", "3 h ago").
 */
export function describeClaim(name: string, value: unknown, now: number): string {
  // Date's range is ±8.64e15 ms: a larger value has no date to show.
  if (TIME_CLAIMS.includes(name) && typeof value === 'number' && Math.abs(value * 1000) <= 8.64e15) return describeTime(value * 1000, now);
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** "2026-12-02 16:12:00 UTC (in 12 min)": one form in every locale, with the zone said, and how far it is. */
export function describeTime(ms: number, now: number): string {
  const date = new Date(ms)
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d{3}Z$/, ' UTC');
  return `${date} (${relativeTime(ms - now)})`;
}

function relativeTime(ms: number): string {
  if (Math.abs(ms) < 1000) return 'now';
  return ms > 0 ? `in ${formatDuration(ms)}` : `${formatDuration(-ms)} ago`;
}

/** The part as a JSON object, or why it is not one. */
function decodePart(part: string, which: 'header' | 'payload'): Record<string, unknown> | string {
  const text = base64urlText(part);
  if (text === undefined) return `its ${which} is not base64url-encoded UTF-8`;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return `its ${which} is not JSON`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return `its ${which} is not a JSON object`;
  return value as Record<string, unknown>;
}

/** RFC 7515 2: base64url without padding; a length of 4n+1 cannot be one. Undefined for bad input or bad UTF-8. */
function base64urlText(part: string): string | undefined {
  if (part === '' || !BASE64URL.test(part) || part.length % 4 === 1) return undefined;
  const binary = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(binary, (char) => char.charCodeAt(0));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function opaque(why?: string): DecodedToken {
  return { kind: 'opaque', reason: why === undefined ? 'opaque token' : `opaque token: ${why}` };
}
