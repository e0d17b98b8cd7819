import { describe, expect, it } from 'vitest';
import {
  accountStatus,
  createAccount,
  createPastedAccount,
  formatTimeLeft,
  hasTokens,
  needsAttention,
  offersReconnect,
  renewAt,
  retryDelayMs,
  scopesToAsk,
  sentToken,
  tokenHint,
  withIdentityLabel,
  withNewTokens,
  withoutTokens,
  type Account,
} from './account';
import { readycloud, skyvault } from '../../test/fixtures/seed-accounts';

const now = Date.UTC(2026, 10, 23, 12);

// The seed document's token response, as the token checker returns it.
const seedTokens = {
  accessToken: '87727764-3876-43b9-82a1-1ca917302ce5',
  tokenType: 'bearer' as const,
  expiresIn: 3600,
  refreshToken: '596f6074-f432-4aeb-a162-8196213c659c',
  scope: ['public_api'],
};

describe('the access an account asked for (scopeOptions)', () => {
  const implicitToken = { accessToken: 'rc-token-0001', tokenType: 'bearer' as const, expiresIn: 3600 };

  it('keeps the chosen scopes, and takes them as granted when the answer names none (RFC 6749 5.1)', () => {
    const account = createAccount(readycloud, implicitToken, [], now, 'a1', ['orders:full']);
    expect(account.askedScopes).toEqual(['orders:full']);
    expect(account.scopes).toEqual(['orders:full']);
    expect(scopesToAsk(account, readycloud)).toEqual(['orders:full']);
  });

  it('shows the granted scopes of the answer, not the asked ones', () => {
    const account = createAccount(readycloud, { ...implicitToken, scope: ['orders:read'] }, [], now, 'a1', ['orders:full']);
    expect(account.scopes).toEqual(['orders:read']);
    expect(scopesToAsk(account, readycloud)).toEqual(['orders:full']);
  });

  it('asks for the same access again after new tokens, whatever they grant', () => {
    const account = createAccount(readycloud, implicitToken, [], now, 'a1', ['orders:read']);
    const renewed = withNewTokens(account, readycloud, { ...implicitToken, scope: ['orders:read', 'orders:list'] }, now + 1000);
    expect(renewed.scopes).toEqual(['orders:read', 'orders:list']);
    expect(scopesToAsk(renewed, readycloud)).toEqual(['orders:read']);
  });

  it("without a choice (or stored before there was one), asks for the provider's scopes", () => {
    const account = createAccount(readycloud, implicitToken, [], now, 'a1');
    expect(account).not.toHaveProperty('askedScopes');
    expect(scopesToAsk(account, readycloud)).toEqual(['orders:read']);
    expect(scopesToAsk(account, { ...readycloud, scopes: ['orders:full'] })).toEqual(['orders:full']);
  });
});

describe('createAccount', () => {
  it('stores the tokens, granted scopes and expiry of a SkyVault token response', () => {
    const account = createAccount(skyvault, seedTokens, [], now, 'a1');
    expect(account).toEqual({
      id: 'a1',
      providerId: 'skyvault',
      label: 'Account 1',
      accessToken: seedTokens.accessToken,
      refreshToken: seedTokens.refreshToken,
      scopes: ['public_api'],
      obtainedAt: now,
      expiresAt: now + 3_600_000,
    });
  });

  it('tracks the refresh token lifetime the provider states (SkyVault: 7 days)', () => {
    const account = createAccount({ ...skyvault, refreshTokenTtl: 604800 }, seedTokens, [], now, 'a1');
    expect(account.refreshExpiresAt).toBe(now + 604_800_000);
  });

  it('numbers labels per provider and falls back to the requested scopes', () => {
    const first = createAccount(skyvault, seedTokens, [], now, 'a1');
    const second = createAccount(skyvault, { accessToken: 'x', tokenType: 'bearer' }, [first], now, 'a2');
    expect(second.label).toBe('Account 2');
    expect(second.scopes).toEqual(['public_api']);
    expect(second.expiresAt).toBeUndefined();
    expect(second.refreshToken).toBeUndefined();
  });

  it('is labelled by who signed in, and a second account of the same identity is told apart', () => {
    const first = createAccount(skyvault, { ...seedTokens, identity: 'ada@example.com' }, [], now, 'a1');
    expect(first.label).toBe('ada@example.com');
    expect(first).not.toHaveProperty('identity');
    const other = createAccount(readycloud, { ...seedTokens, identity: 'ada@example.com' }, [first], now, 'a2');
    expect(other.label).toBe('ada@example.com');
    const second = createAccount(skyvault, { ...seedTokens, identity: 'ada@example.com' }, [first, other], now, 'a3');
    expect(second.label).toBe('ada@example.com (2)');
  });

  it('keeps a label across new tokens, whoever the new id_token names', () => {
    const renamed = { ...createAccount(skyvault, seedTokens, [], now, 'a1'), label: 'Admin' };
    expect(withNewTokens(renamed, skyvault, { ...seedTokens, identity: 'ada@example.com' }, now).label).toBe('Admin');
  });
});

