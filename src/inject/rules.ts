// The complete set of declarativeNetRequest session rules, derived from the stored state alone
// (README "Injection by network rules"). Pure: the background installs what this returns, nothing else.
import type { Account } from '../accounts/account';
import { accountWithProvider } from '../accounts/account-provider';
import { winsOver, type Approval } from '../approvals/approval';
import { laterChoiceFirst, type TabChoice } from '../approvals/tab-choice';
import type { Provider } from '../providers/model';
import { tokenRequestEndpoints } from '../providers/token-endpoints';
import { accountHeader, type HeaderValue } from './account-header';
import { ruleSiteOf, siteRefusal } from './site-origin';

/** declarativeNetRequest.ResourceType, the values TokenTap uses. */
export type ResourceType =
  | 'main_frame'
  | 'sub_frame'
  | 'stylesheet'
  | 'script'
  | 'image'
  | 'font'
  | 'object'
  | 'xmlhttprequest'
  | 'ping'
  | 'media'
  | 'websocket'
  | 'other';

/** declarativeNetRequest.RequestMethod, the values TokenTap uses. */
export type RequestMethod = 'get';

/** One header change: set a header (the token), or remove one (`Origin` on token requests). */
export interface HeaderChange {
  header: string;
  operation: 'set' | 'remove';
  /** For 'set' only. */
  value?: string;
}

/** A declarativeNetRequest.Rule as TokenTap writes it: change one request header. */
export interface DnrRule {
  id: number;
  priority: number;
  action: { type: 'modifyHeaders'; requestHeaders: HeaderChange[] };
  condition: {
    urlFilter: string;
    isUrlFilterCaseSensitive: boolean;
    initiatorDomains?: string[];
    resourceTypes: ResourceType[];
    requestMethods?: RequestMethod[];
    /** Only for a tab choice's rules: that one tab. */
    tabIds?: number[];
  };
}

/**
 * MAX_NUMBER_OF_SESSION_RULES (and Chrome's MAX_NUMBER_OF_UNSAFE_SESSION_RULES; header rules are
 * "unsafe") in Chromium 156 and Firefox ESR 153 alike.
 */
export const MAX_SESSION_RULES = 5000;

/**
 * Rules that will hold one tab's own account sit above every site rule: their priorities start
 * here. Site rules stay below it, whatever the base URL's length.
 */
export const TAB_RULE_PRIORITY_OFFSET = 10_000;

/**
 * A top-level navigation to the API gets the token only as a GET: a form of another site cannot
 * make the browser send a state-changing request with it. Neither browser tells a typed URL from
 * another site's link (both match no initiatorDomains), so GET links remain (README "Approved sites").
 */
export const API_NAVIGATION_METHODS: readonly RequestMethod[] = ['get'];

/**
 * Every request a page makes, except navigating the top frame. WebSockets are listed for browsers
 * that apply header rules to their handshakes; Chromium 156 does not (see README).
 */
export const SITE_RESOURCE_TYPES: readonly ResourceType[] = [
  'sub_frame',
  'stylesheet',
  'script',
  'image',
  'font',
  'object',
  'xmlhttprequest',
  'ping',
  'media',
  'websocket',
  'other',
];

/**
 * The rules that remove `Origin` from the extension's own token requests have ids from here on,
 * above any header rule's (those run 1..n, n at most the rule limit), so the two never collide.
 */
export const ORIGIN_RULE_FIRST_ID = 1_000_001;

/**
 * Their priority. It ranks nothing: they change another header than the header rules, and only
 * requests the extension itself makes, which no header rule matches (no site is an extension).
 */
export const ORIGIN_RULE_PRIORITY = 1;

export interface InjectionInput {
  providers: readonly Provider[];
  accounts: readonly Account[];
  approvals: readonly Approval[];
  /** "Use on this tab only" choices (storage.session); none when absent. */
  tabChoices?: readonly TabChoice[];
}

