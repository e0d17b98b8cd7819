import { afterEach, describe, expect, it } from 'vitest';
import { createAccount, createPastedAccount, PASTED_TOKEN_NOTE, renewAt, withoutTokens, type Account } from '../accounts/account';
import { startAuthorization } from '../oauth/authorize';
import { refreshAccessToken, tokensFromRedirect } from '../oauth/token';
import { UserFacingError } from '../messages';
import { parseProviderJson } from '../providers/provider';
import type { Provider } from '../providers/model';
import { SEED_PROVIDERS_JSON, SKYVAULT_TOKEN_RESPONSE } from '../../test/fixtures/seed-providers';
import { json, startTokenServer, type Answer, type TokenServer } from '../../test/fixtures/token-server';
import { classifyRenewalFailure, renewalTarget, SignInRequired, singleFlight, withRenewalFailure, type RenewalFailure } from './renewal';

const [READYCLOUD, SKYVAULT] = parseProviderJson(SEED_PROVIDERS_JSON) as [Provider, Provider];
const NOW = Date.UTC(2026, 10, 23, 12);
const SEED_TOKENS = {
  accessToken: SKYVAULT_TOKEN_RESPONSE.access_token,
  tokenType: 'bearer' as const,
  expiresIn: 3600,
  refreshToken: SKYVAULT_TOKEN_RESPONSE.refresh_token,
};
const skyAccount = createAccount(SKYVAULT, SEED_TOKENS, [], NOW, 'sky-1');
const readyAccount = createAccount(READYCLOUD, { accessToken: 'rc-token-0001', tokenType: 'bearer', expiresIn: 3600 }, [], NOW, 'ready-1');

let server: TokenServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** What a real refresh against a token endpoint answering `answer` throws. */
async function refreshFailure(answer: Answer | 'hang-up'): Promise<unknown> {
  server = await startTokenServer(() => answer);
  const provider = { ...SKYVAULT, tokenUrl: `${server.origin}/oauth/token` };
  return refreshAccessToken(provider, skyAccount.refreshToken!).then(
    () => expect.fail('the refresh should have failed'),
    (error: unknown) => error,
  );
}

describe('renewalTarget', () => {
  const state = { providers: [SKYVAULT, READYCLOUD], accounts: [skyAccount, readyAccount] };

  it('finds the account and its provider', () => {
    expect(renewalTarget(state, 'sky-1')).toEqual({ kind: 'renewable', account: skyAccount, provider: SKYVAULT });
  });

  it('is blocked for an account or provider that is gone', () => {
    const gone = { kind: 'blocked', message: 'That account is no longer connected.' };
    expect(renewalTarget(state, 'nobody')).toEqual(gone);
    expect(renewalTarget({ ...state, providers: [READYCLOUD] }, 'sky-1')).toEqual(gone);
  });

  it('is blocked, with its own message, for an account whose tokens were dropped', () => {
    const dropped = withoutTokens(skyAccount, "SkyVault's settings now send its tokens to another host. Press Reconnect.");
    expect(renewalTarget({ ...state, accounts: [dropped] }, 'sky-1')).toEqual({ kind: 'blocked', message: dropped.problem!.message });
  });

  it('is blocked for a pasted token, with or without an expiry: Refresh, the schedule and a 401 leave it as it is', () => {
    for (const pasted of [{ accessToken: 'pasted-rc-1' }, { accessToken: 'pasted-rc-2', expiresIn: 60 }]) {
      const account = createPastedAccount(READYCLOUD, pasted, [readyAccount], NOW, 'pasted-1');
      expect(renewalTarget({ ...state, accounts: [...state.accounts, account] }, 'pasted-1')).toEqual({
        kind: 'blocked',
        message: PASTED_TOKEN_NOTE,
      });
    }
  });
});