describe('withIdentityLabel (Reconnect)', () => {
  const first = createAccount(skyvault, seedTokens, [], now, 'a1');
  const named = createAccount(skyvault, { ...seedTokens, identity: 'ada@example.com' }, [first], now, 'a2');

  it('names an account still labelled "Account N" after who signed in, apart from the provider\'s other accounts', () => {
    expect(withIdentityLabel(first, 'grace@example.com', [first, named]).label).toBe('grace@example.com');
    expect(withIdentityLabel(first, 'ada@example.com', [first, named]).label).toBe('ada@example.com (2)');
  });

  it('keeps a label the user chose or one naming someone, and "Account N" when nobody is named', () => {
    const renamed = { ...first, label: 'Admin' };
    expect(withIdentityLabel(renamed, 'grace@example.com', [renamed, named])).toBe(renamed);
    expect(withIdentityLabel(named, 'grace@example.com', [first, named])).toBe(named);
    expect(withIdentityLabel(first, undefined, [first, named])).toBe(first);
  });
});

describe('createPastedAccount', () => {
  it('labels and times a pasted token like a new account, with no refresh token, no scopes and the pasted mark', () => {
    const first = createAccount(readycloud, seedTokens, [], now, 'a1');
    expect(createPastedAccount(readycloud, { accessToken: 'pasted-token', expiresIn: 600 }, [first], now, 'a2')).toEqual({
      id: 'a2',
      providerId: 'readycloud',
      label: 'Account 2',
      accessToken: 'pasted-token',
      scopes: [],
      obtainedAt: now,
      expiresAt: now + 600_000,
      pasted: true,
    });
  });

  it('says "expiry unknown" without an expiry (a provider token without one says "no expiry"), and turns expired with one', () => {
    const unknown = createPastedAccount(readycloud, { accessToken: 'pasted-token' }, [], now, 'a1');
    expect(formatTimeLeft(unknown, now)).toBe('expiry unknown');
    expect(accountStatus(unknown, now + 1e12)).toBe('active');
    expect(formatTimeLeft(createAccount(readycloud, { accessToken: 'x', tokenType: 'bearer' }, [], now, 'a2'), now)).toBe('no expiry');
    const timed = createPastedAccount(readycloud, { accessToken: 'pasted-token', expiresIn: 60 }, [], now, 'a3');
    expect(accountStatus(timed, now + 60_000)).toBe('expired');
    expect(needsAttention(timed, now + 60_000)).toBe(true);
  });

  it('is never scheduled for renewal and never offers Reconnect, even once expired', () => {
    const timed = createPastedAccount(readycloud, { accessToken: 'pasted-token', expiresIn: 60 }, [], now, 'a1');
    expect(renewAt(timed)).toBeUndefined();
    expect(offersReconnect(timed, now + 60_000)).toBe(false);
  });

  it('offers Reconnect once its token was dropped (its provider moved), and a sign-in makes it an account like any other', () => {
    const dropped = withoutTokens(createPastedAccount(readycloud, { accessToken: 'pasted-token' }, [], now, 'a1'), 'Press Reconnect.');
    expect(offersReconnect(dropped, now)).toBe(true);
    const signedIn = withNewTokens(dropped, readycloud, { accessToken: 'signed-in', tokenType: 'bearer', expiresIn: 3600 }, now);
    expect(signedIn.pasted).toBeUndefined();
    expect(renewAt(signedIn)).toBe(now + 3_240_000);
  });
});

