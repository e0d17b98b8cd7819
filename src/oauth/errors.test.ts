import { describe, expect, it } from 'vitest';
import { SKYVAULT_TOKEN_RESPONSE } from '../../test/fixtures/seed-providers';
import {
  describeOAuthError,
  OAuthError,
  redactSecrets,
  sanitizeDescription,
  sanitizeErrorCode,
  type OAuthErrorCode,
  type OAuthErrorDetails,
} from './errors';

const ACCESS_TOKEN = SKYVAULT_TOKEN_RESPONSE.access_token;
const REFRESH_TOKEN = SKYVAULT_TOKEN_RESPONSE.refresh_token;

function error(code: OAuthErrorCode, message: string, details: Partial<OAuthErrorDetails> = {}): OAuthError {
  return new OAuthError(code, message, { step: 'exchange', ...details });
}

describe('describeOAuthError: one message per code', () => {
  const cases: [string, OAuthError, string, string][] = [
    [
      'access_denied',
      error('access_denied', 'x', { step: 'authorize', providerError: 'access_denied' }),
      'ReadyCloud',
      'ReadyCloud denied access (access_denied). Nothing was changed.',
    ],
    [
      'provider_error',
      error('provider_error', 'x', { step: 'authorize', providerError: 'invalid_scope', providerDescription: 'Unknown scope' }),
      'ReadyCloud',
      'ReadyCloud refused the sign-in (invalid_scope: Unknown scope). Check the provider settings (client ID, flow, scopes). Nothing was changed.',
    ],
    [
      'provider_error that says "not now"',
      error('provider_error', 'x', { step: 'authorize', providerError: 'temporarily_unavailable', providerDescription: 'Try later' }),
      'ReadyCloud',
      'ReadyCloud could not handle the sign-in just now (temporarily_unavailable: Try later). Try again later. Nothing was changed.',
    ],
    [
      'state_mismatch',
      error('state_mismatch', 'x', { step: 'authorize' }),
      'ReadyCloud',
      'The answer did not match this sign-in (state mismatch); it was ignored. Try connecting again. Nothing was changed.',
    ],
    [
      'issuer_mismatch',
      error('issuer_mismatch', 'x', { step: 'authorize' }),
      'SkyVault',
      'The answer did not come from SkyVault (issuer mismatch); it was ignored. Nothing was changed.',
    ],
    [
      'issuer_missing',
      error('issuer_missing', 'x', { step: 'authorize' }),
      'SkyVault',
      `SkyVault's answer had no "iss", which its settings require; it was ignored. If SkyVault never sends one, add it again from its issuer URL, or set "requireIss": false in its Provider JSON. Nothing was changed.`,
    ],
    [
      'missing_code',
      error('missing_code', 'x', { step: 'authorize' }),
      'SkyVault',
      'SkyVault sent no sign-in code (missing code). Try connecting again. Nothing was changed.',
    ],
    [
      'missing_token',
      error('missing_token', 'x', { step: 'authorize' }),
      'ReadyCloud',
      'ReadyCloud sent no access token (missing access_token). Try connecting again. Nothing was changed.',
    ],
    [
      'invalid_redirect',
      error('invalid_redirect', '"token_type" must be "Bearer" (got "mac")', { step: 'authorize' }),
      'ReadyCloud',
      'ReadyCloud sent back an unusable answer: "token_type" must be "Bearer" (got "mac"). Try again; if it keeps happening, check the provider settings or contact ReadyCloud. Nothing was changed.',
    ],
    [
      'invalid_grant (exchange)',
      error('invalid_grant', 'x', { status: 400, providerError: 'invalid_grant', providerDescription: 'Code expired' }),
      'SkyVault',
      'SkyVault rejected the sign-in code (invalid_grant: Code expired). Try connecting again. Nothing was changed.',
    ],
    [
      'invalid_grant (refresh)',
      error('invalid_grant', 'x', { step: 'refresh', status: 400, providerError: 'invalid_grant' }),
      'SkyVault',
      "SkyVault no longer accepts this account's refresh token (invalid_grant). Reconnect the account.",
    ],
    [
      'token_endpoint_error 500',
      error('token_endpoint_error', 'x', { status: 500 }),
      'SkyVault',
      "SkyVault's token endpoint answered HTTP 500. Try again later. Nothing was changed.",
    ],
    [
      'token_endpoint_error 500 with an OAuth error',
      error('token_endpoint_error', 'x', { status: 500, providerError: 'server_error' }),
      'SkyVault',
      "SkyVault's token endpoint answered HTTP 500 (server_error). Try again later. Nothing was changed.",
    ],
    [
      'token_endpoint_error 400 with an OAuth error',
      error('token_endpoint_error', 'x', { status: 400, providerError: 'unsupported_grant_type' }),
      'SkyVault',
      "SkyVault's token endpoint refused the request (unsupported_grant_type). Nothing was changed.",
    ],
    [
      'token_endpoint_error 403 without one',
      error('token_endpoint_error', 'x', { status: 403 }),
      'SkyVault',
      "SkyVault's token endpoint answered HTTP 403. Check the provider settings and try again. Nothing was changed.",
    ],
    [
      'token_endpoint_error on refresh',
      error('token_endpoint_error', 'x', { step: 'refresh', status: 502 }),
      'SkyVault',
      "SkyVault's token endpoint answered HTTP 502. Try again later. The account keeps its current token.",
    ],
    [
      'invalid_token_response',
      error('invalid_token_response', '"expires_in" must be a positive number', { status: 200 }),
      'SkyVault',
      'SkyVault sent an unusable token response: "expires_in" must be a positive number. Try again; if it keeps happening, check the provider\'s Token URL or contact SkyVault. Nothing was changed.',
    ],
    [
      'network',
      error('network', 'the request to the token endpoint failed (ECONNREFUSED)'),
      'SkyVault',
      'Could not reach SkyVault (network error). Check that it is running and try again. Nothing was changed.',
    ],
    [
      'provider_config',
      error('provider_config', 'it has no token URL'),
      'SkyVault',
      'SkyVault is not set up for this: it has no token URL. Edit the provider and try again. Nothing was changed.',
    ],
  ];

  it.each(cases)('%s', (_label, oauthError, provider, message) => {
    expect(describeOAuthError(oauthError, provider)).toBe(message);
  });

  it('covers every code', () => {
    const codes = new Set(cases.map(([, oauthError]) => oauthError.code));
    // A record, so the compiler says when a new code is missing here.
    const every: Record<OAuthErrorCode, true> = {
      access_denied: true,
      provider_error: true,
      state_mismatch: true,
      issuer_mismatch: true,
      issuer_missing: true,
      missing_code: true,
      missing_token: true,
      invalid_redirect: true,
      invalid_grant: true,
      token_endpoint_error: true,
      invalid_token_response: true,
      network: true,
      provider_config: true,
    };
    const all = Object.keys(every);
    expect([...codes].sort()).toEqual([...all].sort());
  });

  it('gives a generic message for anything else, without its raw text', () => {
    const raw = new Error(`unexpected token in ${ACCESS_TOKEN}`);
    expect(describeOAuthError(raw, 'SkyVault')).toBe('Something went wrong while talking to SkyVault. Try again. Nothing was changed.');
    expect(describeOAuthError('boom', 'SkyVault')).not.toContain('boom');
  });
});

