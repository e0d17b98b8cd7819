// The device authorization grant's two requests (RFC 8628), through oauth4webapi: the user code
// from the device authorization endpoint, then the token endpoint polled with the device code.
import * as oauth from 'oauth4webapi';
import { isAllowedEndpointText } from '../providers/endpoint-url';
import type { Provider } from '../providers/model';
import { OAuthError } from './errors';
import {
  authorizationServer,
  clientAuthentication,
  clientOf,
  requestOptions,
  requireEndpoint,
  sendRequest,
  type TokenRequestOptions,
} from './oauth-client';
import { spendingGrant, withScope } from './token';
import { endpointFailure, type TokenSet } from './token-response';

/** A checked device authorization response (RFC 8628 3.2). */
export interface DeviceAuthorization {
  /** Sent to the token endpoint at each poll; a credential, never shown. */
  deviceCode: string;
  /** What the user types on the verification page. */
  userCode: string;
  verificationUri: string;
  /** The verification page with the user code in it, when the provider gives one. */
  verificationUriComplete?: string;
  /** Seconds the device code and user code live. */
  expiresIn: number;
  /** Seconds to wait between polls, when the provider says. */
  interval?: number;
}

/** A user code longer than this is not one a person types (RFC 8628 6.1 suggests 8 characters). */
const MAX_USER_CODE_LENGTH = 64;

/**
 * Asks the device authorization endpoint for a device code and a user code (RFC 8628 3.1), with
 * the client authenticated as at the token endpoint and `scope` from provider.scopes (none when
 * empty). Throws OAuthError (step `device`).
 */
export async function requestDeviceAuthorization(provider: Provider, options?: TokenRequestOptions): Promise<DeviceAuthorization> {
  const step = 'device';
  const endpoint = requireEndpoint(provider.deviceAuthorizationUrl, 'it has no device authorization URL', step);
  const as = { ...authorizationServer(provider), device_authorization_endpoint: endpoint.href };
  const client = clientOf(provider);
  const response = await sendRequest(step, () =>
    oauth.deviceAuthorizationRequest(
      as,
      client,
      clientAuthentication(provider, step),
      withScope(provider),
      requestOptions(endpoint, step, options),
    ),
  );
  const copy = response.clone();
  const secrets = [provider.clientSecret];
  let answer: oauth.DeviceAuthorizationResponse;
  try {
    answer = await oauth.processDeviceAuthorizationResponse(as, client, response);
  } catch (error) {
    throw await endpointFailure(error, copy, step, secrets);
  }
  return readDeviceAuthorization(answer);
}

/** Our rules on top of oauth4webapi's: pages TokenTap may open, a user code a person can read, a positive lifetime. */
function readDeviceAuthorization(answer: oauth.DeviceAuthorizationResponse): DeviceAuthorization {
  const invalid = (problem: string): never => {
    throw new OAuthError('invalid_token_response', problem, { step: 'device', status: 200 });
  };
  const { device_code, user_code, verification_uri, verification_uri_complete, expires_in, interval } = answer;
  if (device_code === '') invalid('"device_code" must not be empty');
  if (user_code === '' || user_code.length > MAX_USER_CODE_LENGTH || /\p{Cc}/u.test(user_code)) {
    invalid(`"user_code" must be 1 to ${MAX_USER_CODE_LENGTH} characters a person can type`);
  }
  // The tab TokenTap opens: never a javascript:, data: or browser page, nor plain http off this machine.
  if (!isAllowedEndpointText(verification_uri)) invalid('"verification_uri" must be an https URL (or http on localhost / 127.0.0.1)');
  if (verification_uri_complete !== undefined && !isAllowedEndpointText(verification_uri_complete)) {
    invalid('"verification_uri_complete" must be an https URL (or http on localhost / 127.0.0.1)');
  }
  if (!(expires_in > 0)) invalid('"expires_in" must be a positive number');
  return {
    deviceCode: device_code,
    userCode: user_code,
    verificationUri: verification_uri,
    ...(verification_uri_complete !== undefined && { verificationUriComplete: verification_uri_complete }),
    expiresIn: expires_in,
    ...(interval !== undefined && { interval }),
  };
}

/**
 * One poll of the token endpoint with the device code (RFC 8628 3.4), the provider's tokenParams
 * added. The answer is tokens, or an OAuthError whose providerError says what to do next
 * (`authorization_pending`, `slow_down`, `expired_token`, `access_denied`: device-polling.ts).
 */
export async function pollDeviceToken(provider: Provider, deviceCode: string, options?: TokenRequestOptions): Promise<TokenSet> {
  if (deviceCode === '') throw new TypeError('deviceCode must not be empty');
  return spendingGrant(
    provider,
    'exchange',
    deviceCode,
    (as, client, auth, request) => oauth.deviceCodeGrantRequest(as, client, auth, deviceCode, request),
    'device_code',
    options,
  );
}