describe('accountStatus', () => {
  const account: Account = { ...createAccount(skyvault, seedTokens, [], now, 'a1') };
  it('is active for most of the lifetime, expiring in its last tenth, then expired', () => {
    expect(accountStatus(account, now)).toBe('active');
    expect(accountStatus(account, now + 3_239_000)).toBe('active');
    expect(accountStatus(account, now + 3_241_000)).toBe('expiring');
    expect(accountStatus(account, now + 3_600_000)).toBe('expired');
  });
  it('reports a recorded problem over the clock', () => {
    expect(accountStatus({ ...account, problem: { kind: 'needs reconnect', message: 'x' } }, now)).toBe('needs reconnect');
  });
  it('treats a token without expiry as active', () => {
    const { expiresAt: _, ...forever } = account;
    expect(accountStatus(forever, now + 1e12)).toBe('active');
  });
});

describe('formatTimeLeft', () => {
  const at = (ms: number): Account => ({ ...createAccount(skyvault, seedTokens, [], now, 'a'), expiresAt: now + ms });
  it.each([
    [3_600_000, '1 h'],
    [3_540_000, '59 min'],
    [3_900_000, '1 h 5 min'],
    [45_000, '45 s'],
    [0, 'expired'],
    [-5000, 'expired'],
    [30 * 86_400_000, '30 d'],
    [4 * 86_400_000 + 3 * 3_600_000, '4 d 3 h'],
  ])('%i ms → %s', (ms, text) => expect(formatTimeLeft(at(ms), now)).toBe(text));
});

it('tokenHint never shows more than four characters of a token', () => {
  expect(tokenHint(seedTokens.accessToken)).toBe('8772… (36 chars)');
});

describe('withNewTokens', () => {
  const provider = { ...skyvault, refreshTokenTtl: 604800 };
  const account: Account = {
    ...createAccount(provider, seedTokens, [], now, 'a1'),
    problem: { kind: 'error', message: 'x' },
    retry: { attempt: 2, nextAt: now, message: 'y' },
  };
  const later = now + 3_000_000;
  it('keeps the refresh token and its expiry when the provider does not rotate it', () => {
    const next = withNewTokens(account, provider, { accessToken: 'new-access', tokenType: 'bearer', expiresIn: 3600 }, later);
    expect(next).toEqual({
      id: 'a1',
      providerId: 'skyvault',
      label: 'Account 1',
      accessToken: 'new-access',
      refreshToken: seedTokens.refreshToken,
      scopes: ['public_api'],
      obtainedAt: later,
      expiresAt: later + 3_600_000,
      refreshExpiresAt: now + 604_800_000,
    });
  });
  it('replaces a rotated refresh token and restarts its lifetime', () => {
    const next = withNewTokens(account, provider, { ...seedTokens, accessToken: 'new-access', refreshToken: 'new-refresh' }, later);
    expect(next.refreshToken).toBe('new-refresh');
    expect(next.refreshExpiresAt).toBe(later + 604_800_000);
    expect(next.problem).toBeUndefined();
    expect(next.retry).toBeUndefined();
  });
  it('replaces the id_token with a new one, and keeps it when the answer has none (OIDC Core 12.2)', () => {
    const withId = createAccount(provider, { ...seedTokens, idToken: 'id.token.1' }, [], now, 'a1');
    expect(withId.idToken).toBe('id.token.1');
    expect(withNewTokens(withId, provider, { ...seedTokens, idToken: 'id.token.2' }, later).idToken).toBe('id.token.2');
    expect(withNewTokens(withId, provider, { accessToken: 'new-access', tokenType: 'bearer' }, later).idToken).toBe('id.token.1');
    expect(withNewTokens(account, provider, seedTokens, later)).not.toHaveProperty('idToken');
  });
});

describe('renewAt', () => {
  const at = (lifetimeMs: number): Account => ({ ...createAccount(skyvault, seedTokens, [], now, 'a'), expiresAt: now + lifetimeMs });
  it('renews an hour-long token in its last tenth', () => expect(renewAt(at(3_600_000))).toBe(now + 3_240_000));
  it('renews a 20-minute token in its last tenth too', () => expect(renewAt(at(1_200_000))).toBe(now + 1_080_000));
  it('renews a 5-minute token a minute early', () => expect(renewAt(at(300_000))).toBe(now + 240_000));
  it('renews a short-lived token at half its life', () => expect(renewAt(at(10_000))).toBe(now + 5_000));
  it('follows a pending retry, and stops for a problem or a token without expiry', () => {
    expect(renewAt({ ...at(3_600_000), retry: { attempt: 1, nextAt: now + 30_000, message: '' } })).toBe(now + 30_000);
    expect(renewAt({ ...at(3_600_000), problem: { kind: 'needs reconnect', message: '' } })).toBeUndefined();
    expect(renewAt({ ...at(3_600_000), needsSignIn: { message: '' } })).toBeUndefined();
    const { expiresAt: _, ...forever } = at(1);
    expect(renewAt(forever)).toBeUndefined();
  });
});

