import { describe, expect, it } from 'vitest';
import { withoutTokens } from '../accounts/account';
import { readycloud, seedAccounts as accounts, skyvault } from '../../test/fixtures/seed-accounts';
import { accountsApprovedFor, winsOver, type Approval } from './approval';

const app = 'https://app.example.com';
const other = 'http://localhost:3000';

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
  const state = { providers: [readycloud, skyvault], accounts, approvals };

  it('finds the accounts approved for the site whose API the URL is under', () => {
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