export interface ResolvedApproval {
  approval: Approval;
  account: Account;
  provider: Provider;
  /** The approval of another account that took this site's host over, for at least one API base URL. */
  overriddenBy?: Approval;
  /** The provider's API base URLs (canonical form) this approval is in force for; empty when fully overridden. */
  apiBaseUrls: string[];
}

/** Why part of the state produced no rule. Never carries a token, so it is safe to log. */
export type SkipReason =
  'invalid-token' | 'no-id-token' | 'invalid-header-name' | 'unusable-api-base-url' | 'unusable-site-origin' | 'rule-limit';

export interface SkippedInjection {
  reason: SkipReason;
  /** Safe to log or show: names the account, provider, URL or origin, never the token. */
  message: string;
  accountId?: string;
  providerId?: string;
  apiBaseUrl?: string;
  origin?: string;
}

export interface CompiledRules {
  rules: DnrRule[];
  /** The account whose token each rule attaches, by index; null for the extension's own Origin rules. */
  ruleAccounts: (string | null)[];
  /** What was left out because the browser would refuse it (and with it the whole update), or past the rule limit. */
  skipped: SkippedInjection[];
}

/**
 * Which approval is in force for each (site host, API base URL). A browser cannot tell two ports
 * or schemes of one host apart, so approvals of different accounts compete for one host and one
 * API base URL, and the one that `winsOver` the others (src/approvals) holds it. Returns every approval with its account and provider,
 * in input order; approvals of unknown accounts or providers, and of unusable origins, are dropped.
 * Accounts with a `problem` take part: their approvals still hold the site for them.
 */
export function resolveApprovals(input: InjectionInput): ResolvedApproval[] {
  return resolve(input, []).map(({ approval, account, provider, overriddenBy, inForce }) => ({
    approval,
    account,
    provider,
    ...(overriddenBy !== undefined && { overriddenBy }),
    apiBaseUrls: inForce.map((target) => target.url),
  }));
}

export interface CompileOptions {
  /** The browser's rule limit; MAX_SESSION_RULES by default. */
  maxRules?: number;
  /**
   * The extension's own host (`runtime.getURL('')`'s: Chromium's id, Firefox's moz-extension
   * UUID). With it the set also removes `Origin` from the extension's own token requests.
   */
  extensionHost?: string;
}

/** The complete rule set (see compileRules). */
export function buildRules(input: InjectionInput, options?: CompileOptions): DnrRule[] {
  return compileRules(input, options).rules;
}

/**
 * The complete rule set, plus what was skipped and why, per account where it can say. One rule per
 * (account, API base URL) lists all the account's winning site hosts in `initiatorDomains`;
 * approving the API's own origin adds a GET-only `main_frame` rule without initiator, so the API
 * opens in a tab with the token. The longest matching base URL wins (priority = its length), so
 * nested base URLs of two providers never leave the choice to the browser.
 *
 * Past `maxRules` (default MAX_SESSION_RULES) only the accounts that do not fit lose their rules,
 * all of them: accounts are taken in the order of their first approval (then account id), and each
 * gets its rules if they fit in what is left. Rule ids run 1..n in an order fixed by account id and
 * base URL, so equal state gives identical rules and the caller can skip a no-op update.
 *
 * Each tab choice adds one rule per base URL of its account's provider, limited to its tab
 * (`tabIds`) and to its site's host (`initiatorDomains`, so a foreign page loaded in that tab gets
 * nothing), above every site rule (TAB_RULE_PRIORITY_OFFSET); within a tab, the later choice holds
 * a base URL (laterChoiceFirst: in-force.ts ranks by the same order, in rankTabChoiceRules).
 * They follow the site rules and are counted before them: a choice is the user's latest word.
 *
 * With `extensionHost`, one more rule per distinct token-request endpoint of every provider (see
 * originRules) follows the header rules; they are counted first, as every account needs them.
 */