describe('describeOAuthError: embedding provider text', () => {
  it('drops a final period of an embedded description or message', () => {
    const reused = error('invalid_grant', 'x', {
      providerError: 'invalid_grant',
      providerDescription: 'The authorization code has already been used.',
    });
    expect(describeOAuthError(reused, 'SkyVault')).toBe(
      'SkyVault rejected the sign-in code (invalid_grant: The authorization code has already been used). Try connecting again. Nothing was changed.',
    );
    const ended = new OAuthError('invalid_redirect', 'The sign-in ended without an answer.');
    expect(describeOAuthError(ended, 'SkyVault')).toBe(
      'SkyVault sent back an unusable answer: The sign-in ended without an answer. Try again; if it keeps happening, check the provider settings or contact SkyVault. Nothing was changed.',
    );
  });
});

describe('OAuthError', () => {
  it('defaults to the authorize step', () => {
    expect(new OAuthError('state_mismatch', 'x').step).toBe('authorize');
  });

  it('is an Error with its code, step and details', () => {
    const oauthError = error('invalid_grant', 'msg', { status: 400, providerError: 'invalid_grant' });
    expect(oauthError).toBeInstanceOf(Error);
    expect(oauthError).toMatchObject({ name: 'OAuthError', code: 'invalid_grant', step: 'exchange', status: 400, message: 'msg' });
    expect(oauthError).not.toHaveProperty('providerDescription');
  });
});

describe('redactSecrets and sanitizing provider strings', () => {
  it('replaces given secrets and token-looking values', () => {
    expect(redactSecrets(`bad token ${ACCESS_TOKEN} and ${REFRESH_TOKEN}`)).toBe('bad token [redacted] and [redacted]');
    expect(redactSecrets('secret is hunter2-xyz here', ['hunter2-xyz'])).toBe('secret is [redacted] here');
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlMTIz';
    expect(redactSecrets(`jwt ${jwt}`)).toBe('jwt [redacted]');
  });

  it('keeps ordinary words and digit-free URLs', () => {
    const text = 'The authorization code has expired; see https://docs.skyvault.example/errors/invalid_grant';
    expect(redactSecrets(text)).toBe(text);
  });

  it('ignores very short secrets (they would shred the text)', () => {
    expect(redactSecrets('a b c', ['a'])).toBe('a b c');
  });

  it('sanitizeDescription makes one capped line', () => {
    const description = sanitizeDescription(`line one\nline\ttwo ${'z'.repeat(400)}`);
    expect(description.startsWith('line one line two ')).toBe(true);
    expect(description.length).toBe(200);
    expect(description.endsWith('…')).toBe(true);
  });

  it('sanitizeErrorCode keeps RFC 6749 error characters only', () => {
    expect(sanitizeErrorCode('invalid_grant')).toBe('invalid_grant');
    expect(sanitizeErrorCode('bad"\\code\n')).toBe('badcode');
    expect(sanitizeErrorCode('"\\')).toBe('unknown_error');
    expect(sanitizeErrorCode('x'.repeat(100)).length).toBe(64);
  });
});
