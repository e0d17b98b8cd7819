// Where the redirect-page capture script must run (tab mode, README "Provider JSON"), and what it
// takes to bring the registered script there. Pure; tab-flow.ts calls the scripting API.
import { usesTabRedirect, type Provider } from '../providers/model';
import { redirectPageMatches } from '../providers/redirect-page';

/** The fields of a registered content script that TokenTap sets and compares. */
export interface CaptureScriptFields {
  matches?: string[];
  js?: string[];
  runAt?: string;
}

/** What to do with the registration: nothing, register, update, or unregister (no tab-mode provider left). */
export type CaptureScriptChange = 'keep' | 'register' | 'update' | 'unregister';

/** Match patterns of every tab-mode provider's redirect page, without repeats, sorted. */
export function captureScriptMatches(providers: readonly Provider[]): string[] {
  const pages = providers.filter(usesTabRedirect).flatMap((provider) => redirectPageMatches(provider.redirectUri));
  return [...new Set(pages)].sort();
}

/** The change that makes the `registered` script (undefined: none) the `wanted` one; list order does not count. */
export function captureScriptChange(registered: CaptureScriptFields | undefined, wanted: Required<CaptureScriptFields>): CaptureScriptChange {
  if (wanted.matches.length === 0) return registered ? 'unregister' : 'keep';
  if (!registered) return 'register';
  const same = sameList(registered.matches, wanted.matches) && sameList(registered.js, wanted.js) && registered.runAt === wanted.runAt;
  return same ? 'keep' : 'update';
}

function sameList(a: readonly string[] | undefined, b: readonly string[]): boolean {
  const sorted = [...b].sort();
  return a !== undefined && a.length === b.length && [...a].sort().every((item, index) => item === sorted[index]);
}
