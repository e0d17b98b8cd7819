/// <reference types="@crxjs/vite-plugin/client" />
// Tab mode (README "Provider JSON"): for providers that accept only their own fixed redirect
// page, the sign-in runs in a normal tab; a content script on that page hands the address (token in the
// fragment, or code in the query) to the background, which checks and stores it exactly as the
// auth window's answer (finishSignIn). The sign-in lives in storage.session, so a capture still
// completes it after the worker was stopped; the promise connect() awaits is only a shortcut.
import { browser, type Browser } from '../platform';
// crxjs builds the content script as one self-contained file and gives its path in the extension.
import redirectCaptureScript from '../content/redirect-capture?iife';
import { isRedirectCaptured, type RedirectCaptured } from '../content/redirect-captured';
import { UserFacingError } from '../messages';
import { startAuthorization } from '../oauth/authorize';
import { usesTabRedirect, type TabModeProvider } from '../providers/model';
import { redirectPageHostPattern } from '../providers/redirect-page';
import { redirectUrlOf } from '../redirect-url';
import { setLastError } from '../storage/session';
import { readTabSignIns, saveTabSignIn, takeTabSignIn, type SignIn } from '../storage/sign-ins';
import { readState } from '../storage/store';
import { captureScriptChange, captureScriptMatches } from './capture-script-plan';
import { finishSignIn } from './finish-sign-in';
import { SIGN_IN_CLOSED } from './pending-sign-ins';
import { UNEXPECTED_PROBLEM } from './refusals';
import { findTabSignIn, judgeCapture, signInInTab, type TabSignIn } from './tab-sign-in';

const NO_TAB = 'TokenTap could not open a tab for the sign-in. Nothing was changed.';
const SCRIPT_ID = 'redirect-capture';

type Outcome = { ok: true; value: { accountId: string } } | { ok: false; error: UserFacingError };

/** connect() calls waiting in this worker, by state. Lost when the worker stops; storage is not. */
const waiting = new Map<string, (outcome: Outcome) => void>();
/** States this worker took out of storage, so two events for one sign-in cannot both finish it. */
const claimed = new Set<string>();
/** Sign-in tabs being opened in this worker whose id is not stored yet, by state. */
const opening = new Map<string, Promise<number | undefined>>();

/**
 * Signs in through a tab: opens the authorize URL in a normal tab and resolves when the redirect
 * page's content script reports the answer and the account is stored; the tab is then closed.
 * Throws a UserFacingError (nothing stored) on a refused or mismatched answer, or a closed tab.
 */
export async function connectInTab(
  provider: TabModeProvider,
  purpose: Pick<SignIn, 'accountId' | 'askedScopes'> = {},
): Promise<{ accountId: string }> {
  await requireRedirectPageAccess(provider);
  await syncRedirectCaptureScript();
  const started = await startAuthorization(provider, redirectUrlOf(provider));
  const { url } = started;
  const pending: SignIn = { ...started.pending, ...purpose };
  const { state } = pending;

  const outcome = new Promise<Outcome>((resolve) => waiting.set(state, resolve));
  await saveTabSignIn({ pending });
  // Until its id is stored, a capture or a closed tab finds the sign-in's tab through `opening`.
  const created = browser.tabs.create({ url, active: true }).then((tab) => tab.id);
  opening.set(
    state,
    created.catch(() => undefined),
  );
  try {
    const tabId = await created;
    if (tabId === undefined) throw new Error('no tab id');
    // Not when the sign-in already ended (a fast answer, or the tab closed): that would revive it.
    if (!claimed.has(state)) await saveTabSignIn({ pending, tabId });
  } catch {
    if (await claim(state)) await settle(state, { ok: false, error: new UserFacingError(NO_TAB) });
  } finally {
    opening.delete(state);
  }
  const result = await outcome;
  if (!result.ok) throw result.error;
  return result.value;
}

/**
 * Listens for redirect captures and closed sign-in tabs, and keeps the content script registered
 * for the tab-mode providers' redirect pages. Call once, synchronously, at worker start.
 */
export function registerTabFlowListeners(): void {
  browser.runtime.onMessage.addListener((message: unknown, sender: Browser.Runtime.MessageSender) => {
    // Only content scripts of this extension, only this one message; index.ts answers extension pages.
    if (sender.id !== browser.runtime.id || sender.tab === undefined || !isRedirectCaptured(message)) return undefined;
    void onCapture(message, sender).catch(reportUnexpected);
    return undefined;
  });
  browser.tabs.onRemoved.addListener((tabId) => void onTabRemoved(tabId).catch(reportUnexpected));
  // From a listener and at worker start: nobody awaits it; its failure is logged where it is serialized.
  browser.storage.onChanged.addListener((changes, area) => {
    if (area === 'local' && 'providers' in changes) void syncRedirectCaptureScript();
  });
  void syncRedirectCaptureScript();
}

let registration: Promise<void> = Promise.resolve();

