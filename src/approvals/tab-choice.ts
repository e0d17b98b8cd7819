// Tab identity (README "Approved sites", Tab identity): one account used in one tab only, ahead of
// the site's approvals. Pure; the rule compiler, the popup and the background share it.
import type { Account } from '../accounts/account';

/** The user's "Use on this tab only": `accountId`'s token for this tab's calls from the site it showed then. */
export interface TabChoice {
  /** The browser's tab id: valid until the tab closes or the browser quits. */
  tabId: number;
  accountId: string;
  /**
   * Normalized origin of the page the tab showed at the choice. The token goes only to calls from
   * this site (by host, as approvals): a foreign page later loaded in the same tab gets nothing.
   */
  origin: string;
  /** Epoch ms; where two choices of one tab compete for an API base URL, the later one wins. */
  chosenAt: number;
}

/**
 * The choices once `accountId` is used on tab `tabId` for `origin` (already normalized), or
 * undefined when the account is unknown. It replaces that tab's choice of the provider's other
 * accounts, and this account's earlier choice there: one tab uses one account per provider.
 */
export function chooseForTab(accounts: readonly Account[], choices: readonly TabChoice[], choice: TabChoice): TabChoice[] | undefined {
  const account = accounts.find((a) => a.id === choice.accountId);
  if (!account) return undefined;
  const siblings = new Set(accounts.filter((a) => a.providerId === account.providerId).map((a) => a.id));
  return [...choices.filter((c) => !(c.tabId === choice.tabId && siblings.has(c.accountId))), choice];
}

/** The choices without `accountId`'s on tab `tabId`. */
export function withoutTabChoice(choices: readonly TabChoice[], tabId: number, accountId: string): TabChoice[] {
  return choices.filter((c) => !(c.tabId === tabId && c.accountId === accountId));
}

/** The choices of tabs that are still open: a closed tab's choice ends with it. */
export function ofOpenTabs(choices: readonly TabChoice[], isOpen: (tabId: number) => boolean): TabChoice[] {
  return choices.filter((c) => isOpen(c.tabId));
}

/**
 * The choices once tab `fromTabId` has become `toTabId`: the browser gives a tab a new id when it
 * replaces the page's contents (a discarded tab, a prerendered page swapped in), and the choice
 * follows the tab.
 */
export function movedToTab(choices: readonly TabChoice[], fromTabId: number, toTabId: number): TabChoice[] {
  return choices.map((c) => (c.tabId === fromTabId ? { ...c, tabId: toTabId } : c));
}

/** A tab id as a message carries it (text), or undefined when it is not one the browser gives. */
export function parseTabId(text: string): number | undefined {
  return /^(?:0|[1-9]\d{0,9})$/.test(text) && Number(text) <= 2 ** 31 - 1 ? Number(text) : undefined;
}

/**
 * Of a tab's choices competing for one API base URL, the later first (its rule holds that base URL);
 * a tie goes to the greater account id, then the lower tab id, so storage order never decides.
 * Negative when `a` ranks first.
 */
export function laterChoiceFirst(a: TabChoice, b: TabChoice): number {
  if (a.chosenAt !== b.chosenAt) return b.chosenAt - a.chosenAt;
  if (a.accountId !== b.accountId) return a.accountId > b.accountId ? -1 : 1;
  return a.tabId - b.tabId;
}

/** A tab choice's rule for one API base URL of its account's provider. */
export interface TabChoiceRule {
  choice: TabChoice;
  baseUrl: string;
}

/**
 * How the rules of a tab's choices rank on a request they all match: the longest API base URL first
 * (a rule's priority is its length, so the browser prefers it), then laterChoiceFirst. Negative
 * when `a` ranks first.
 */
export function rankTabChoiceRules(a: TabChoiceRule, b: TabChoiceRule): number {
  return b.baseUrl.length - a.baseUrl.length || laterChoiceFirst(a.choice, b.choice);
}