export function compileRules(input: InjectionInput, options?: CompileOptions): CompiledRules {
  const originRemovals = options?.extensionHost === undefined ? [] : originRules(input.providers, options.extensionHost);
  const skipped: SkippedInjection[] = [];
  const resolved = resolve(input, skipped);
  const headers = new Map<Account, HeaderValue | undefined>();
  // Per account, its rules to be; groups indexed by base URL target: no string keys on the hot path.
  const claims = new Map<Account, AccountClaim>();

  for (const { approval, account, provider, site, inForce } of resolved) {
    if (account.problem !== undefined || inForce.length === 0) continue;
    let header = headers.get(account);
    if (header === undefined && !headers.has(account)) {
      header = headerFor(account, provider, skipped);
      headers.set(account, header);
    }
    if (header === undefined) continue;
    let claim = claims.get(account);
    if (claim === undefined) {
      claim = { account, provider, firstApprovedAt: approval.approvedAt, byTarget: [], groups: [], ruleCount: 0 };
      claims.set(account, claim);
    }
    if (approval.approvedAt < claim.firstApprovedAt) claim.firstApprovedAt = approval.approvedAt;
    for (const target of inForce) {
      let group = claim.byTarget[target.index];
      if (group === undefined) {
        group = { accountId: account.id, target, header, hosts: [], apiOriginApproved: false };
        claim.byTarget[target.index] = group;
        claim.groups.push(group);
        claim.ruleCount++;
      }
      group.hosts.push(site.host);
      if (site.origin === target.origin && !group.apiOriginApproved) {
        group.apiOriginApproved = true;
        claim.ruleCount++;
      }
    }
  }

  const limit = options?.maxRules ?? MAX_SESSION_RULES;
  const tabGroups = fitTabChoices(tabChoiceClaims(input, headers, skipped), limit, originRemovals.length, skipped);
  const fitting = fitInLimit([...claims.values()], limit, { origin: originRemovals.length, tabs: ruleCountOf(tabGroups) }, skipped);
  const ordered = fitting.sort((a, b) => compare(a.accountId, b.accountId) || compare(a.target.url, b.target.url));
  const rules: DnrRule[] = [];
  const ruleAccounts: (string | null)[] = [];
  for (const group of ordered) {
    rules.push(rule(rules.length + 1, group, sortedUnique(group.hosts), SITE_RESOURCE_TYPES));
    ruleAccounts.push(group.accountId);
    if (group.apiOriginApproved) {
      rules.push(rule(rules.length + 1, group, undefined, ['main_frame'], API_NAVIGATION_METHODS));
      ruleAccounts.push(group.accountId);
    }
  }
  for (const { tabId, group } of tabGroups) {
    rules.push(rule(rules.length + 1, group, group.hosts, SITE_RESOURCE_TYPES, undefined, tabId));
    ruleAccounts.push(group.accountId);
    if (group.apiOriginApproved) {
      rules.push(rule(rules.length + 1, group, undefined, ['main_frame'], API_NAVIGATION_METHODS, tabId));
      ruleAccounts.push(group.accountId);
    }
  }
  rules.push(...originRemovals);
  ruleAccounts.push(...originRemovals.map(() => null));
  return { rules, ruleAccounts, skipped };
}

/**
 * Browsers add `Origin: chrome-extension://…` / `moz-extension://…` to the extension's own POSTs,
 * and providers such as oidc-provider or Entra refuse a confidential client's token request that
 * carries one (README "Token requests carry no Origin"). One rule per distinct endpoint URL removes
 * it, for requests the extension itself makes (`initiatorDomains`: its own host) to exactly that
 * URL, so a web page's requests to the same URL keep theirs. In URL order, so equal state gives
 * identical rules. An endpoint a urlFilter cannot spell gets no rule.
 */
