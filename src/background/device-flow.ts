import { browser } from '../platform';
import { requestDeviceAuthorization, pollDeviceToken } from '../oauth/device';
import { afterPoll, hasExpired, startPolling, type PollAnswer, type PollStep } from '../oauth/device-polling';
import { describeOAuthError, OAuthError } from '../oauth/errors';
import type { TokenSet } from '../oauth/token';
import { providerOf } from '../accounts/account-provider';
import { UserFacingError } from '../messages';
import type { Provider } from '../providers/model';
import { readState } from '../storage/store';
import { setLastError } from '../storage/session';
import { forgetDeviceSignIn, readDeviceSignIn, readDeviceSignIns, saveDeviceSignIn, type DeviceSignIn } from '../storage/device-sign-ins';
import { asUserFacing, storeConnectedAccount } from './finish-sign-in';
import { PROVIDER_GONE } from './refusals';
import { singleFlight } from './renewal';

/**
 * Each poll is due at `nextPollAt`, kept in storage.session. Two triggers run it: an alarm, which
 * wakes a stopped worker (and in packed Chrome fires no sooner than 30 s after it is set), and a
 * timer, which keeps polls on time while the worker lives. Whichever comes first polls; the other
 * finds the poll not due yet and waits again.
 */
const ALARM = 'devicePoll:';
const onePollAtATime = singleFlight<string>();
const timers = new Map<string, ReturnType<typeof setTimeout>>();

/** Shown when the user code expired before the user approved it. */
export const DEVICE_CODE_EXPIRED = 'The code expired before it was approved. Connect again.';

/**
 * Connect for a device-flow provider (RFC 8628): asks for a user code, opens the verification page
 * in a new tab (with the code in it when the provider gives such a page), and polls in the
 * background until the user approves. The account is stored when the tokens come; the popup shows
 * the code meanwhile. Throws a UserFacingError, storing nothing, when no code could be had.
 */
export async function startDeviceSignIn(
  provider: Provider,
  purpose: Pick<DeviceSignIn, 'accountId' | 'askedScopes'>,
): Promise<{ deviceSignIn: string }> {
  let answer;
  try {
    answer = await requestDeviceAuthorization(provider);
  } catch (error) {
    throw asUserFacing(error, provider.name);
  }
  const signIn: DeviceSignIn = {
    id: crypto.randomUUID(),
    providerId: provider.id,
    userCode: answer.userCode,
    verificationUri: answer.verificationUri,
    deviceCode: answer.deviceCode,
    polling: startPolling(answer, Date.now()),
    ...purpose,
  };
  await saveDeviceSignIn(signIn);
  await schedulePoll(signIn);
  const page = answer.verificationUriComplete ?? answer.verificationUri;
  try {
    await browser.tabs.create({ url: page });
  } catch {
    await endDeviceSignIn(signIn.id);
    throw new UserFacingError(`TokenTap could not open ${provider.name}'s page to enter the code (${page}). Nothing was changed.`);
  }
  return { deviceSignIn: signIn.id };
}

/** Cancel in the popup: no more polls, nothing stored (a no-op when it had ended already). */
export async function cancelDeviceSignIn(id: string): Promise<void> {
  await endDeviceSignIn(id);
}

/** Polls every stored device sign-in again when the worker starts, and on its alarm. Call once, synchronously, at worker start. */
export function registerDeviceSignInListeners(): void {
  browser.alarms.onAlarm.addListener((alarm) => {
    if (alarm.name.startsWith(ALARM)) void pollWhenDue(alarm.name.slice(ALARM.length));
  });
  void readDeviceSignIns().then((signIns) => Promise.all(signIns.map((signIn) => pollWhenDue(signIn.id))));
}

async function schedulePoll(signIn: DeviceSignIn): Promise<void> {
  const { id, polling } = signIn;
  clearTimeout(timers.get(id));
  timers.set(
    id,
    setTimeout(() => void pollWhenDue(id), Math.max(0, polling.nextPollAt - Date.now())),
  );
  await browser.alarms.create(ALARM + id, { when: polling.nextPollAt });
}

/** Polls when the sign-in is still running and its poll is due; else waits again. Never two polls of one sign-in at once. */
function pollWhenDue(id: string): Promise<void> {
  return onePollAtATime(id, async () => {
    const signIn = await readDeviceSignIn(id);
    if (signIn === undefined) return;
    const now = Date.now();
    if (hasExpired(signIn.polling, now)) return stop(signIn, DEVICE_CODE_EXPIRED);
    if (now < signIn.polling.nextPollAt) return schedulePoll(signIn);
    const state = await readState();
    const provider = providerOf(state.providers, signIn.providerId);
    if (provider === undefined) return stop(signIn, PROVIDER_GONE);
    let tokens: TokenSet | undefined;
    let answer: PollAnswer;
    let failure: unknown;
    try {
      tokens = await pollDeviceToken(provider, signIn.deviceCode);
      answer = { kind: 'tokens' };
    } catch (error) {
      failure = error;
      answer = pollAnswerOf(error);
    }
    const step = afterPoll(signIn.polling, answer, Date.now());
    if (step.kind === 'poll') {
      // Cancelled meanwhile: the stored sign-in is gone and must stay gone.
      if ((await readDeviceSignIn(id)) === undefined) return;
      const next = { ...signIn, polling: step.polling };
      await saveDeviceSignIn(next);
      return schedulePoll(next);
    }
    if (step.kind === 'done' && tokens !== undefined) return finish(provider, signIn, tokens);
    return stop(signIn, stopMessage(step, provider.name, failure));
  });
}

/** Sorts a failed poll for the decider: an OAuth error code, or no usable answer (network, 5xx). */
function pollAnswerOf(error: unknown): PollAnswer {
  if (!(error instanceof OAuthError)) return { kind: 'error', error: 'unknown_error' };
  if (error.code === 'network' || (error.status !== undefined && error.status >= 500)) return { kind: 'unreachable' };
  return { kind: 'error', error: error.providerError ?? error.code };
}

/** Stores the account (one write) unless the sign-in was cancelled meanwhile, then ends it. */
async function finish(provider: Provider, signIn: DeviceSignIn, tokens: TokenSet): Promise<void> {
  if (!(await endDeviceSignIn(signIn.id))) return;
  try {
    await storeConnectedAccount(provider, tokens, signIn);
    await setLastError(null);
  } catch (error) {
    await setLastError(asUserFacing(error, provider.name).message);
  }
}

/** Why polling stopped, in words for the user. */
function stopMessage(step: PollStep, providerName: string, failure: unknown): string {
  if (step.kind === 'stop' && step.reason === 'expired') return DEVICE_CODE_EXPIRED;
  if (step.kind === 'stop' && step.reason === 'denied') return `You denied access at ${providerName}.`;
  return describeOAuthError(failure, providerName);
}

/** Ends the sign-in and tells the user why, in the popup's alert (unless it had ended already). */
async function stop(signIn: DeviceSignIn, message: string): Promise<void> {
  if (await endDeviceSignIn(signIn.id)) await setLastError(message);
}

async function endDeviceSignIn(id: string): Promise<boolean> {
  clearTimeout(timers.get(id));
  timers.delete(id);
  await browser.alarms.clear(ALARM + id);
  return forgetDeviceSignIn(id);
}
