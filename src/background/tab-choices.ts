// "Use on this tab only" (README "Approved sites", Tab identity): the background's side. The
// choices live in storage.session; every change syncs the rules and the 401 watch in the store's one queue.
import { browser } from '../platform';
import { chooseForTab, movedToTab, ofOpenTabs, parseTabId, withoutTabChoice, type TabChoice } from '../approvals/tab-choice';
import { UserFacingError } from '../messages';
import { readState, inWriteQueue } from '../storage/store';
import { readTabChoices, saveTabChoices } from '../storage/tab-choices';
import { siteOriginFrom } from './approvals';
import { ACCOUNT_GONE } from './refusals';
import { syncRules } from './rules-sync';
import { updateUnauthorizedWatch } from './unauthorized';

const TAB_GONE = 'That tab is closed. Nothing was changed.';

/** Uses `accountId` on tab `tabIdText` only, for the site it shows now, which must be `originInput`. */
export async function useOnTab(accountId: string, tabIdText: string, originInput: string): Promise<{ origin: string }> {
  const tabId = tabIdOf(tabIdText);
  const origin = siteOriginFrom(originInput);
  // The tab's own address, not the page's word for it: a tab that moved on since the popup read it gets no choice.
  const shown = await tabOrigin(tabId);
  if (shown !== origin) {
    throw new UserFacingError(`That tab now shows ${shown ?? 'another page'}, not ${origin}. Open the popup on it again. Nothing was changed.`);
  }
  return inWriteQueue(async () => {
    const state = await readState();
    const choice: TabChoice = { tabId, accountId, origin, chosenAt: Date.now() };
    const choices = chooseForTab(state.accounts, await readTabChoices(), choice);
    if (choices === undefined) throw new UserFacingError(ACCOUNT_GONE);
    await saveTabChoices(choices);
    await syncRules(state);
    await updateUnauthorizedWatch(state);
    return { origin };
  });
}

/** Stops using `accountId` on tab `tabIdText`: the site's approvals, if any, apply there again. */
export async function stopUsingOnTab(accountId: string, tabIdText: string): Promise<null> {
  const tabId = tabIdOf(tabIdText);
  await changeChoices((choices) => withoutTabChoice(choices, tabId, accountId));
  return null;
}

/**
 * Drops the choices of tabs that no longer exist: at worker start, for tabs closed while no
 * listener ran. Leaves the rule sync to the caller's start-up sync.
 */
export async function dropClosedTabChoices(): Promise<void> {
  await inWriteQueue(async () => {
    const choices = await readTabChoices();
    const open = new Set<number>();
    for (const tabId of new Set(choices.map((c) => c.tabId))) if (await tabExists(tabId)) open.add(tabId);
    const kept = ofOpenTabs(choices, (tabId) => open.has(tabId));
    if (kept.length !== choices.length) await saveTabChoices(kept);
  });
}

/** A choice ends with its tab, and follows it to a new id (Chromium gives a discarded tab one). */
export function registerTabChoiceListeners(): void {
  browser.tabs.onRemoved.addListener((tabId) => void changeChoices((choices) => ofOpenTabs(choices, (id) => id !== tabId)));
  browser.tabs.onReplaced.addListener(
    (addedTabId, removedTabId) => void changeChoices((choices) => movedToTab(choices, removedTabId, addedTabId)),
  );
}

/** Writes the changed choices and syncs the rules, in the store's queue; nothing when nothing changed. */
function changeChoices(change: (choices: TabChoice[]) => TabChoice[]): Promise<void> {
  return inWriteQueue(async () => {
    const choices = await readTabChoices();
    const changed = change(choices);
    if (JSON.stringify(changed) === JSON.stringify(choices)) return;
    await saveTabChoices(changed);
    const state = await readState();
    await syncRules(state);
    await updateUnauthorizedWatch(state);
  });
}

function tabIdOf(text: string): number {
  const tabId = parseTabId(text);
  if (tabId === undefined) throw new UserFacingError(`${JSON.stringify(text.slice(0, 20))} is not a tab. Nothing was changed.`);
  return tabId;
}

async function tabExists(tabId: number): Promise<boolean> {
  return browser.tabs.get(tabId).then(
    () => true,
    () => false,
  );
}

/** The http(s) origin tab `tabId` shows (readable with host access to it, asked for at the click), else undefined. */
async function tabOrigin(tabId: number): Promise<string | undefined> {
  const tab = await browser.tabs.get(tabId).catch(() => {
    throw new UserFacingError(TAB_GONE);
  });
  if (tab.url === undefined) return undefined;
  const url = new URL(tab.url);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
}
