import { describe, expect, it } from 'vitest';
import { withoutTokens } from '../accounts/account';
import { readycloud, seedAccounts as accounts, skyvault } from '../../test/fixtures/seed-accounts';
import type { Approval } from './approval';
import { accountsAttachedTo, watchedApiPatterns } from './in-force';
import type { TabChoice } from './tab-choice';

const app = 'https://app.example.com';
const other = 'http://localhost:3000';
const files = 'https://api.skyvault.example/files';
const orders = 'https://www.readycloud.com/api/v1/orders';
const choice = (tabId: number, accountId: string, chosenAt: number, origin = app): TabChoice => ({ tabId, accountId, origin, chosenAt });
const ids = (found: { id: string }[]) => found.map((account) => account.id);

describe('accountsAttachedTo (whose token a 401 refused)', () => {
  const approvals: Approval[] = [
    { accountId: 'sky-1', origin: app, approvedAt: 1 },
    { accountId: 'ready-1', origin: app, approvedAt: 2 },
  ];
  const state = { providers: [readycloud, skyvault], accounts, approvals, tabChoices: [choice(7, 'sky-2', 5)] };

  it("gives the tab's chosen account on that tab, ahead of the site's approval", () => {
    expect(ids(accountsAttachedTo(state, { tabId: 7, origin: app, url: files }))).toEqual(['sky-2']);
    // A choice with no site approval at all.
    expect(ids(accountsAttachedTo({ ...state, approvals: [] }, { tabId: 7, origin: app, url: files }))).toEqual(['sky-2']);
    // Another port of the same host: rules tell sites apart by host only.
    expect(ids(accountsAttachedTo(state, { tabId: 7, origin: 'https://app.example.com:8443', url: files }))).toEqual(['sky-2']);
  });

  it("gives the site's approved accounts on other tabs, for other APIs, and for other sites on the tab", () => {
    expect(ids(accountsAttachedTo(state, { tabId: 8, origin: app, url: files }))).toEqual(['sky-1']);
    expect(ids(accountsAttachedTo(state, { tabId: -1, origin: app, url: files }))).toEqual(['sky-1']);
    expect(ids(accountsAttachedTo(state, { tabId: 7, origin: app, url: orders }))).toEqual(['ready-1']);
    expect(accountsAttachedTo(state, { tabId: 7, origin: 'https://evil.example', url: files })).toEqual([]);
    expect(accountsAttachedTo(state, { tabId: 7, origin: app, url: 'https://api.skyvault.example.evil/files' })).toEqual([]);
  });

  it('lets the later choice of one tab win, and skips a chosen account that has a problem (it has no rule)', () => {
    const both = { ...state, tabChoices: [choice(7, 'sky-2', 5), choice(7, 'sky-1', 9)] };
    expect(ids(accountsAttachedTo(both, { tabId: 7, origin: app, url: files }))).toEqual(['sky-1']);
    const dropped = accounts.map((a) => (a.id === 'sky-2' ? withoutTokens(a, 'Reconnect.') : a));
    expect(ids(accountsAttachedTo({ ...state, accounts: dropped }, { tabId: 7, origin: app, url: files }))).toEqual(['sky-1']);
    expect(accountsAttachedTo({ ...state, accounts: dropped, approvals: [] }, { tabId: 7, origin: app, url: files })).toEqual([]);
  });

  it('lets the longest API base URL win on a tab, as the rules rank them', () => {
    const nested = { ...readycloud, apiBaseUrls: ['https://api.skyvault.example/files/'] };
    const tabChoices = [choice(7, 'ready-1', 1), choice(7, 'sky-2', 5)];
    const nestedState = { ...state, providers: [nested, skyvault], tabChoices };
    expect(ids(accountsAttachedTo(nestedState, { tabId: 7, origin: app, url: `${files}/1` }))).toEqual(['ready-1']);
    expect(ids(accountsAttachedTo(nestedState, { tabId: 7, origin: app, url: files }))).toEqual(['sky-2']);
  });

  it('breaks a tie of the same moment as the rules do, by the greater account id, whatever the stored order', () => {
    const sameApi = { ...readycloud, apiBaseUrls: skyvault.apiBaseUrls };
    for (const tabChoices of [
      [choice(7, 'ready-1', 5), choice(7, 'sky-2', 5)],
      [choice(7, 'sky-2', 5), choice(7, 'ready-1', 5)],
    ]) {
      const tied = { ...state, providers: [sameApi, skyvault], tabChoices };
      expect(ids(accountsAttachedTo(tied, { tabId: 7, origin: app, url: files }))).toEqual(['sky-2']);
    }
  });
});

describe('watchedApiPatterns (where the 401 watch looks)', () => {
  const approvals: Approval[] = [
    { accountId: 'sky-1', origin: app, approvedAt: 1 },
    { accountId: 'sky-2', origin: other, approvedAt: 2 },
    { accountId: 'ready-1', origin: app, approvedAt: 3 },
  ];

  it('gives the API base URLs of the approved accounts as match patterns for every port, each once', () => {
    const local = { ...skyvault, apiBaseUrls: ['http://localhost:8080/api/v1/'] };
    expect(watchedApiPatterns({ providers: [readycloud, skyvault], accounts, approvals, tabChoices: [] })).toEqual([
      'https://api.skyvault.example/*',
      'https://www.readycloud.com/api/v1/*',
    ]);
    expect(watchedApiPatterns({ providers: [local], accounts, approvals, tabChoices: [] })).toEqual(['http://localhost/api/v1/*']);
  });

  it('gives the API base URLs of the accounts chosen for a tab, with no approval at all', () => {
    expect(watchedApiPatterns({ providers: [readycloud, skyvault], accounts, approvals: [], tabChoices: [choice(7, 'sky-2', 1)] })).toEqual([
      'https://api.skyvault.example/*',
    ]);
    const mixed = { providers: [readycloud, skyvault], accounts, approvals: [approvals[2]!], tabChoices: [choice(7, 'sky-2', 1)] };
    expect(watchedApiPatterns(mixed)).toEqual(['https://api.skyvault.example/*', 'https://www.readycloud.com/api/v1/*']);
  });

  it('gives none without approvals or choices, or for accounts no longer there', () => {
    expect(watchedApiPatterns({ providers: [skyvault], accounts, approvals: [], tabChoices: [] })).toEqual([]);
    const gone = {
      providers: [skyvault],
      accounts,
      approvals: [{ accountId: 'gone', origin: app, approvedAt: 1 }],
      tabChoices: [choice(7, 'gone', 1)],
    };
    expect(watchedApiPatterns(gone)).toEqual([]);
  });
});
