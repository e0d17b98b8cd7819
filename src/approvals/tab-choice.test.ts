import { describe, expect, it } from 'vitest';
import type { Account } from '../accounts/account';
import { chooseForTab, movedToTab, ofOpenTabs, parseTabId, withoutTabChoice, type TabChoice } from './tab-choice';

const account = (id: string, providerId: string): Account => ({ id, providerId, label: id, accessToken: 't', scopes: [], obtainedAt: 0 });
const accounts = [account('sky-1', 'skyvault'), account('sky-2', 'skyvault'), account('ready-1', 'readycloud')];
const choice = (tabId: number, accountId: string, chosenAt = 1, origin = 'http://localhost:8720'): TabChoice => ({
  tabId,
  accountId,
  origin,
  chosenAt,
});

describe('chooseForTab', () => {
  it("replaces the tab's choice of the provider's other accounts, and keeps other tabs and providers", () => {
    const before = [choice(1, 'sky-1'), choice(2, 'sky-1'), choice(1, 'ready-1')];
    expect(chooseForTab(accounts, before, choice(1, 'sky-2', 5))).toEqual([choice(2, 'sky-1'), choice(1, 'ready-1'), choice(1, 'sky-2', 5)]);
  });

  it("moves the account's own choice of that tab to the new site", () => {
    const moved = choice(1, 'sky-1', 5, 'https://app.example.com');
    expect(chooseForTab(accounts, [choice(1, 'sky-1')], moved)).toEqual([moved]);
  });

  it('refuses an unknown account', () => {
    expect(chooseForTab(accounts, [], choice(1, 'gone'))).toBeUndefined();
  });
});

describe('withoutTabChoice and ofOpenTabs', () => {
  it("drop one account's choice of one tab, and every choice of a closed tab", () => {
    const choices = [choice(1, 'sky-1'), choice(2, 'sky-1'), choice(1, 'ready-1')];
    expect(withoutTabChoice(choices, 1, 'sky-1')).toEqual([choice(2, 'sky-1'), choice(1, 'ready-1')]);
    expect(ofOpenTabs(choices, (tabId) => tabId !== 1)).toEqual([choice(2, 'sky-1')]);
  });
});

describe('movedToTab', () => {
  it("moves the replaced tab's choices to its new id, and leaves other tabs' alone", () => {
    const choices = [choice(1, 'sky-1'), choice(2, 'sky-2'), choice(1, 'ready-1', 3)];
    expect(movedToTab(choices, 1, 9)).toEqual([choice(9, 'sky-1'), choice(2, 'sky-2'), choice(9, 'ready-1', 3)]);
    expect(movedToTab(choices, 5, 9)).toEqual(choices);
  });
});

describe('parseTabId', () => {
  it('reads a tab id the browser gives, and nothing else', () => {
    expect(parseTabId('0')).toBe(0);
    expect(parseTabId('1736')).toBe(1736);
    expect(['', '-1', '01', '1.5', '1e3', ' 7', '2147483648', 'NaN'].map(parseTabId)).toEqual(Array(8).fill(undefined));
  });
});