it('backs off 30 s, 1 min, 2 min … up to 15 min', () => {
  expect([1, 2, 3, 4, 5, 6, 7, 20].map(retryDelayMs)).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
});

describe('attention and Reconnect', () => {
  const hour = 3_600_000;
  const base = createAccount(skyvault, seedTokens, [], now, 'a');
  const accounts: [string, Account][] = [
    ['active', base],
    ['expiring', { ...base, obtainedAt: now - hour + 60_000 }],
    ['expired', { ...base, expiresAt: now - 1 }],
    ['needs reconnect', { ...base, problem: { kind: 'needs reconnect', message: '' } }],
    ['error', { ...base, problem: { kind: 'error', message: '' } }],
    ['active, not renewable without a sign-in', { ...base, needsSignIn: { message: '' } }],
  ];
  it('marks expired, needs reconnect, error and not renewable for attention, not active or expiring', () => {
    expect(accounts.filter(([, a]) => needsAttention(a, now)).map(([name]) => name)).toEqual([
      'expired',
      'needs reconnect',
      'error',
      'active, not renewable without a sign-in',
    ]);
  });
  it('offers Reconnect when only a sign-in helps', () => {
    expect(accounts.filter(([, a]) => offersReconnect(a, now)).map(([name]) => name)).toEqual([
      'expired',
      'needs reconnect',
      'active, not renewable without a sign-in',
    ]);
  });
  it('a new token clears the pending sign-in', () => {
    expect(withNewTokens({ ...base, needsSignIn: { message: 'x' } }, skyvault, seedTokens, now).needsSignIn).toBeUndefined();
  });
});

describe('withoutTokens', () => {
  const message = 'SkyVault now sends its tokens elsewhere. Press Reconnect.';
  it('forgets the access, refresh and ID tokens and the expiry, keeps the label, and needs Reconnect until it gets new ones', () => {
    const account = {
      ...createAccount(skyvault, { ...seedTokens, idToken: 'id.token.1' }, [], now, 'a1'),
      label: 'fred',
      retry: { attempt: 1, nextAt: now, message: 'later' },
    };
    const dropped = withoutTokens(account, message);
    expect(dropped).toEqual({
      id: 'a1',
      providerId: 'skyvault',
      label: 'fred',
      accessToken: '',
      scopes: ['public_api'],
      obtainedAt: now,
      problem: { kind: 'needs reconnect', message },
    });
    expect(hasTokens(account)).toBe(true);
    expect(hasTokens(dropped)).toBe(false);
    expect(accountStatus(dropped, now)).toBe('needs reconnect');
    expect(offersReconnect(dropped, now)).toBe(true);
    expect(renewAt(dropped)).toBeUndefined();
    expect(formatTimeLeft(dropped, now)).toBe('no token');
    // Reconnect's new tokens clear the problem.
    const reconnected = withNewTokens(dropped, skyvault, seedTokens, now + 1000);
    expect(hasTokens(reconnected)).toBe(true);
    expect(accountStatus(reconnected, now + 1000)).toBe('active');
  });
});

describe('sentToken (what Copy token copies, and the header carries)', () => {
  const account = { ...createAccount(skyvault, seedTokens, [], now, 'a1'), idToken: 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.' };
  const idTokenHeader = { header: { name: 'Authorization', prefix: 'Bearer', token: 'id_token' as const } };

  it("is the access token by default, and the id_token when the provider's header sends it", () => {
    expect(sentToken(account, skyvault)).toBe(seedTokens.accessToken);
    // A removed provider's account: its access token, as before.
    expect(sentToken(account)).toBe(seedTokens.accessToken);
    expect(sentToken(account, idTokenHeader)).toBe(account.idToken);
  });

  it('has no token when the header sends the id_token and the answers held none', () => {
    const { idToken: _none, ...withoutIdToken } = account;
    expect(sentToken(withoutIdToken, idTokenHeader)).toBeUndefined();
  });
});
