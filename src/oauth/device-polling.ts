// When to poll the token endpoint during a device sign-in, and when to stop (RFC 8628 3.4–3.5).
// Pure: the background keeps the state in storage.session and feeds in each answer and the clock.

/** RFC 8628 3.2: without `interval`, the client waits 5 seconds between polls. */
export const DEFAULT_INTERVAL_S = 5;
/** RFC 8628 3.5: `slow_down` adds 5 seconds to the interval, for this and every later poll. */
export const SLOW_DOWN_STEP_S = 5;
/** The longest wait after network failures (exponential backoff, RFC 8628 3.5), so a restored network is noticed soon. */
export const MAX_BACKOFF_MS = 60_000;

/** Where a device sign-in's polling stands. Times are epoch ms. */
export interface DevicePolling {
  /** The interval between polls, as the provider set it and `slow_down` grew it. */
  intervalMs: number;
  /** When the device code (and the user code) expire. */
  expiresAt: number;
  /** When the next poll is due. */
  nextPollAt: number;
  /** Network failures in a row (no answer, or 5xx): the backoff grows with them. */
  failures: number;
}

/** What one poll got back, sorted by what it means for the polling. */
export type PollAnswer =
  | { kind: 'tokens' }
  /** RFC 8628 3.5's codes, or any other error the token endpoint named. */
  | { kind: 'error'; error: string }
  /** No answer, or one the provider could not give now (5xx): try again later. */
  | { kind: 'unreachable' };

export type PollStep =
  | { kind: 'poll'; polling: DevicePolling }
  | { kind: 'done' }
  /** `refused` carries the token endpoint's error code. */
  | { kind: 'stop'; reason: 'expired' | 'denied' | 'refused'; error?: string };

/** The polling of a device authorization that answered at `now` (`interval` and `expires_in` in seconds). */
export function startPolling(answer: { expiresIn: number; interval?: number }, now: number): DevicePolling {
  const intervalMs = (answer.interval ?? DEFAULT_INTERVAL_S) * 1000;
  return { intervalMs, expiresAt: now + answer.expiresIn * 1000, nextPollAt: now + intervalMs, failures: 0 };
}

/** True when the code expired: no poll is made, and the user hears so. */
export function hasExpired(polling: Pick<DevicePolling, 'expiresAt'>, now: number): boolean {
  return now >= polling.expiresAt;
}

/** The step after a poll answered at `now`. */
export function afterPoll(polling: DevicePolling, answer: PollAnswer, now: number): PollStep {
  if (answer.kind === 'tokens') return { kind: 'done' };
  if (answer.kind === 'error') {
    switch (answer.error) {
      case 'access_denied':
        return { kind: 'stop', reason: 'denied' };
      case 'expired_token':
        return { kind: 'stop', reason: 'expired' };
      case 'authorization_pending':
        return next({ ...polling, failures: 0 }, polling.intervalMs, now);
      case 'slow_down': {
        const intervalMs = polling.intervalMs + SLOW_DOWN_STEP_S * 1000;
        return next({ ...polling, intervalMs, failures: 0 }, intervalMs, now);
      }
      default:
        return { kind: 'stop', reason: 'refused', error: answer.error };
    }
  }
  const failures = polling.failures + 1;
  const backoff = Math.min(polling.intervalMs * 2 ** failures, MAX_BACKOFF_MS);
  return next({ ...polling, failures }, Math.max(backoff, polling.intervalMs), now);
}

function next(polling: DevicePolling, waitMs: number, now: number): PollStep {
  if (hasExpired(polling, now)) return { kind: 'stop', reason: 'expired' };
  return { kind: 'poll', polling: { ...polling, nextPollAt: now + waitMs } };
}
