import { browser, type Browser } from '../platform';
import { compileRules, injectionProblemsByAccount, MAX_SESSION_RULES, type CompiledRules, type DnrRule } from '../inject/rules';
import { saveInjectionProblems } from '../storage/injection-problems';
import { readTabChoices } from '../storage/tab-choices';
import { readState, type StoredState } from '../storage/store';

type InstalledRule = Browser.DeclarativeNetRequest.Rule;

const REFUSED =
  'The browser refused the network rule for this account, so its token is not attached. Check the provider’s ' +
  'API base URLs and header, or reconnect the account.';

/**
 * Makes the browser's session rules equal to the rules derived from storage (the stored state and
 * the tab choices in storage.session): the one truth.
 * Session rules live in the browser's memory (tokens are not written to disk twice) and survive
 * the worker stopping, but not a browser restart, so this also runs at every worker start. What
 * kept an account's token off (a rule it cannot have, the rule limit) is stored for its pages.
 * Every storage write awaits this before it resolves, so a provider's Origin rules are in place
 * before an Import or Save provider answers, and so before its first Connect.
 */
export async function syncRules(state?: StoredState): Promise<void> {
  const current = state ?? (await readState());
  const { rules, ruleAccounts, skipped } = await compileSessionRules(current);
  const problems = injectionProblemsByAccount(skipped, current.accounts);
  const installed = await browser.declarativeNetRequest.getSessionRules();
  if (canonical(installed) !== canonical(rules)) {
    try {
      await browser.declarativeNetRequest.updateSessionRules({
        removeRuleIds: installed.map((rule) => rule.id),
        addRules: rules,
      });
    } catch {
      // An update is all or nothing: install account by account, so only a refused account loses its token.
      for (const accountId of await installPerAccount(rules, ruleAccounts)) (problems[accountId] ??= []).push(REFUSED);
    }
  }
  await saveInjectionProblems(problems);
}

/** The session rules `state` and the tab choices compile to in this browser: what syncRules installs, by rule id. */
export async function compileSessionRules(state: StoredState): Promise<CompiledRules> {
  const input = { ...state, tabChoices: await readTabChoices() };
  return compileRules(input, { maxRules: sessionRuleLimit(), extensionHost: new URL(browser.runtime.getURL('')).host });
}

/** The browser's own limit when it says (header rules count as "unsafe" in Chrome), else Chrome's 5000. */
function sessionRuleLimit(): number {
  const api = browser.declarativeNetRequest as { MAX_NUMBER_OF_SESSION_RULES?: number; MAX_NUMBER_OF_UNSAFE_SESSION_RULES?: number };
  return Math.min(api.MAX_NUMBER_OF_SESSION_RULES ?? MAX_SESSION_RULES, api.MAX_NUMBER_OF_UNSAFE_SESSION_RULES ?? MAX_SESSION_RULES);
}

/**
 * Replaces every session rule with `rules`, one account per update (the Origin rules as one more);
 * returns the accounts the browser refused.
 */
async function installPerAccount(rules: readonly DnrRule[], ruleAccounts: readonly (string | null)[]): Promise<string[]> {
  const installed = await browser.declarativeNetRequest.getSessionRules();
  await browser.declarativeNetRequest.updateSessionRules({ removeRuleIds: installed.map((rule) => rule.id) });
  const byAccount = new Map<string | null, DnrRule[]>();
  rules.forEach((rule, index) => {
    const accountId = ruleAccounts[index]!;
    byAccount.set(accountId, [...(byAccount.get(accountId) ?? []), rule]);
  });
  const refused: string[] = [];
  for (const [accountId, accountRules] of byAccount) {
    try {
      await browser.declarativeNetRequest.updateSessionRules({ addRules: accountRules });
    } catch {
      if (accountId !== null) refused.push(accountId);
    }
  }
  return refused;
}

/** The fields we set, in a fixed order, so installed and derived rules compare equal. */
function canonical(rules: readonly (DnrRule | InstalledRule)[]): string {
  return JSON.stringify(
    rules.map(({ id, priority, action, condition }) => [
      id,
      priority,
      action.requestHeaders?.map((h) => [h.header, h.operation, h.value]),
      condition.urlFilter,
      condition.isUrlFilterCaseSensitive,
      condition.initiatorDomains,
      condition.resourceTypes,
      condition.requestMethods,
      condition.tabIds,
    ]),
  );
}
