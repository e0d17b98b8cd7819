// The identity a token response's id_token names (a new account's default label), through
// oauth4webapi's own ID Token checks: signed JWTs as a provider sends them.
import { describe, expect, it } from 'vitest';
import { parseProviderJson } from '../providers/provider';
import type { Provider } from '../providers/model';
import { SEED_PROVIDERS_JSON, SKYVAULT_TOKEN_RESPONSE } from '../../test/fixtures/seed-providers';
import { OAuthError } from './errors';
import { checkTokenResponse } from './token';

const [, SKYVAULT] = parseProviderJson(SEED_PROVIDERS_JSON) as [Provider, Provider];
/** SkyVault has no issuer configured, so its ID Tokens must name its authorization URL's origin. */
const ISSUER = new URL(String(SKYVAULT.authorizationUrl)).origin;

const signingKey = crypto.subtle.generateKey(
  { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
  false,
  ['sign'],
);

const base64url = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');

/** An RS256 ID Token for SkyVault's client, issued now, with `claims` on top of the required ones. */
async function idToken(claims: Record<string, unknown>): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload = { iss: ISSUER, sub: 'user-1', aud: SKYVAULT.clientId, iat: now, exp: now + 300, ...claims };
  const input = `${base64url(new TextEncoder().encode(JSON.stringify({ alg: 'RS256', typ: 'JWT' })))}.${base64url(
    new TextEncoder().encode(JSON.stringify(payload)),
  )}`;
  const signature = await crypto.subtle.sign('RSASSA-PKCS1-v1_5', (await signingKey).privateKey, new TextEncoder().encode(input));
  return `${input}.${base64url(new Uint8Array(signature))}`;
}

const answerWith = (fields: Record<string, unknown>): Response =>
  new Response(JSON.stringify({ ...SKYVAULT_TOKEN_RESPONSE, ...fields }), { status: 200, headers: { 'content-type': 'application/json' } });

describe('checkTokenResponse: who signed in, from the id_token', () => {
  it.each([
    [{ email: 'ada@example.com', preferred_username: 'ada', name: 'Ada Lovelace' }, 'ada@example.com'],
    [{ preferred_username: ' ada ', name: 'Ada Lovelace' }, 'ada'],
    [{ name: 'Ada Lovelace' }, 'Ada Lovelace'],
    [{ email: 42, name: 'Ada Lovelace' }, 'Ada Lovelace'],
    [{ email: 'ada\n@example.com', preferred_username: 'ada' }, 'ada'],
  ])('names %j as %j', async (claims, identity) => {
    const tokens = await checkTokenResponse(answerWith({ id_token: await idToken(claims) }), SKYVAULT);
    expect(tokens.identity).toBe(identity);
    expect(tokens.accessToken).toBe(SKYVAULT_TOKEN_RESPONSE.access_token);
  });

  it('names nobody for an id_token without those claims, and for an answer without an id_token', async () => {
    expect((await checkTokenResponse(answerWith({ id_token: await idToken({}) }), SKYVAULT)).identity).toBeUndefined();
    expect(await checkTokenResponse(answerWith({}), SKYVAULT)).not.toHaveProperty('identity');
  });

  it('reads the id_token of a refresh answer too', async () => {
    const tokens = await checkTokenResponse(answerWith({ id_token: await idToken({ email: 'ada@example.com' }) }), SKYVAULT, {
      step: 'refresh',
    });
    expect(tokens.identity).toBe('ada@example.com');
  });

  it.each([
    ['another issuer', { iss: 'https://evil.example', email: 'ada@example.com' }],
    ['another audience', { aud: 'someone-else', email: 'ada@example.com' }],
    ['an expired token', { exp: Math.floor(Date.now() / 1000) - 3600, email: 'ada@example.com' }],
  ])('refuses the whole answer when the id_token has %s: no identity is taken from it', async (_, claims) => {
    await expect(checkTokenResponse(answerWith({ id_token: await idToken(claims) }), SKYVAULT)).rejects.toBeInstanceOf(OAuthError);
  });
});
