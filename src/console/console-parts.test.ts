import { describe, expect, it } from 'vitest';
import type { Account } from '../accounts/account';
import { accountWarning } from './account-warning';
import { bodyKind, formatSize, readBody } from './exchange';
import { headerLines, parseHeaderLines } from './header-lines';

describe('parseHeaderLines', () => {
  it('reads "Name: value" lines, skipping blank ones, and writes them back', () => {
    const parsed = parseHeaderLines('Accept: application/json\n\n  X-Trace :  a:b  \r\n');
    expect(parsed).toEqual({
      headers: [
        ['Accept', 'application/json'],
        ['X-Trace', 'a:b'],
      ],
    });
    expect(
      headerLines([
        ['Accept', 'application/json'],
        ['X-Trace', 'a:b'],
      ]),
    ).toBe('Accept: application/json\nX-Trace: a:b');
  });
  it('names the line without a colon, or with a name HTTP does not allow', () => {
    expect(parseHeaderLines('Accept: */*\nno colon here')).toEqual({
      error: 'Headers, line 2: write each header as "Name: value", such as "Accept: application/json".',
    });
    expect(parseHeaderLines('Bad Name: x')).toEqual({
      error: 'Headers, line 1: "Bad Name" is not a header HTTP allows (a name of letters, digits and "-", a value without control characters).',
    });
  });
});

describe('bodies', () => {
  it.each([
    ['application/json; charset=utf-8', 'json'],
    ['application/problem+json', 'json'],
    ['text/html', 'text'],
    ['application/xml', 'text'],
    ['image/png', 'image'],
    ['application/pdf', 'download'],
    ['', 'text'],
  ])('shows %j as %s', (type, kind) => expect(bodyKind(type)).toBe(kind));

  it('parses JSON, and shows JSON that does not parse as text', async () => {
    expect(await readBody(new Blob(['{"a":1}']), 'application/json')).toEqual({ kind: 'json', text: '{"a":1}', value: { a: 1 } });
    expect(await readBody(new Blob(['{"a":']), 'application/json')).toEqual({ kind: 'text', text: '{"a":' });
    const png = new Blob([new Uint8Array([137, 80, 78, 71])]);
    expect(await readBody(png, 'image/png')).toEqual({ kind: 'image', blob: png });
  });

  it('writes sizes for people', () => {
    expect([formatSize(982), formatSize(1536), formatSize(10 * 1024 * 1024)]).toEqual(['982 B', '1.5 KB', '10.0 MB']);
  });
});

describe('accountWarning', () => {
  const now = 1_000_000;
  const account: Account = {
    id: 'a',
    providerId: 'sky',
    label: 'Account 1',
    accessToken: 't',
    refreshToken: 'r',
    scopes: [],
    obtainedAt: 0,
    expiresAt: now + 60_000,
  };
  it('says nothing of an account in use', () => expect(accountWarning(account, 'SkyVault', now)).toBeUndefined());
  it('says an expired token will likely be refused and renewed on the 401', () => {
    expect(accountWarning({ ...account, expiresAt: now - 1 }, 'SkyVault', now)).toBe(
      "SkyVault Account 1's token has expired: the API will likely answer 401. Send then renews it and sends once more; or press Refresh in the popup first.",
    );
  });
  it('says a pasted token cannot be renewed, and an account without tokens needs reconnect', () => {
    const { refreshToken: _r, ...withoutRefresh } = account;
    expect(accountWarning({ ...withoutRefresh, pasted: true, expiresAt: now - 1 }, 'SkyVault', now)).toMatch(
      /^SkyVault Account 1's pasted token has expired, and TokenTap cannot renew it/,
    );
    expect(accountWarning({ ...withoutRefresh, accessToken: '' }, 'SkyVault', now)).toBe(
      'SkyVault Account 1 needs reconnect: it holds no token to send. Press Reconnect in the popup first.',
    );
  });
});
