import { describe, expect, it } from 'vitest';
import { createAccount, withoutTokens, type Account } from '../accounts/account';
import { parseProviderJson } from '../providers/provider';
import { SEED_PROVIDERS_JSON, SKYVAULT_TOKEN_RESPONSE } from '../../test/fixtures/seed-providers';
import { accountsApprovedFor, approve, winsOver, withoutAccount, withoutApproval, type Approval } from './approval';

const [readycloud, skyvault] = parseProviderJson(SEED_PROVIDERS_JSON);
const tokens = { accessToken: SKYVAULT_TOKEN_RESPONSE.access_token, tokenType: 'bearer' as const, expiresIn: 3600 };

// Two SkyVault accounts and one ReadyCloud account, built as a sign-in builds them.
const accounts: Account[] = [];
for (const [provider, id] of [[skyvault!, 'sky-1'], [skyvault!, 'sky-2'], [readycloud!, 'ready-1']] as const) {
  accounts.push(createAccount(provider, tokens, accounts, 0, id));
}

const app = 'https://app.example.com';
const other = 'http://localhost:3000';

describe('approve', () => {
  it('adds the approval, stamped now', () => {
    expect(approve(accounts, [], 'sky-1', app, 5_000)).toEqual({ approvals: [{ accountId: 'sky-1', origin: app, approvedAt: 5_000 }], replaced: [] });
  });

  it("replaces that site's approval for the provider's other accounts, and only that site's", () => {
    const before: Approval[] = [
      { accountId: 'sky-1', origin: app, approvedAt: 1_000 },
      { accountId: 'sky-1', origin: other, approvedAt: 1_000 },
      { accountId: 'ready-1', origin: app, approvedAt: 1_000 },
    ];
    expect(approve(accounts, before, 'sky-2', app, 2_000)).toEqual({
      approvals: [
        { accountId: 'sky-1', origin: other, approvedAt: 1_000 },
        { accountId: 'ready-1', origin: app, approvedAt: 1_000 },
        { accountId: 'sky-2', origin: app, approvedAt: 2_000 },
      ],
      replaced: ['sky-1'],
    });
  });

  it('approving a site again renews the approval rather than adding a second', () => {
    const before: Approval[] = [{ accountId: 'sky-1', origin: app, approvedAt: 1_000 }];
    expect(approve(accounts, before, 'sky-1', app, 3_000)).toEqual({ approvals: [{ accountId: 'sky-1', origin: app, approvedAt: 3_000 }], replaced: [] });
  });

  it('says nothing about an account that is not connected, and leaves the input alone', () => {
    const before: Approval[] = [{ accountId: 'sky-1', origin: app, approvedAt: 1_000 }];
    expect(approve(accounts, before, 'gone', app, 3_000)).toBeUndefined();
    expect(before).toEqual([{ accountId: 'sky-1', origin: app, approvedAt: 1_000 }]);
  });
});

describe('withoutApproval and withoutAccount', () => {
  const approvals: Approval[] = [
    { accountId: 'sky-1', origin: app, approvedAt: 1 },
    { accountId: 'sky-1', origin: other, approvedAt: 2 },
    { accountId: 'sky-2', origin: app, approvedAt: 3 },
  ];

  it('removes one site of one account', () => {
    expect(withoutApproval(approvals, 'sky-1', app)).toEqual([approvals[1], approvals[2]]);
    expect(withoutApproval(approvals, 'ready-1', app)).toEqual(approvals);
  });

  it('removes every site of a disconnected account', () => {
    expect(withoutAccount(approvals, 'sky-1')).toEqual([approvals[2]]);
  });
});

describe('winsOver', () => {
  it('gives a contested site to the later approval', () => {
    const earlier: Approval = { accountId: 'sky-2', origin: app, approvedAt: 1_000 };
    const later: Approval = { accountId: 'sky-1', origin: other, approvedAt: 2_000 };
    expect(winsOver(later, earlier)).toBe(true);
    expect(winsOver(earlier, later)).toBe(false);
  });

  it('breaks a tie by account id, then origin, so exactly one of two wins whatever the order', () => {
    const a: Approval = { accountId: 'sky-1', origin: other, approvedAt: 1_000 };
    const b: Approval = { accountId: 'sky-2', origin: app, approvedAt: 1_000 };
    const c: Approval = { accountId: 'sky-2', origin: 'https://www.example.com', approvedAt: 1_000 };
    expect([winsOver(b, a), winsOver(a, b)]).toEqual([true, false]);
    expect([winsOver(c, b), winsOver(b, c)]).toEqual([true, false]);
    expect(winsOver(a, a)).toBe(false);
  });
});

describe('accountsApprovedFor (whose token a 401 refused)', () => {
  const approvals: Approval[] = [
    { accountId: 'sky-1', origin: app, approvedAt: 1 },
    { accountId: 'ready-1', origin: app, approvedAt: 2 },
    { accountId: 'sky-2', origin: other, approvedAt: 3 },
  ];
  const state = { providers: [readycloud!, skyvault!], accounts, approvals };

  it("finds the accounts approved for the site whose API the URL is under", () => {
    expect(accountsApprovedFor(state, app, 'https://api.skyvault.example/files?page=2').map((a) => a.id)).toEqual(['sky-1']);
    expect(accountsApprovedFor(state, app, 'https://www.readycloud.com/api/v1/orders').map((a) => a.id)).toEqual(['ready-1']);
    expect(accountsApprovedFor(state, other, 'https://api.skyvault.example/files').map((a) => a.id)).toEqual(['sky-2']);
  });

  it('finds none for another site, a URL outside the API, or an account that has a problem', () => {
    expect(accountsApprovedFor(state, 'https://evil.example', 'https://api.skyvault.example/files')).toEqual([]);
    expect(accountsApprovedFor(state, app, 'https://www.readycloud.com/login')).toEqual([]);
    const dropped = accounts.map((a) => (a.id === 'sky-1' ? withoutTokens(a, 'Reconnect.') : a));
    expect(accountsApprovedFor({ ...state, accounts: dropped }, app, 'https://api.skyvault.example/files')).toEqual([]);
  });
});
