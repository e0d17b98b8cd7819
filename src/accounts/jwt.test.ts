import { describe, expect, it } from 'vitest';
import { base64url, signedJwt, unsignedJwt } from '../../test/support/jwt';
import { decodeJwt, describeClaim, isUnsigned, MAX_DECODED_TOKEN_LENGTH } from './jwt';

// RFC 7519 3.1's example JWT (HS256), as printed there.
const RFC_7519_EXAMPLE =
  'eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9' +
  '.eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ' +
  '.dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';

const now = Date.UTC(2026, 11, 2, 16, 0, 0);
const seconds = (ms: number) => Math.floor(ms / 1000);

describe('decodeJwt', () => {
  it("reads RFC 7519's example: header and claims, unverified", () => {
    expect(decodeJwt(RFC_7519_EXAMPLE)).toEqual({
      kind: 'jwt',
      header: { typ: 'JWT', alg: 'HS256' },
      claims: { iss: 'joe', exp: 1300819380, 'http://example.com/is_root': true },
    });
  });

  it('reads an RS256 id_token made with node:crypto, UTF-8 included', () => {
    const token = signedJwt({ iss: 'https://id.example', sub: 'ada', aud: 'client', name: 'Ada Lovelace ✓', exp: seconds(now) + 720 });
    const decoded = decodeJwt(token);
    expect(decoded).toEqual({
      kind: 'jwt',
      header: { alg: 'RS256', typ: 'JWT', kid: 'test-key' },
      claims: { iss: 'https://id.example', sub: 'ada', aud: 'client', name: 'Ada Lovelace ✓', exp: seconds(now) + 720 },
    });
    expect(decoded.kind === 'jwt' && isUnsigned(decoded.header)).toBe(false);
  });

  it('shows alg none as it is, and says it is unsigned; a header with no alg counts as unsigned too', () => {
    const decoded = decodeJwt(unsignedJwt({ sub: 'admin' }));
    expect(decoded).toEqual({ kind: 'jwt', header: { alg: 'none' }, claims: { sub: 'admin' } });
    expect(decoded.kind === 'jwt' && isUnsigned(decoded.header)).toBe(true);
    expect(isUnsigned({ alg: 'NONE' })).toBe(true);
    expect(isUnsigned({ typ: 'JWT' })).toBe(true);
  });

  it.each([
    ['a UUID (SkyVault)', '87727764-3876-43b9-82a1-1ca917302ce5', 'opaque token'],
    ['two parts', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0', 'opaque token'],
    ['four parts', 'a.b.c.d', 'opaque token'],
    ['empty', '', 'opaque token'],
    ['a.b.c', 'a.b.c', 'opaque token: its header is not base64url-encoded UTF-8'],
    ['an empty header', `.${base64url({ sub: '1' })}.`, 'opaque token: its header is not base64url-encoded UTF-8'],
    ['base64 with + and /', `${base64url({ alg: 'none' })}.ab+/.x`, 'opaque token: its payload is not base64url-encoded UTF-8'],
    ['padding', `${base64url({ alg: 'none' })}.${base64url({ a: 1 })}==.x`, 'opaque token: its payload is not base64url-encoded UTF-8'],
    [
      'bytes that are not UTF-8',
      `${base64url({ alg: 'none' })}.${base64url(new Uint8Array([0xff, 0xfe, 0x7b]))}.`,
      'opaque token: its payload is not base64url-encoded UTF-8',
    ],
    [
      'a payload that is not JSON',
      `${base64url({ alg: 'none' })}.${Buffer.from('{sub: 1').toString('base64url')}.`,
      'opaque token: its payload is not JSON',
    ],
    ['a header that is not JSON', `${Buffer.from('alg=none').toString('base64url')}.${base64url({})}.`, 'opaque token: its header is not JSON'],
    ['a JSON array payload', `${base64url({ alg: 'none' })}.${base64url([1, 2])}.`, 'opaque token: its payload is not a JSON object'],
    ['a JSON string payload', `${base64url({ alg: 'none' })}.${base64url('sub')}.`, 'opaque token: its payload is not a JSON object'],
    ['a null header', `${base64url(null)}.${base64url({})}.`, 'opaque token: its header is not a JSON object'],
    ['a JWE (five parts)', `${base64url({ alg: 'RSA-OAEP', enc: 'A256GCM' })}.a.b.c.d`, 'encrypted token (JWE), cannot be read'],
  ])('%s', (_label, token, reason) => {
    expect(decodeJwt(token)).toEqual({ kind: 'opaque', reason });
  });

  it('does not decode a token over 64 KB, and says it is too large to show', () => {
    const huge = signedJwt({ sub: 'ada', blob: 'x'.repeat(MAX_DECODED_TOKEN_LENGTH) });
    expect(decodeJwt(huge)).toEqual({ kind: 'opaque', reason: 'too large to show (86 KB; at most 64 KB is decoded)' });
    const justFits = `${base64url({ alg: 'none' })}.${base64url({ pad: '' })}.`;
    expect(decodeJwt(justFits.padEnd(MAX_DECODED_TOKEN_LENGTH, 'A')).kind).toBe('jwt');
  });

  it('keeps __proto__ as a claim of its own, changing no object', () => {
    const decoded = decodeJwt(`${base64url({ alg: 'none' })}.${Buffer.from('{"__proto__":{"polluted":1}}').toString('base64url')}.`);
    expect(decoded.kind === 'jwt' && Object.keys(decoded.claims)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});

describe('describeClaim', () => {
  it('shows times as UTC dates with how far they are, using the popup durations', () => {
    expect(describeClaim('exp', seconds(now) + 12 * 60, now)).toBe('2026-12-02 16:12:00 UTC (in 12 min)');
    expect(describeClaim('iat', seconds(now) - 3 * 3600, now)).toBe('2026-12-02 13:00:00 UTC (3 h ago)');
    expect(describeClaim('nbf', seconds(now), now)).toBe('2026-12-02 16:00:00 UTC (now)');
    expect(describeClaim('auth_time', 1300819380, now)).toBe('2011-03-22 18:43:00 UTC (5733 d 21 h ago)');
  });

  it('shows other values as text or JSON, and a time that is no number as it is', () => {
    expect(describeClaim('sub', 'ada', now)).toBe('ada');
    expect(describeClaim('aud', ['api', 'client'], now)).toBe('["api","client"]');
    expect(describeClaim('exp', '1300819380', now)).toBe('1300819380');
    expect(describeClaim('exp', 1e300, now)).toBe('1e+300');
    expect(describeClaim('email_verified', true, now)).toBe('true');
  });
});