describe('classifyRenewalFailure', () => {
  it('retries after a network failure or a 5xx from the token endpoint', async () => {
    for (const answer of ['hang-up', { status: 503, body: 'busy' }, json(500, { error: 'server_error' })] as const) {
      const failure = classifyRenewalFailure(await refreshFailure(answer), SKYVAULT, skyAccount, 'schedule');
      expect(failure.kind).toBe('retry');
      await server?.close();
      server = undefined;
    }
  });

  it('needs a reconnect after invalid_grant (the refresh token is dead)', async () => {
    const error = await refreshFailure(json(400, { error: 'invalid_grant', error_description: 'Refresh token expired' }));
    expect(classifyRenewalFailure(error, SKYVAULT, skyAccount, 'schedule')).toEqual({
      kind: 'needs reconnect',
      message: expect.stringContaining('SkyVault') as string,
    });
  });

  it('is an error after another refusal of a refresh token (a wrong setting: the user must look)', async () => {
    const error = await refreshFailure(json(401, { error: 'invalid_client' }));
    expect(classifyRenewalFailure(error, SKYVAULT, skyAccount, 'user').kind).toBe('error');
  });

  it('needs a reconnect when a silent re-authorization is answered with an error', async () => {
    const { pending } = await startAuthorization(READYCLOUD, 'https://x.chromiumapp.org/readycloud');
    const redirect = `https://x.chromiumapp.org/readycloud#error=access_denied&state=${pending.state}`;
    const error = await tokensFromRedirect(READYCLOUD, redirect, pending).catch((thrown: unknown) => thrown);
    expect(classifyRenewalFailure(error, READYCLOUD, readyAccount, 'schedule').kind).toBe('needs reconnect');
  });

  it('lets the token work until it expires when the provider asks for the user, unless the API refused it already', () => {
    expect(classifyRenewalFailure(new SignInRequired(), READYCLOUD, readyAccount, 'schedule')).toEqual<RenewalFailure>({
      kind: 'needs sign-in',
      message: 'ReadyCloud needs you to sign in again for a new token. Press Reconnect before this one expires.',
    });
    expect(classifyRenewalFailure(new SignInRequired(), READYCLOUD, readyAccount, 'unauthorized')).toEqual<RenewalFailure>({
      kind: 'needs reconnect',
      message: 'ReadyCloud refused the token and needs you to sign in again. Press Reconnect.',
    });
  });

  it('keeps the words of a UserFacingError, and never the words of an unexpected one', () => {
    expect(classifyRenewalFailure(new UserFacingError('Reconnect, please.'), SKYVAULT, skyAccount, 'user')).toEqual({
      kind: 'needs reconnect',
      message: 'Reconnect, please.',
    });
    const unexpected = classifyRenewalFailure(new TypeError(`bad ${SEED_TOKENS.refreshToken}`), SKYVAULT, skyAccount, 'user');
    expect(unexpected.kind).toBe('error');
    expect(unexpected.message).not.toContain(SEED_TOKENS.refreshToken);
  });
});

describe('withRenewalFailure', () => {
  const retry: RenewalFailure = { kind: 'retry', message: 'Could not reach SkyVault.' };

  it('backs off 30 s, then 1 min, then 2 min, and schedules the renewal then', () => {
    const first = withRenewalFailure(skyAccount, retry, NOW);
    const second = withRenewalFailure(first, retry, NOW + 30_000);
    const third = withRenewalFailure(second, retry, NOW + 90_000);
    expect([first, second, third].map((a) => a.retry)).toEqual([
      { attempt: 1, nextAt: NOW + 30_000, message: retry.message },
      { attempt: 2, nextAt: NOW + 90_000, message: retry.message },
      { attempt: 3, nextAt: NOW + 210_000, message: retry.message },
    ]);
    expect(renewAt(third)).toBe(NOW + 210_000);
  });

  it('ends the retries when the failure needs the user, and schedules nothing more', () => {
    const retrying = withRenewalFailure(skyAccount, retry, NOW);
    const signIn = withRenewalFailure(retrying, { kind: 'needs sign-in', message: 'Sign in.' }, NOW);
    const reconnect = withRenewalFailure(retrying, { kind: 'needs reconnect', message: 'Reconnect.' }, NOW);
    expect(signIn).toEqual<Account>({ ...skyAccount, needsSignIn: { message: 'Sign in.' } });
    expect(reconnect).toEqual<Account>({ ...skyAccount, problem: { kind: 'needs reconnect', message: 'Reconnect.' } });
    expect([renewAt(signIn), renewAt(reconnect)]).toEqual([undefined, undefined]);
  });
});

describe('singleFlight', () => {
  /** A run that counts its starts and ends when told. */
  function gatedRun() {
    let starts = 0;
    let finish: (error?: Error) => void = () => undefined;
    const run = () => {
      starts++;
      return new Promise<void>((resolve, reject) => {
        finish = (error) => (error ? reject(error) : resolve());
      });
    };
    return { run, starts: () => starts, finish: (error?: Error) => finish(error) };
  }

  it('shares the running call for a key, and starts a new one once it settled', async () => {
    const once = singleFlight<string>();
    const gate = gatedRun();
    const first = once('sky-1', gate.run);
    const second = once('sky-1', gate.run);
    expect(second).toBe(first);
    expect(gate.starts()).toBe(1);
    gate.finish();
    await first;
    const third = once('sky-1', gate.run);
    expect(gate.starts()).toBe(2);
    gate.finish();
    await third;
  });

  it('shares a failure with every caller, then lets the next call try again', async () => {
    const once = singleFlight<string>();
    const gate = gatedRun();
    const calls = [once('sky-1', gate.run), once('sky-1', gate.run)];
    gate.finish(new Error('down'));
    await expect(Promise.all(calls)).rejects.toThrow('down');
    const retried = once('sky-1', gate.run);
    expect(gate.starts()).toBe(2);
    gate.finish();
    await expect(retried).resolves.toBeUndefined();
  });

  it('runs different keys side by side', async () => {
    const once = singleFlight<string>();
    const sky = gatedRun();
    const ready = gatedRun();
    const runs = [once('sky-1', sky.run), once('ready-1', ready.run)];
    expect([sky.starts(), ready.starts()]).toEqual([1, 1]);
    sky.finish();
    ready.finish();
    await Promise.all(runs);
  });
});
