import { describe, expect, it } from 'vitest';
import { defaultLabel, identityFromClaims, isNumberedLabel, MAX_LABEL_LENGTH, parseAccountLabel } from './account-label';

describe('parseAccountLabel', () => {
  it.each([
    ['Admin', 'Admin'],
    ['  Ada (staging)\u00a0', 'Ada (staging)'],
    ['Zoë 管理者 👩‍💻', 'Zoë 管理者 👩‍💻'],
    ['x'.repeat(MAX_LABEL_LENGTH), 'x'.repeat(MAX_LABEL_LENGTH)],
    // Characters, not UTF-16 units: 80 emoji fit.
    ['😀'.repeat(MAX_LABEL_LENGTH), '😀'.repeat(MAX_LABEL_LENGTH)],
  ])('keeps %j as %j', (typed, kept) => {
    expect(parseAccountLabel(typed)).toEqual({ ok: true, value: kept });
  });

  it.each(['', '   ', '\n\t'])('refuses the empty label %j', (typed) => {
    expect(parseAccountLabel(typed)).toEqual({ ok: false, error: 'Type a label for the account. Nothing was changed.' });
  });

  it.each(['Ad\nmin', 'Ad\tmin', 'Ad\u0000min', 'Ad\u007fmin', 'Ad\u009bmin'])('refuses %j, which holds a control character', (typed) => {
    expect(parseAccountLabel(typed)).toEqual({
      ok: false,
      error: 'The label has a control character (a line break or a tab). Type it on one line. Nothing was changed.',
    });
  });

  it('refuses a label longer than 80 characters, saying how long it is', () => {
    expect(parseAccountLabel('x'.repeat(81))).toEqual({
      ok: false,
      error: 'The label has 81 characters; at most 80 fit. Nothing was changed.',
    });
  });
});

describe('identityFromClaims', () => {
  it('takes email, else preferred_username, else name', () => {
    const all = { sub: '248289761001', email: 'ada@example.com', preferred_username: 'ada', name: 'Ada Lovelace' };
    expect(identityFromClaims(all)).toBe('ada@example.com');
    expect(identityFromClaims({ ...all, email: undefined })).toBe('ada');
    expect(identityFromClaims({ sub: '1', name: ' Ada Lovelace ' })).toBe('Ada Lovelace');
  });

  it('passes over a claim that is not text or not a valid label, and names nobody from sub alone', () => {
    expect(identityFromClaims({ email: ['ada@example.com'], preferred_username: '', name: 'Ada' })).toBe('Ada');
    expect(identityFromClaims({ email: 'a'.repeat(81), preferred_username: 'ada\u0007' })).toBeUndefined();
    expect(identityFromClaims({ sub: '248289761001' })).toBeUndefined();
  });
});

describe('defaultLabel', () => {
  it('is the identity, or "Account N" with the lowest N no other account of the provider has', () => {
    expect(defaultLabel('ada@example.com', [])).toBe('ada@example.com');
    expect(defaultLabel(undefined, [])).toBe('Account 1');
    expect(defaultLabel(undefined, ['ada@example.com', 'Account 1'])).toBe('Account 2');
    expect(defaultLabel(undefined, ['Account 2', 'Account 1', 'Account 4'])).toBe('Account 3');
  });

  it('after a Disconnect takes the freed number, so no two accounts share a label', () => {
    // Account 1 of three was disconnected: the next one is Account 1 again, not a second Account 3.
    expect(defaultLabel(undefined, ['Account 2', 'Account 3'])).toBe('Account 1');
  });

  it('counts only labels that are exactly "Account N"', () => {
    expect(defaultLabel(undefined, ['Account 1 (old)', 'account 1', 'Account 01', 'Account 0', 'My Account 1'])).toBe('Account 1');
  });

  it('tells two accounts of one identity apart with the first free number', () => {
    expect(defaultLabel('ada@example.com', ['ada@example.com'])).toBe('ada@example.com (2)');
    expect(defaultLabel('ada@example.com', ['ada@example.com', 'ada@example.com (2)'])).toBe('ada@example.com (3)');
    expect(defaultLabel('ada@example.com', ['ada@example.com (2)'])).toBe('ada@example.com');
  });
});

describe('isNumberedLabel', () => {
  it('is true only for "Account N", the label of nobody', () => {
    expect(['Account 1', 'Account 12'].map(isNumberedLabel)).toEqual([true, true]);
    expect(['Account', 'Account 0', 'Account 01', 'Account 1 ', 'Admin', 'ada@example.com'].map(isNumberedLabel)).toEqual(Array(6).fill(false));
  });
});