/**
 * Registers the content script for every tab-mode provider's redirect page (document_start, top
 * frame), updates it when the pages changed, and removes it when there are none. Serialized: a
 * second register with the same id would fail.
 */
export function syncRedirectCaptureScript(): Promise<void> {
  const run = registration.then(applyRegistration);
  registration = run.catch((error: unknown) => {
    console.error('TokenTap: could not register the redirect page script:', (error as Error)?.message);
  });
  return run;
}

async function applyRegistration(): Promise<void> {
  const { providers } = await readState();
  const script = {
    id: SCRIPT_ID,
    js: [redirectCaptureScript],
    matches: captureScriptMatches(providers),
    runAt: 'document_start' as const,
    allFrames: false,
  };
  const [current] = await browser.scripting.getRegisteredContentScripts({ ids: [SCRIPT_ID] });
  const change = captureScriptChange(current, script);
  if (change === 'unregister') await browser.scripting.unregisterContentScripts({ ids: [SCRIPT_ID] });
  else if (change === 'register') await browser.scripting.registerContentScripts([script]);
  else if (change === 'update') await browser.scripting.updateContentScripts([script]);
}

/**
 * Host access to the redirect page lets the content script run there. It is granted at install
 * for localhost and 127.0.0.1, and asked for from the Import click for any other host; the
 * background cannot ask (no user action), so a missing grant is explained instead.
 */
async function requireRedirectPageAccess(provider: TabModeProvider): Promise<void> {
  const pattern = redirectPageHostPattern(provider.redirectUri);
  if (await browser.permissions.contains({ origins: [pattern] })) return;
  const host = new URL(provider.redirectUri).host;
  throw new UserFacingError(
    `TokenTap may not read ${provider.name}'s redirect page on ${host}, so it could not finish the sign-in there. ` +
      `Import the provider again and allow access to ${host} when asked. Nothing was changed.`,
  );
}

async function onCapture(message: RedirectCaptured, sender: Browser.Runtime.MessageSender): Promise<void> {
  const tabId = sender.tab?.id;
  if (tabId === undefined || sender.frameId !== 0) return;
  const { providers } = await readState();
  const pages = providers.filter(usesTabRedirect).map((p) => ({ providerId: p.id, redirectUri: redirectUrlOf(p) }));
  const match = findTabSignIn(await readSignIns(), message.url, { tabId, frameUrl: sender.url, tabUrl: sender.tab?.url }, pages);
  // Not the answer to a sign-in of ours, or not from its tab and a redirect page: ignored, changes nothing.
  if (match === undefined || !(await claim(match.signIn.pending.state))) return;
  void browser.tabs.remove(tabId).catch(() => undefined);

  const { pending } = match.signIn;
  const verdict = judgeCapture(match, providers);
  let outcome: Outcome;
  try {
    if (verdict.kind === 'refuse') throw new UserFacingError(verdict.message);
    outcome = { ok: true, value: await finishSignIn(verdict.provider, message.url, pending) };
  } catch (error) {
    outcome = { ok: false, error: error instanceof UserFacingError ? error : new UserFacingError(UNEXPECTED_PROBLEM) };
  }
  await settle(pending.state, outcome);
}

async function onTabRemoved(tabId: number): Promise<void> {
  const signIn = signInInTab(await readSignIns(), tabId);
  if (signIn === undefined || !(await claim(signIn.pending.state))) return;
  await settle(signIn.pending.state, { ok: false, error: new UserFacingError(SIGN_IN_CLOSED) });
}

/** Takes a sign-in out of storage; true for the one caller that may finish it. */
async function claim(state: string): Promise<boolean> {
  if (claimed.has(state)) return false;
  claimed.add(state);
  return takeTabSignIn(state);
}

/**
 * Hands the outcome to the connect() call waiting in this worker, which reports it like any
 * connect. With nobody waiting (the worker was stopped since), the popup learns it from storage:
 * the new account, or the last error.
 */
async function settle(state: string, outcome: Outcome): Promise<void> {
  const resolve = waiting.get(state);
  waiting.delete(state);
  if (resolve) return resolve(outcome);
  await setLastError(outcome.ok ? null : outcome.error.message);
}

/** The stored sign-ins with their tabs; one whose tab is still opening elsewhere is left out. */
async function readSignIns(): Promise<TabSignIn[]> {
  const signIns = (await readTabSignIns()).map(async ({ pending, tabId }): Promise<TabSignIn | undefined> => {
    const id = tabId ?? (await opening.get(pending.state));
    return id === undefined ? undefined : { pending, tabId: id };
  });
  return (await Promise.all(signIns)).filter((signIn): signIn is TabSignIn => signIn !== undefined);
}

/** Never logs the message or the URL: either may hold a token. */
function reportUnexpected(error: unknown): void {
  console.error('TokenTap: the sign-in in a tab hit an unexpected problem:', (error as Error)?.name);
}
