import { browser, type Browser } from '../platform';
import { buildRules, RuleLimitError, type DnrRule } from '../inject/rules';
import { readState, type StoredState } from '../storage/store';
import { setLastError } from '../storage/session';

type InstalledRule = Browser.DeclarativeNetRequest.Rule;

/**
 * Makes the browser's session rules equal to the rules derived from storage: the one truth.
 * Session rules live in the browser's memory (tokens are not written to disk twice) and survive
 * the worker stopping, but not a browser restart, so this also runs at every worker start.
 */
export async function syncRules(state?: StoredState): Promise<void> {
  const current = state ?? (await readState());
  let rules: DnrRule[];
  try {
    rules = buildRules(current);
  } catch (error) {
    if (!(error instanceof RuleLimitError)) throw error;
    // Past the browser's limit no partial set is right: attach nothing and say why.
    await setLastError(error.message);
    rules = [];
  }
  const installed = await browser.declarativeNetRequest.getSessionRules();
  if (canonical(installed) === canonical(rules)) return;
  await browser.declarativeNetRequest.updateSessionRules({
    removeRuleIds: installed.map((rule) => rule.id),
    addRules: rules as InstalledRule[],
  });
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
    ]),
  );
}
