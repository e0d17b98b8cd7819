// Which sign-in in a tab a captured redirect belongs to, and what ends it (README "Provider JSON",
// tab mode). Pure, so the rules are tested without a browser; tab-flow.ts does the storage and the tabs.
import { providerOf } from '../accounts/account-provider';
import { signsIn, type Provider, type SignInProvider } from '../providers/model';
import { isRedirectPage } from '../providers/redirect-page';
import type { SignIn } from '../storage/sign-ins';
import { PROVIDER_GONE } from './refusals';

/** A sign-in running in a tab: what connect.ts keeps for the auth window, plus the tab. */
export interface TabSignIn {
  pending: SignIn;
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

/** A tab-mode provider's redirect page. */
export interface RedirectPageOf {
  providerId: string;
  redirectUri: string;
}

/**
 * What a capture means: the `answer` to a sign-in (on its provider's own page), or a `foreign`
 * page: another provider's (`owners`), `shared` when the sign-in's provider claims it too.
 */
export type CaptureMatch = { kind: 'answer'; signIn: TabSignIn } | { kind: 'foreign'; signIn: TabSignIn; owners: string[]; shared: boolean };

/**
 * The sign-in a captured redirect belongs to, or undefined to ignore it. A capture carrying the
 * `state` of a sign-in belongs to it only when it comes from that sign-in's own tab. A capture
 * from a sign-in's tab whose state is missing or unknown still belongs to that sign-in: it is the
 * answer that arrived there, and parseRedirect reports it as a state mismatch (or the provider's
 * error), as the auth window would. The sender must be on a redirect page itself, and the answer
 * counts only on the page of the sign-in's provider and of no other (`pages`: every tab-mode
 * provider's): a provider that passed the sign-in on to another cannot have that one's answer
 * (a mix-up, README "Redirect URL to register at the provider").
 */
export function findTabSignIn(
  signIns: readonly TabSignIn[],
  capturedUrl: string,
  sender: CaptureSender,
  pages: readonly RedirectPageOf[],
): CaptureMatch | undefined {
  const states = statesIn(capturedUrl);
  const byState = signIns.find((signIn) => states.includes(signIn.pending.state));
  const signIn = byState ?? signInInTab(signIns, sender.tabId);
  if (signIn === undefined || signIn.tabId !== sender.tabId) return undefined;
  const onPage = (page: string) =>
    isRedirectPage(capturedUrl, page) && isRedirectPage(sender.frameUrl, page) && isRedirectPage(sender.tabUrl, page);
  const owners = pages.filter((page) => page.providerId !== signIn.pending.providerId && onPage(page.redirectUri));
  const own = onPage(signIn.pending.redirectUri);
  if (owners.length > 0) return { kind: 'foreign', signIn, owners: owners.map((page) => page.providerId), shared: own };
  return own ? { kind: 'answer', signIn } : undefined;
}

/** The sign-in running in `tabId`: closing that tab ends it. */
export function signInInTab(signIns: readonly TabSignIn[], tabId: number): TabSignIn | undefined {
  return signIns.find((signIn) => signIn.tabId === tabId);
}

/** What a capture does to the sign-in it belongs to: `finish` it with its provider, or end it with `message`. */
export type CaptureVerdict = { kind: 'finish'; provider: SignInProvider } | { kind: 'refuse'; message: string };

/** Only an answer on its own page finishes a sign-in, and only while its provider is configured. */
export function judgeCapture(match: CaptureMatch, providers: readonly Provider[]): CaptureVerdict {
  // One changed meanwhile to a flow without sign-in has no sign-in to finish, as if removed.
  const provider = providerOf(providers.filter(signsIn), match.signIn.pending.providerId);
  if (!provider) return { kind: 'refuse', message: PROVIDER_GONE };
  if (match.kind === 'answer') return { kind: 'finish', provider };
  const owners = match.owners.map((id) => providerOf(providers, id)?.name ?? id);
  return { kind: 'refuse', message: foreignPageMessage(provider.name, owners, match.shared) };
}

/** Why a capture on a foreign page ended the sign-in, in words the user can act on. */
export function foreignPageMessage(providerName: string, ownerNames: readonly string[], shared: boolean): string {
  const others = ownerNames.join(', ');
  return shared
    ? `The ${providerName} sign-in ended on a redirect page that ${others} uses too, so TokenTap cannot tell whose answer it is and ignored it. Give each provider its own redirect URI. Nothing was changed.`
    : `The ${providerName} sign-in ended on ${others}'s redirect page, not its own, so TokenTap ignored the answer (${providerName} may have passed the sign-in on to ${others}). Nothing was changed.`;
}

/** Every `state` in the fragment or the query: the flow decides which one counts, later. */
function statesIn(address: string): string[] {
  if (!URL.canParse(address)) return [];
  const url = new URL(address);
  return [...new URLSearchParams(url.hash.slice(1)).getAll('state'), ...url.searchParams.getAll('state')];
}
