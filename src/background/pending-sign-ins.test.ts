import { describe, expect, it } from 'vitest';
import type { PendingAuthorization } from '../oauth/authorize';
import { isExpired, SIGN_IN_MAX_AGE_MS, sortStoredSignIns } from './pending-sign-ins';

const NOW = 1_800_000_000_000;

function pending(state: string, age: number): PendingAuthorization {
  return { providerId: 'skyvault', state, redirectUri: 'https://x.chromiumapp.org/', codeVerifier: 'v'.repeat(43), createdAt: NOW - age };
}

describe('isExpired', () => {
  it.each([
    [0, false],
    [SIGN_IN_MAX_AGE_MS - 1, false],
    [SIGN_IN_MAX_AGE_MS, true],
    [60 * 60_000, true],
    // The clock went back a little: still fine; far in the future: not a real start time.
    [-5_000, false],
    [-SIGN_IN_MAX_AGE_MS, true],
  ])('a sign-in started %i ms ago: %s', (age, expired) => {
    expect(isExpired({ createdAt: NOW - age }, NOW)).toBe(expired);
  });

  it('a start time that is not a number is expired', () => {
    expect(isExpired({ createdAt: Number.NaN }, NOW)).toBe(true);
    expect(isExpired({ createdAt: 'yesterday' as unknown as number }, NOW)).toBe(true);
  });
});

describe('sortStoredSignIns', () => {
  it('leaves the sign-ins this worker runs alone, whatever their age', () => {
    const stored = [
      ['a', pending('a', 0)],
      ['b', pending('b', SIGN_IN_MAX_AGE_MS * 2)],
    ] as const;
    expect(sortStoredSignIns(stored, new Set(['a', 'b']), NOW)).toEqual({ forget: [], lost: [] });
  });

  it('forgets the others: recent ones are lost (reported), old ones stale (silent)', () => {
    const stored = [
      ['mine', pending('mine', 0)],
      ['recent', pending('recent', 60_000)],
      ['old', pending('old', SIGN_IN_MAX_AGE_MS + 1)],
    ] as const;
    expect(sortStoredSignIns(stored, new Set(['mine']), NOW)).toEqual({ forget: ['recent', 'old'], lost: ['recent'] });
  });

  it('forgets malformed entries without reporting them', () => {
    const stored: [string, unknown][] = [
      ['null', null],
      ['text', 'pending'],
      ['no-time', { ...pending('no-time', 0), createdAt: undefined }],
      ['other-state', pending('someone-else', 0)],
    ];
    expect(sortStoredSignIns(stored, new Set(), NOW)).toEqual({ forget: ['null', 'text', 'no-time', 'other-state'], lost: [] });
  });

  it('nothing stored, nothing to do', () => {
    expect(sortStoredSignIns([], new Set(['a']), NOW)).toEqual({ forget: [], lost: [] });
  });
});
