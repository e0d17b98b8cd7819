// Which sign-in in a tab a captured redirect belongs to (PRODUCT.md flow 7). Pure, so the rules
// are tested without a browser; tab-flow.ts does the storage and the tabs.
import type { PendingAuthorization } from '../oauth/authorize';
import { isRedirectPage } from '../providers/redirect-page';

/** A sign-in running in a tab: what connect.ts keeps for the auth window, plus the tab. */
export interface TabSignIn {
  pending: PendingAuthorization;
  tabId: number;
}

/** Where a capture came from, as the browser (not the page) reports it. */
export interface CaptureSender {
  tabId: number;
  /** The sending frame's address. */
  frameUrl: string | undefined;
  /** The tab's address (the browser tells it when TokenTap has access to the page's host). */
  tabUrl: string | undefined;
}

/**
 * The sign-in a captured redirect answers, or undefined to ignore it. A capture carrying the
 * `state` of a sign-in belongs to it only when it comes from that sign-in's own tab. A capture
 * from a sign-in's tab whose state is missing or unknown still belongs to that sign-in: it is the
 * answer that arrived there, and parseRedirect reports it as a state mismatch (or the provider's
 * error), as the auth window would. Either way the sender must be on the redirect page itself.
 */
export function findTabSignIn(
  signIns: readonly TabSignIn[],
  capturedUrl: string,
  sender: CaptureSender,
): TabSignIn | undefined {
  const states = statesIn(capturedUrl);
  const byState = signIns.find((signIn) => states.includes(signIn.pending.state));
  const signIn = byState ?? signIns.find((candidate) => candidate.tabId === sender.tabId);
  if (signIn === undefined || signIn.tabId !== sender.tabId) return undefined;
  const page = signIn.pending.redirectUri;
  const onPage =
    isRedirectPage(capturedUrl, page) &&
    isRedirectPage(sender.frameUrl, page) &&
    isRedirectPage(sender.tabUrl, page);
  return onPage ? signIn : undefined;
}

/** Every `state` in the fragment or the query: the flow decides which one counts, later. */
function statesIn(address: string): string[] {
  if (!URL.canParse(address)) return [];
  const url = new URL(address);
  return [...new URLSearchParams(url.hash.slice(1)).getAll('state'), ...url.searchParams.getAll('state')];
}
