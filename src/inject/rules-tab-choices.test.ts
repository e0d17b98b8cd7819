import { describe, expect, it } from 'vitest';
import type { Account } from '../accounts/account';
import type { TabChoice } from '../approvals/tab-choice';
import { parseProviderJson } from '../providers/provider';
import { PRODUCT_EXAMPLE_JSON } from '../../test/fixtures/seed-providers';
import {
  compileRules,
  injectionProblemsByAccount,
  prefixPriority,
  SITE_RESOURCE_TYPES,
  TAB_RULE_PRIORITY_OFFSET,
  type InjectionInput,
} from './rules';

// "Use on this tab only": rules limited to one tab and its site, ahead of the site's approvals.
const skyvault = parseProviderJson(PRODUCT_EXAMPLE_JSON)[0]!;
const API = 'https://api.skyvault.example/';
const account = (id: string): Account => ({ id, providerId: skyvault.id, label: id, accessToken: `token-of-${id}`, scopes: [], obtainedAt: 0 });
const [ada, bob] = [account('ada'), account('bob')];
const choice = (tabId: number, accountId: string, origin: string, chosenAt = 10): TabChoice => ({ tabId, accountId, origin, chosenAt });

function state(tabChoices: TabChoice[], approvals = [{ accountId: 'ada', origin: 'https://app.example.com', approvedAt: 1 }]): InjectionInput {
  return { providers: [skyvault], accounts: [ada, bob], approvals, tabChoices };
}

/** Each rule as [token, tabIds, initiatorDomains, priority]. */
const summary = (input: InjectionInput) =>
  compileRules(input).rules.map(({ action, condition, priority }) => [
    action.requestHeaders[0]!.value,
    condition.tabIds,
    condition.initiatorDomains,
    priority,
  ]);

describe('compileRules with tab choices', () => {
  it("gives a chosen tab its account's token above the site's approval, for that tab and its site's host only", () => {
    const { rules } = compileRules(state([choice(7, 'bob', 'https://app.example.com')]));
    expect(rules).toEqual([
      {
        id: 1,
        priority: prefixPriority(API),
        action: { type: 'modifyHeaders', requestHeaders: [{ header: 'Authorization', operation: 'set', value: 'Bearer token-of-ada' }] },
        condition: {
          urlFilter: `|${API}`,
          isUrlFilterCaseSensitive: true,
          initiatorDomains: ['app.example.com'],
          resourceTypes: [...SITE_RESOURCE_TYPES],
        },
      },
      {
        id: 2,
        priority: TAB_RULE_PRIORITY_OFFSET + prefixPriority(API),
        action: { type: 'modifyHeaders', requestHeaders: [{ header: 'Authorization', operation: 'set', value: 'Bearer token-of-bob' }] },
        condition: {
          // Only the API base URLs, only from the chosen site's host: a foreign page loaded in tab 7 matches no initiator.
          urlFilter: `|${API}`,
          isUrlFilterCaseSensitive: true,
          initiatorDomains: ['app.example.com'],
          resourceTypes: [...SITE_RESOURCE_TYPES],
          tabIds: [7],
        },
      },
    ]);
  });

  it('runs two tabs of one site as two accounts side by side, each rule above every site rule', () => {
    expect(summary(state([choice(7, 'bob', 'https://app.example.com'), choice(8, 'ada', 'https://app.example.com')]))).toEqual([
      ['Bearer token-of-ada', undefined, ['app.example.com'], prefixPriority(API)],
      ['Bearer token-of-bob', [7], ['app.example.com'], TAB_RULE_PRIORITY_OFFSET + prefixPriority(API)],
      ['Bearer token-of-ada', [8], ['app.example.com'], TAB_RULE_PRIORITY_OFFSET + prefixPriority(API)],
    ]);
    // Site rules stay below tab rules whatever the base URL's length.
    expect(prefixPriority(`https://x.example/${'a'.repeat(20_000)}`)).toBeLessThan(TAB_RULE_PRIORITY_OFFSET);
  });

  it('needs no approval of the site: the choice alone attaches the token in its tab', () => {
    expect(summary(state([choice(3, 'bob', 'http://localhost:5173')], []))).toEqual([
      ['Bearer token-of-bob', [3], ['localhost'], TAB_RULE_PRIORITY_OFFSET + prefixPriority(API)],
    ]);
  });

  it('within one tab and site, the later choice holds the base URL', () => {
    const later = state([choice(7, 'bob', 'https://app.example.com', 10), choice(7, 'ada', 'https://app.example.com', 20)], []);
    expect(summary(later)).toEqual([['Bearer token-of-ada', [7], ['app.example.com'], TAB_RULE_PRIORITY_OFFSET + prefixPriority(API)]]);
  });

  it("adds a GET-only navigation rule for the tab when the chosen site is the API's own origin", () => {
    const { rules } = compileRules(state([choice(4, 'bob', 'https://api.skyvault.example')], []));
    expect(
      rules.map(({ condition }) => [condition.tabIds, condition.initiatorDomains, condition.resourceTypes.join(' '), condition.requestMethods]),
    ).toEqual([
      [[4], ['api.skyvault.example'], SITE_RESOURCE_TYPES.join(' '), undefined],
      [[4], undefined, 'main_frame', ['get']],
    ]);
  });

  it('gives nothing for a disconnected account, an account with a problem, or a plain-http site on the open network', () => {
    const broken: Account = { ...bob, problem: { kind: 'needs reconnect', message: 'Reconnect.' } };
    expect(compileRules({ ...state([choice(1, 'gone', 'https://app.example.com')], []) }).rules).toEqual([]);
    expect(compileRules({ ...state([choice(1, 'bob', 'https://app.example.com')], []), accounts: [broken] }).rules).toEqual([]);
    expect(compileRules(state([choice(1, 'bob', 'http://app.example.com')], [])).rules).toEqual([]);
  });

  it('counts tab rules before the site rules against the limit, and says which account lost its token', () => {
    const { rules, skipped } = compileRules(state([choice(7, 'bob', 'https://app.example.com')]), { maxRules: 1 });
    expect(summary({ ...state([choice(7, 'bob', 'https://app.example.com')]) }).length).toBe(2);
    expect(rules.map((rule) => rule.condition.tabIds)).toEqual([[7]]);
    expect(Object.keys(injectionProblemsByAccount(skipped, [ada, bob]))).toEqual(['ada']);
    expect(skipped[0]!.message).toContain('(accounts used on a tab only 1)');
    const none = compileRules(state([choice(7, 'bob', 'https://app.example.com')], []), { maxRules: 0 });
    expect(injectionProblemsByAccount(none.skipped, [ada, bob]).bob?.[0]).toMatch(/not attached on the tab it was chosen for/);
  });

  it('gives equal state identical rules, whatever the order the choices are stored in', () => {
    const choices = [choice(8, 'ada', 'https://app.example.com', 5), choice(7, 'bob', 'https://app.example.com', 9)];
    expect(compileRules(state(choices)).rules).toEqual(compileRules(state([...choices].reverse())).rules);
  });
});
