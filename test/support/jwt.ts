// Real compact JWS tokens for unit tests, signed with node:crypto (RS256) or unsigned (`alg: none`).
import { generateKeyPairSync, sign } from 'node:crypto';

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });

/** base64url of a JSON value or of bytes (RFC 7515 2: no padding). */
export function base64url(value: unknown): string {
  const bytes = value instanceof Uint8Array ? value : Buffer.from(JSON.stringify(value));
  return Buffer.from(bytes).toString('base64url');
}

/** A JWS signed with RS256, as OpenID providers sign an id_token by default. */
export function signedJwt(claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const input = `${base64url({ alg: 'RS256', typ: 'JWT', kid: 'test-key', ...header })}.${base64url(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

/** An unsecured JWT (RFC 7519 6.1): `alg: none` and an empty signature. */
export function unsignedJwt(claims: Record<string, unknown>): string {
  return `${base64url({ alg: 'none' })}.${base64url(claims)}.`;
}
