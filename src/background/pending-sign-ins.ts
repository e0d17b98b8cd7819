// What ends a sign-in, and what a sign-in found in storage.session still means. It outlives the
// service worker there, but the auth window's answer does not: Chromium hands it to the
// launchWebAuthFlow call, which dies with the worker that made it. Pure, so the rules are tested
// without a browser.
import type { PendingAuthorization } from '../oauth/authorize';

/** How long a sign-in may take, start to answer; SkyVault-like providers' codes live 10 minutes too. */
export const SIGN_IN_MAX_AGE_MS = 10 * 60_000;

/** Shown when a sign-in was running in a worker that stopped: its answer can never arrive. */
export const SIGN_IN_INTERRUPTED = 'The sign-in was interrupted (TokenTap restarted). Connect again. Nothing was changed.';

/** Shown when an answer comes for a sign-in that is too old, or no longer pending: it is ignored. */
export const SIGN_IN_EXPIRED = 'The sign-in took more than 10 minutes, so TokenTap ignored its answer. Connect again. Nothing was changed.';

/** Shown when the user closed the sign-in window or tab before the provider answered. */
export const SIGN_IN_CLOSED = 'The sign-in window was closed before finishing. Nothing was changed.';

/** True when the sign-in is too old to finish, or its start time is not one (a clock jump, bad data). */
export function isExpired(pending: Pick<PendingAuthorization, 'createdAt'>, now: number): boolean {
  return !(Math.abs(now - pending.createdAt) < SIGN_IN_MAX_AGE_MS);
}

/**
 * Sorts the sign-ins stored under their `state` when the worker (re)starts or a window closes. The
 * ones this worker runs are left alone. Every other one is forgotten: the worker that ran it is
 * gone. It is `lost` (the user should hear of it) when it is recent and well-formed, else it is
 * only stale and goes silently.
 */
export function sortStoredSignIns(
  stored: Iterable<readonly [state: string, value: unknown]>,
  running: ReadonlySet<string>,
  now: number,
): { forget: string[]; lost: string[] } {
  const forget: string[] = [];
  const lost: string[] = [];
  for (const [state, value] of stored) {
    if (running.has(state)) continue;
    forget.push(state);
    if (isPendingAuthorization(value) && value.state === state && !isExpired(value, now)) lost.push(state);
  }
  return { forget, lost };
}

function isPendingAuthorization(value: unknown): value is PendingAuthorization {
  if (typeof value !== 'object' || value === null) return false;
  const { providerId, state, redirectUri, createdAt } = value as Record<string, unknown>;
  return typeof providerId === 'string' && typeof state === 'string' && typeof redirectUri === 'string' && typeof createdAt === 'number';
}
