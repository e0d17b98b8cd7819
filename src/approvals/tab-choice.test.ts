import { describe, expect, it } from 'vitest';
import type { Account } from '../accounts/account';
import {
  chooseForTab,
  laterChoiceFirst,
  movedToTab,
  ofOpenTabs,
  parseTabId,
  rankTabChoiceRules,
  withoutTabChoice,
  type TabChoice,
  type TabChoiceRule,
} from './tab-choice';

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

describe('rankTabChoiceRules (which tab choice a request gets, as the rules rank them)', () => {
  const files = 'https://api.skyvault.example/files/';
  const root = 'https://api.skyvault.example/';
  const ranked = (rules: TabChoiceRule[]) => [...rules].sort(rankTabChoiceRules).map((r) => `${r.choice.accountId} ${r.baseUrl}`);

  it('puts the longest API base URL first, even ahead of a later choice', () => {
    const rules = [
      { choice: choice(1, 'sky-2', 9), baseUrl: root },
      { choice: choice(1, 'ready-1', 1), baseUrl: files },
    ];
    expect(ranked(rules)).toEqual([`ready-1 ${files}`, `sky-2 ${root}`]);
  });

  it('puts the later choice first for base URLs of one length', () => {
    const rules = [
      { choice: choice(1, 'sky-1', 5), baseUrl: root },
      { choice: choice(1, 'ready-1', 7), baseUrl: root },
      { choice: choice(1, 'sky-2', 6), baseUrl: root },
    ];
    expect(ranked(rules)).toEqual([`ready-1 ${root}`, `sky-2 ${root}`, `sky-1 ${root}`]);
  });

  it('breaks a tie of the same moment by the greater account id, then the lower tab id, whatever the stored order', () => {
    const rules = [choice(2, 'sky-1', 5), choice(1, 'sky-1', 5), choice(3, 'sky-2', 5)].map((c) => ({ choice: c, baseUrl: root }));
    expect([...rules].sort(rankTabChoiceRules)).toEqual([rules[2], rules[1], rules[0]]);
    expect([...rules].reverse().sort(rankTabChoiceRules)).toEqual([rules[2], rules[1], rules[0]]);
  });
});

describe('laterChoiceFirst', () => {
  it('orders choices latest first, ties by the greater account id, then the lower tab id', () => {
    const choices = [choice(1, 'sky-1', 5), choice(1, 'ready-1', 9), choice(2, 'sky-2', 5), choice(1, 'sky-2', 5)];
    expect([...choices].sort(laterChoiceFirst)).toEqual([choices[1], choices[3], choices[2], choices[0]]);
  });
});
