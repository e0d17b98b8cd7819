import { describe, expect, it } from 'vitest';
import { parsePastedToken } from './pasted-token';

describe('parsePastedToken', () => {
  it('takes a token as copied, without the white space around it, and no expiry when none is given', () => {
    expect(parsePastedToken('  rc_2f1d.9a-Z~+/=\n', '')).toEqual({ ok: true, value: { accessToken: 'rc_2f1d.9a-Z~+/=' } });
    expect(parsePastedToken('token', '   ')).toEqual({ ok: true, value: { accessToken: 'token' } });
  });

  it('takes the expiry as whole seconds, from 1 s to ten years', () => {
    expect(parsePastedToken('token', '3600')).toEqual({ ok: true, value: { accessToken: 'token', expiresIn: 3600 } });
    expect(parsePastedToken('token', ' 1 ')).toEqual({ ok: true, value: { accessToken: 'token', expiresIn: 1 } });
    expect(parsePastedToken('token', '315360000')).toEqual({ ok: true, value: { accessToken: 'token', expiresIn: 315_360_000 } });
  });

  it('refuses an empty token', () => {
    for (const empty of ['', ' \n\t ']) {
      expect(parsePastedToken(empty, '')).toEqual({ ok: false, error: 'Paste an access token first. Nothing was added.' });
    }
  });

  it('refuses a token with a space in it, such as one pasted with "Bearer"', () => {
    for (const spaced of ['Bearer abc', 'abc def']) {
      expect(parsePastedToken(spaced, '')).toEqual({
        ok: false,
        error: 'The access token has a space in it. Paste the token alone, without "Bearer" or other words. Nothing was added.',
      });
    }
  });

  it('refuses a token with a character no header can carry', () => {
    for (const bad of ['abc\ndef', 'abc\tdef', 'abc\u0000', 'tökén', 'abc\u2028def']) {
      const result = parsePastedToken(bad, '');
      expect(result.ok).toBe(false);
      expect(!result.ok && result.error).toMatch(/^The access token has a character a token cannot have/);
    }
  });

  it('refuses an expiry that is not a whole number of seconds in range', () => {
    for (const bad of ['60 min', '1h', '-5', '0', '1.5', '1e3', '0x10', '315360001', '99999999999999999999', '３６００']) {
      expect(parsePastedToken('token', bad)).toEqual({
        ok: false,
        error: 'Expires in must be a whole number of seconds, such as 3600 for an hour, or empty when you do not know. Nothing was added.',
      });
    }
  });
});