export function originRules(providers: readonly Provider[], extensionHost: string): DnrRule[] {
  const urls = new Set<string>();
  for (const provider of providers) {
    for (const endpoint of tokenRequestEndpoints(provider)) {
      const url = ruleUrl(endpoint)?.href;
      if (url !== undefined) urls.add(url);
    }
  }
  return [...urls].sort(compare).map((url, index) => ({
    id: ORIGIN_RULE_FIRST_ID + index,
    priority: ORIGIN_RULE_PRIORITY,
    action: { type: 'modifyHeaders', requestHeaders: [{ header: 'origin', operation: 'remove' }] },
    condition: {
      // '|' at both ends: the whole URL, as the token request's fetch sends it (canonical href).
      urlFilter: `|${url}|`,
      isUrlFilterCaseSensitive: true,
      initiatorDomains: [extensionHost],
      resourceTypes: ['xmlhttprequest'],
    },
  }));
}

/**
 * Per account, what is wrong with its injection, in words for the user: its own skips, and those of
 * its provider (a base URL no rule can express) for every account of that provider.
 */
export function injectionProblemsByAccount(skipped: readonly SkippedInjection[], accounts: readonly Account[]): Record<string, string[]> {
  const problems: Record<string, string[]> = {};
  const add = (accountId: string, message: string) => {
    const list = (problems[accountId] ??= []);
    if (!list.includes(message)) list.push(message);
  };
  for (const skip of skipped) {
    if (skip.accountId !== undefined) add(skip.accountId, skip.message);
    else if (skip.providerId !== undefined) {
      for (const account of accounts) if (account.providerId === skip.providerId) add(account.id, skip.message);
    }
  }
  return problems;
}

/** The priority of a site rule for a base URL: its length, so the longest matching prefix wins. */
export function prefixPriority(canonicalUrl: string): number {
  return Math.min(canonicalUrl.length, TAB_RULE_PRIORITY_OFFSET - 1);
}

/**
 * The groups of the accounts that fit in what `reserved` (the Origin rules, the tab choices')
 * leaves, oldest first approval first; the others are reported.
 */
