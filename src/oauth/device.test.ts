import { afterEach, describe, expect, it } from 'vitest';
import { parseProviderJson } from '../providers/provider';
import type { Provider } from '../providers/model';
import { SEED_PROVIDERS_JSON, SKYVAULT_TOKEN_RESPONSE } from '../../test/fixtures/seed-providers';
import { json, startTokenServer, type Handler, type TokenServer } from '../../test/fixtures/token-server';
import { describeOAuthError, OAuthError } from './errors';
import { pollDeviceToken, requestDeviceAuthorization } from './device';

const [, SKYVAULT] = parseProviderJson(SEED_PROVIDERS_JSON) as [Provider, Provider];
const DEVICE_CODE = 'GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS';
const ANSWER = {
  device_code: DEVICE_CODE,
  user_code: 'WDJB-MJHT',
  verification_uri: 'https://auth.skyvault.example/device',
  verification_uri_complete: 'https://auth.skyvault.example/device?user_code=WDJB-MJHT',
  expires_in: 1800,
  interval: 5,
};

/** The OAuthError `promise` rejects with. */
async function rejection(promise: Promise<unknown>): Promise<OAuthError> {
  const outcome = await promise.then(
    () => new Error('expected an OAuthError'),
    (error: unknown) => error,
  );
  if (outcome instanceof OAuthError) return outcome;
  throw outcome;
}

let server: TokenServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function providerAnswering(answer: Handler, changes: Partial<Provider> = {}): Promise<Provider> {
  server = await startTokenServer(answer);
  return {
    ...SKYVAULT,
    flow: 'code',
    deviceAuthorizationUrl: `${server.origin}/oauth/device`,
    tokenUrl: `${server.origin}/oauth/token`,
    ...changes,
  };
}

describe('requestDeviceAuthorization (RFC 8628 3.1)', () => {
  it('asks with the client credentials and scopes, and reads the codes, pages, lifetime and interval', async () => {
    const provider = await providerAnswering(() => json(200, ANSWER));
    expect(await requestDeviceAuthorization(provider)).toEqual({
      deviceCode: DEVICE_CODE,
      userCode: 'WDJB-MJHT',
      verificationUri: ANSWER.verification_uri,
      verificationUriComplete: ANSWER.verification_uri_complete,
      expiresIn: 1800,
      interval: 5,
    });
    const [received] = server!.received;
    expect(received?.path).toBe('/oauth/device');
    expect(Object.fromEntries(received!.form)).toEqual({ client_id: 'my-api-key', client_secret: 'my-api-secret', scope: 'public_api' });
  });

  it('sends only the client id for a public client, and no scope when there are none', async () => {
    const provider = await providerAnswering(() => json(200, { ...ANSWER, verification_uri_complete: undefined, interval: undefined }), {
      scopes: [],
    });
    const { clientSecret: _, ...publicClient } = provider;
    const answer = await requestDeviceAuthorization(publicClient);
    expect(answer).not.toHaveProperty('verificationUriComplete');
    expect(answer).not.toHaveProperty('interval');
    expect(Object.fromEntries(server!.received[0]!.form)).toEqual({ client_id: 'my-api-key' });
  });

  it.each([
    [{ verification_uri: 'javascript:alert(1)' }, '"verification_uri" must be an https URL'],
    [{ verification_uri_complete: 'http://evil.example/device' }, '"verification_uri_complete" must be an https URL'],
    [{ user_code: 'A\nB' }, '"user_code" must be 1 to 64 characters'],
    [{ user_code: 'X'.repeat(65) }, '"user_code" must be 1 to 64 characters'],
    [{ expires_in: 0 }, '"expires_in" must be a positive number'],
  ])('refuses an answer TokenTap cannot show or open: %j', async (change, problem) => {
    const provider = await providerAnswering(() => json(200, { ...ANSWER, ...change }));
    const error = await rejection(requestDeviceAuthorization(provider));
    expect(error.message).toContain(problem);
    expect(error.step).toBe('device');
  });

  it('names the device authorization endpoint when it refuses the client, and never shows the secret', async () => {
    const provider = await providerAnswering(() => json(401, { error: 'invalid_client', error_description: 'bad my-api-secret' }));
    const error = await rejection(requestDeviceAuthorization(provider));
    const shown = describeOAuthError(error, 'SkyVault');
    expect(shown).toBe(
      "SkyVault's device authorization endpoint refused the request (invalid_client: bad [redacted]). Check the client ID and client secret. Nothing was changed.",
    );
  });

  it('says the provider has no device authorization URL, asking nothing', async () => {
    const provider = await providerAnswering(() => json(200, ANSWER));
    const { deviceAuthorizationUrl: _, ...without } = provider;
    const error = await rejection(requestDeviceAuthorization(without));
    expect(error.code).toBe('provider_config');
    expect(server!.received).toHaveLength(0);
  });
});

describe('pollDeviceToken (RFC 8628 3.4)', () => {
  it('sends the device code grant with the client credentials and tokenParams, and reads the tokens', async () => {
    const provider = await providerAnswering(() => json(200, SKYVAULT_TOKEN_RESPONSE), { tokenParams: { audience: 'api' } });
    const tokens = await pollDeviceToken(provider, DEVICE_CODE);
    expect(tokens.accessToken).toBe(SKYVAULT_TOKEN_RESPONSE.access_token);
    expect(tokens.refreshToken).toBe(SKYVAULT_TOKEN_RESPONSE.refresh_token);
    expect(Object.fromEntries(server!.received[0]!.form)).toEqual({
      grant_type: 'urn:ietf:params:oauth:grant-type:device_code',
      device_code: DEVICE_CODE,
      client_id: 'my-api-key',
      client_secret: 'my-api-secret',
      audience: 'api',
    });
  });

  it.each(['authorization_pending', 'slow_down', 'expired_token', 'access_denied'])(
    'gives the error %s as the provider named it, for the polling to decide, without the device code',
    async (code) => {
      const provider = await providerAnswering(() => json(400, { error: code, error_description: `still ${DEVICE_CODE}` }));
      const error = await rejection(pollDeviceToken(provider, DEVICE_CODE));
      expect(error.providerError).toBe(code);
      expect(error.status).toBe(400);
      expect(JSON.stringify([error.message, error.providerDescription])).not.toContain(DEVICE_CODE);
    },
  );

  it('tells a connection that gets no answer apart from a refusal', async () => {
    const provider = await providerAnswering(() => 'hang-up');
    expect((await rejection(pollDeviceToken(provider, DEVICE_CODE))).code).toBe('network');
  });
});
