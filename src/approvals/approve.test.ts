import { describe, expect, it } from 'vitest';
import { seedAccounts as accounts } from '../../test/fixtures/seed-accounts';
import type { Approval } from './approval';
import { approve, withoutAccount, withoutApproval } from './approve';

const app = 'https://app.example.com';
const other = 'http://localhost:3000';

describe('approve', () => {
  it('adds the approval, stamped now', () => {
    expect(approve(accounts, [], 'sky-1', app, 5_000)).toEqual({
      approvals: [{ accountId: 'sky-1', origin: app, approvedAt: 5_000 }],
      replaced: [],
    });
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
    expect(approve(accounts, before, 'sky-1', app, 3_000)).toEqual({
      approvals: [{ accountId: 'sky-1', origin: app, approvedAt: 3_000 }],
      replaced: [],
    });
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