function fitInLimit(
  claims: AccountClaim[],
  limit: number,
  reserved: { origin: number; tabs: number },
  skipped: SkippedInjection[],
): RuleGroup[] {
  claims.sort((a, b) => a.firstApprovedAt - b.firstApprovedAt || compare(a.account.id, b.account.id));
  const fitting: RuleGroup[] = [];
  const before = reserved.origin + reserved.tabs;
  let used = before;
  for (const claim of claims) {
    if (used + claim.ruleCount <= limit) {
      used += claim.ruleCount;
      fitting.push(...claim.groups);
      continue;
    }
    skipped.push({
      reason: 'rule-limit',
      message:
        `The browser allows at most ${limit} network rules and the accounts approved earlier use ${used - before}` +
        `${reserved.origin > 0 ? ` (TokenTap's own token requests ${reserved.origin})` : ''}` +
        `${reserved.tabs > 0 ? ` (accounts used on a tab only ${reserved.tabs})` : ''}, so this ` +
        `account's token (${claim.ruleCount} rule${claim.ruleCount === 1 ? '' : 's'}: one per API base URL of ` +
        `${claim.provider.name}, two with its API origin approved) is not attached. Remove approved sites or disconnect ` +
        'accounts you no longer use.',
      accountId: claim.account.id,
      providerId: claim.provider.id,
    });
  }
  return fitting;
}

/** One tab choice's rules to be, before the limit decides whether they fit. */
interface TabChoiceClaim {
  choice: TabChoice;
  provider: Provider;
  groups: RuleGroup[];
  ruleCount: number;
}

/**
 * Per tab choice in force, its groups: one per base URL of its account's provider that no later
 * choice of the same tab and host holds. Choices of unknown accounts (disconnected) are dropped.
 */
function tabChoiceClaims(input: InjectionInput, headers: Map<Account, HeaderValue | undefined>, skipped: SkippedInjection[]): TabChoiceClaim[] {
  const choices = [...(input.tabChoices ?? [])].sort(laterChoiceFirst);
  const held = new Set<string>();
  const claims: TabChoiceClaim[] = [];
  for (const choice of choices) {
    const found = accountWithProvider(input, choice.accountId);
    const site = ruleSiteOf(choice.origin);
    if (found === undefined || found.account.problem !== undefined || site === undefined) continue;
    const { account, provider } = found;
    if (!headers.has(account)) headers.set(account, headerFor(account, provider, skipped));
    const header = headers.get(account);
    if (header === undefined) continue;
    const groups: RuleGroup[] = [];
    let ruleCount = 0;
    for (const target of baseUrlTargets(provider, new Map(), skipped)) {
      const key = `${choice.tabId} ${site.host} ${target.url}`;
      if (held.has(key)) continue;
      held.add(key);
      const apiOriginApproved = site.origin === target.origin;
      groups.push({ accountId: account.id, target, header, hosts: [site.host], apiOriginApproved });
      ruleCount += apiOriginApproved ? 2 : 1;
    }
    if (groups.length > 0) claims.push({ choice, provider, groups, ruleCount });
  }
  return claims;
}

/** The groups of the tab choices that fit after the Origin rules (latest first), in a fixed order; the others are reported. */
function fitTabChoices(
  claims: TabChoiceClaim[],
  limit: number,
  reserved: number,
  skipped: SkippedInjection[],
): { tabId: number; group: RuleGroup }[] {
  const fitting: { tabId: number; group: RuleGroup }[] = [];
  let used = reserved;
  for (const { choice, provider, groups, ruleCount } of claims) {
    if (used + ruleCount > limit) {
      skipped.push({
        reason: 'rule-limit',
        message:
          `The browser allows at most ${limit} network rules and ${used} are in use, so this account's token is not ` +
          'attached on the tab it was chosen for. Stop using other accounts on a tab only, or close those tabs.',
        accountId: choice.accountId,
        providerId: provider.id,
      });
      continue;
    }
    used += ruleCount;
    fitting.push(...groups.map((group) => ({ tabId: choice.tabId, group })));
  }
  return fitting.sort(
    (a, b) => a.tabId - b.tabId || compare(a.group.accountId, b.group.accountId) || compare(a.group.target.url, b.group.target.url),
  );
}

function ruleCountOf(entries: readonly { group: RuleGroup }[]): number {
  return entries.reduce((count, { group }) => count + (group.apiOriginApproved ? 2 : 1), 0);
}

/**
 * True when `value` can be sent as a header value by every browser: printable ASCII with single
 * inner spaces or tabs allowed (RFC 9110 5.5 field-value without obs-text; RFC 6749 A.12 makes an
 * access token VSCHAR anyway). CR, LF, NUL or another control character makes the browser refuse
 * the rule, and with it the whole update.
 */
export function isValidHeaderValue(value: string): boolean {
  return /^[\x21-\x7E]+(?:[ \t]+[\x21-\x7E]+)*$/.test(value);
}

/** Characters with a meaning in a urlFilter; none has an escape, so they cannot be matched literally. */
const URL_FILTER_SPECIALS = /[*^|]/;

interface BaseUrlTarget {
  /** Canonical URL (WHATWG href): ASCII, lower-case host, no default port; what browsers match against. */
  url: string;
  origin: string;
  /** Position among all targets: indexes the per-host and per-account arrays. */
  index: number;
}

interface Site {
  /** As `initiatorDomains` wants it. */
  host: string;
  /** Normalized origin, to compare with a base URL's. */
  origin: string;
  /** Shared by every origin of this host. */
  slot: HostSlot;
}

/** Per host: the winning approval per base URL target index. */
interface HostSlot {
  winners: Approval[];
}

interface RuleGroup {
  accountId: string;
  target: BaseUrlTarget;
  header: HeaderValue;
  /** With repeats (two ports of one host); sortedUnique makes the list. */
  hosts: string[];
  apiOriginApproved: boolean;
}

/** One account's rules, before the limit decides whether they fit. */
interface AccountClaim {
  account: Account;
  provider: Provider;
  /** Its earliest approval among those in force: the older, the sooner it is given room. */
  firstApprovedAt: number;
  /** Its groups indexed by base URL target. */
  byTarget: RuleGroup[];
  groups: RuleGroup[];
  ruleCount: number;
}

interface Resolution {
  approval: Approval;
  account: Account;
  provider: Provider;
  site: Site;
  overriddenBy: Approval | undefined;
  /** Base URLs this approval holds for its account. */
  inForce: BaseUrlTarget[];
}

/**
 * One pass to find the winner per (host, base URL), one pass to mark the rest: O(approvals ×
 * base URLs per provider). Unknown accounts/providers are dropped silently (a removal in
 * progress); unusable origins and base URLs are reported in `skipped`.
 */
function resolve(input: InjectionInput, skipped: SkippedInjection[]): Resolution[] {
  const providers = new Map(input.providers.map((provider) => [provider.id, provider]));
  const targets = new Map<string, BaseUrlTarget>();
  const targetsOf = new Map<Provider, BaseUrlTarget[]>();
  // Each account's provider and base URL targets, looked up once per account, not per approval.
  const entries = new Map<string, { account: Account; provider: Provider; targets: BaseUrlTarget[] } | null>();
  for (const account of input.accounts) {
    const provider = providers.get(account.providerId);
    if (provider === undefined) {
      entries.set(account.id, null);
      continue;
    }
    let providerTargets = targetsOf.get(provider);
    if (providerTargets === undefined) {
      providerTargets = baseUrlTargets(provider, targets, skipped);
      targetsOf.set(provider, providerTargets);
    }
    entries.set(account.id, { account, provider, targets: providerTargets });
  }

  const sites = new Map<string, Site | null>();
  const hosts = new Map<string, HostSlot>();
  const candidates: Resolution[] = [];
  for (const approval of input.approvals) {
    const entry = entries.get(approval.accountId);
    if (entry === undefined || entry === null) continue;
    let site = sites.get(approval.origin);
    if (site === undefined) {
      site = siteOf(approval.origin, hosts);
      sites.set(approval.origin, site);
      if (site === null) {
        skipped.push({
          reason: 'unusable-site-origin',
          message: `The approved site ${JSON.stringify(approval.origin)} gets no token. ${siteRefusal(approval.origin) ?? ''}`.trimEnd(),
          origin: approval.origin,
          accountId: approval.accountId,
        });
      }
    }
    if (site === null) continue;
    // Every field set up front: one object shape keeps the passes below monomorphic.
    candidates.push({ approval, account: entry.account, provider: entry.provider, site, overriddenBy: undefined, inForce: entry.targets });
  }

  for (const { approval, site, inForce } of candidates) {
    const winners = site.slot.winners;
    for (const target of inForce) {
      const current = winners[target.index];
      if (current === undefined || winsOver(approval, current)) winners[target.index] = approval;
    }
  }

  for (const candidate of candidates) {
    const winners = candidate.site.slot.winners;
    const accountId = candidate.account.id;
    // Most approvals hold every target: keep the shared array and allocate only when one is lost.
    if (holdsAll(candidate.inForce, winners, accountId)) continue;
    const held: BaseUrlTarget[] = [];
    for (const target of candidate.inForce) {
      const winner = winners[target.index]!;
      if (winner.accountId === accountId) held.push(target);
      else candidate.overriddenBy ??= winner;
    }
    candidate.inForce = held;
  }
  return candidates;
}

function holdsAll(targets: readonly BaseUrlTarget[], winners: readonly Approval[], accountId: string): boolean {
  for (const target of targets) if (winners[target.index]!.accountId !== accountId) return false;
  return true;
}

function siteOf(origin: string, hosts: Map<string, HostSlot>): Site | null {
  const site = ruleSiteOf(origin);
  if (site === undefined) return null;
  let slot = hosts.get(site.host);
  if (slot === undefined) {
    slot = { winners: [] };
    hosts.set(site.host, slot);
  }
  return { host: site.host, origin: site.origin, slot };
}

/** The provider's base URLs a rule can express, de-duplicated, in canonical form. */
function baseUrlTargets(provider: Provider, known: Map<string, BaseUrlTarget>, skipped: SkippedInjection[]): BaseUrlTarget[] {
  const result: BaseUrlTarget[] = [];
  for (const apiBaseUrl of provider.apiBaseUrls) {
    const target = baseUrlTarget(apiBaseUrl, known);
    if (target === undefined) {
      skipped.push({
        reason: 'unusable-api-base-url',
        message:
          `${provider.name}'s API base URL ${JSON.stringify(apiBaseUrl)} cannot be written as a browser network rule ` +
          '(it must be an http(s) URL without a user name, "*", "^" or "|"); requests to it get no token.',
        providerId: provider.id,
        apiBaseUrl,
      });
    } else if (!result.includes(target)) {
      result.push(target);
    }
  }
  return result;
}

/**
 * The API base URL of `provider` that `url` falls under, as a rule's urlFilter matches it (a prefix
 * of its canonical form; the longest when base URLs nest), or undefined: such a URL gets no token.
 */
export function apiBaseUrlOf(url: string, provider: Provider): string | undefined {
  let request: string;
  try {
    request = new URL(url).href;
  } catch {
    return undefined;
  }
  const bases = provider.apiBaseUrls.map((base) => ruleUrl(base)?.href).filter((base) => base !== undefined && request.startsWith(base));
  return bases.sort((a, b) => b!.length - a!.length)[0];
}

/** One target object per canonical URL, shared by providers that list the same API, so they compete. */
function baseUrlTarget(apiBaseUrl: string, known: Map<string, BaseUrlTarget>): BaseUrlTarget | undefined {
  const url = ruleUrl(apiBaseUrl);
  if (url === undefined) return undefined;
  let target = known.get(url.href);
  if (target === undefined) {
    target = { url: url.href, origin: url.origin, index: known.size };
    known.set(url.href, target);
  }
  return target;
}

/** `value` as a URL a urlFilter can spell: http(s), no user name or fragment, none of "*", "^", "|". */
function ruleUrl(value: string): URL | undefined {
  if (URL_FILTER_SPECIALS.test(value)) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (url.username !== '' || url.password !== '' || url.hash !== '' || URL_FILTER_SPECIALS.test(url.href)) {
    return undefined;
  }
  return url;
}

function headerFor(account: Account, provider: Provider, skipped: SkippedInjection[]): HeaderValue | undefined {
  const found = accountHeader(account, provider);
  if ('header' in found) return found.header;
  skipped.push({ ...found.problem, providerId: provider.id, accountId: account.id });
  return undefined;
}

function rule(
  id: number,
  group: RuleGroup,
  initiatorDomains: string[] | undefined,
  resourceTypes: readonly ResourceType[],
  requestMethods?: readonly RequestMethod[],
  tabId?: number,
): DnrRule {
  return {
    id,
    priority: (tabId === undefined ? 0 : TAB_RULE_PRIORITY_OFFSET) + prefixPriority(group.target.url),
    action: {
      type: 'modifyHeaders',
      requestHeaders: [{ header: group.header.name, operation: 'set', value: group.header.value }],
    },
    condition: {
      // '|' anchors the filter at the start of the URL: a prefix match, nothing before it.
      urlFilter: `|${group.target.url}`,
      isUrlFilterCaseSensitive: true,
      ...(initiatorDomains !== undefined && { initiatorDomains }),
      resourceTypes: [...resourceTypes],
      ...(requestMethods !== undefined && { requestMethods: [...requestMethods] }),
      ...(tabId !== undefined && { tabIds: [tabId] }),
    },
  };
}

/** Sorted in code-unit order (the default sort for strings), repeats dropped. */
function sortedUnique(values: string[]): string[] {
  values.sort();
  const result: string[] = [];
  for (const value of values) if (value !== result[result.length - 1]) result.push(value);
  return result;
}

/** Code-unit order: locale-independent, so the rule order is the same on every machine. */
function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
