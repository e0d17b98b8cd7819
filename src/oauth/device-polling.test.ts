import { describe, expect, it } from 'vitest';
import { afterPoll, hasExpired, MAX_BACKOFF_MS, startPolling, type DevicePolling } from './device-polling';

const NOW = Date.UTC(2026, 11, 2, 17);

describe('startPolling', () => {
  it('polls at the interval the provider set, until the code expires', () => {
    expect(startPolling({ expiresIn: 600, interval: 3 }, NOW)).toEqual({
      intervalMs: 3000,
      expiresAt: NOW + 600_000,
      nextPollAt: NOW + 3000,
      failures: 0,
    });
  });
  it('waits 5 seconds when the provider names no interval (RFC 8628 3.2)', () => {
    expect(startPolling({ expiresIn: 1800 }, NOW).nextPollAt).toBe(NOW + 5000);
  });
});

describe('afterPoll', () => {
  const polling: DevicePolling = startPolling({ expiresIn: 600, interval: 5 }, NOW);
  const at = NOW + 5000;

  it('is done when the token endpoint answered with tokens', () => {
    expect(afterPoll(polling, { kind: 'tokens' }, at)).toEqual({ kind: 'done' });
  });
  it('keeps polling at the same interval while authorization is pending', () => {
    expect(afterPoll(polling, { kind: 'error', error: 'authorization_pending' }, at)).toEqual({
      kind: 'poll',
      polling: { ...polling, nextPollAt: at + 5000 },
    });
  });
  it('adds 5 seconds to the interval at each slow_down, for every later poll too (RFC 8628 3.5)', () => {
    const first = afterPoll(polling, { kind: 'error', error: 'slow_down' }, at);
    expect(first).toEqual({ kind: 'poll', polling: { ...polling, intervalMs: 10_000, nextPollAt: at + 10_000 } });
    if (first.kind !== 'poll') throw new Error('expected a poll');
    const second = afterPoll(first.polling, { kind: 'error', error: 'slow_down' }, at + 10_000);
    expect(second).toEqual({ kind: 'poll', polling: { ...polling, intervalMs: 15_000, nextPollAt: at + 25_000 } });
    if (second.kind !== 'poll') throw new Error('expected a poll');
    const pending = afterPoll(second.polling, { kind: 'error', error: 'authorization_pending' }, at + 25_000);
    expect(pending).toEqual({ kind: 'poll', polling: { ...second.polling, nextPollAt: at + 40_000 } });
  });
  it('stops when the user denied access, or the code expired at the provider', () => {
    expect(afterPoll(polling, { kind: 'error', error: 'access_denied' }, at)).toEqual({ kind: 'stop', reason: 'denied' });
    expect(afterPoll(polling, { kind: 'error', error: 'expired_token' }, at)).toEqual({ kind: 'stop', reason: 'expired' });
  });
  it('stops with the error named for any other refusal (a wrong client, an unsupported grant)', () => {
    expect(afterPoll(polling, { kind: 'error', error: 'invalid_client' }, at)).toEqual({
      kind: 'stop',
      reason: 'refused',
      error: 'invalid_client',
    });
  });
  it('stops as expired when a pending answer comes after the code expired, rather than polling on', () => {
    expect(afterPoll(polling, { kind: 'error', error: 'authorization_pending' }, polling.expiresAt)).toEqual({
      kind: 'stop',
      reason: 'expired',
    });
    expect(hasExpired(polling, polling.expiresAt - 1)).toBe(false);
    expect(hasExpired(polling, polling.expiresAt)).toBe(true);
  });
  it('keeps polling after network failures, backing off exponentially up to a minute, and back to the interval after an answer', () => {
    let current = polling;
    const waits: number[] = [];
    let now = at;
    for (let i = 0; i < 5; i++) {
      const step = afterPoll(current, { kind: 'unreachable' }, now);
      if (step.kind !== 'poll') throw new Error('expected a poll');
      waits.push(step.polling.nextPollAt - now);
      current = step.polling;
      now = step.polling.nextPollAt;
    }
    expect(waits).toEqual([10_000, 20_000, 40_000, MAX_BACKOFF_MS, MAX_BACKOFF_MS]);
    expect(current.failures).toBe(5);
    const answered = afterPoll(current, { kind: 'error', error: 'authorization_pending' }, now);
    expect(answered).toEqual({ kind: 'poll', polling: { ...current, failures: 0, nextPollAt: now + 5000 } });
  });
  it('never waits less than the interval after a failure, even when the interval is longer than the backoff cap', () => {
    const slow = startPolling({ expiresIn: 1800, interval: 90 }, NOW);
    const step = afterPoll(slow, { kind: 'unreachable' }, NOW + 90_000);
    expect(step).toEqual({ kind: 'poll', polling: { ...slow, failures: 1, nextPollAt: NOW + 180_000 } });
  });
  it('gives up on network failures only when the code expires', () => {
    expect(afterPoll(polling, { kind: 'unreachable' }, polling.expiresAt + 1)).toEqual({ kind: 'stop', reason: 'expired' });
  });
});
