import { describe, expect, it } from 'vitest';
import { checkAuthorizeRequest, decisionOf, redirectError } from './authorize-endpoint';

const NAMES = ['response_type', 'client_id', 'redirect_uri', 'scope', 'state'] as const;
const REDIRECT = 'https://app.example/cb';

describe('checkAuthorizeRequest', () => {
  it('passes a well-formed request on with its state and its own parameters, in the order named', () => {
    const params = new URLSearchParams('state=s%201&client_id=app&response_type=token&extra=x&scope=a');
    expect(checkAuthorizeRequest(params, REDIRECT, 'token', NAMES)).toEqual({
      kind: 'ok',
      redirectUri: REDIRECT,
      state: 's 1',
      fields: [
        ['response_type', 'token'],
        ['client_id', 'app'],
        ['scope', 'a'],
        ['state', 's 1'],
      ],
    });
  });

  it('refuses a repeated parameter, and then sends no state back', () => {
    expect(checkAuthorizeRequest(new URLSearchParams('response_type=code&state=a&state=b'), REDIRECT, 'code', NAMES)).toEqual({
      kind: 'redirect-error',
      redirectUri: REDIRECT,
      error: 'invalid_request',
      description: 'The state parameter appears more than once.',
      state: undefined,
    });
    expect(checkAuthorizeRequest(new URLSearchParams('response_type=code&scope=a&scope=b&state=s'), REDIRECT, 'code', NAMES)).toMatchObject({
      error: 'invalid_request',
      description: 'The scope parameter appears more than once.',
      state: 's',
    });
  });

  it('names the one response_type the provider supports', () => {
    expect(checkAuthorizeRequest(new URLSearchParams('state=s'), REDIRECT, 'code', NAMES)).toMatchObject({
      error: 'invalid_request',
      description: 'The response_type parameter is missing; it must be "code".',
      state: 's',
    });
    expect(checkAuthorizeRequest(new URLSearchParams('response_type=&state=s'), REDIRECT, 'token', NAMES)).toMatchObject({
      error: 'invalid_request',
      description: 'The response_type parameter is missing; it must be "token".',
    });
    expect(checkAuthorizeRequest(new URLSearchParams('response_type=code'), REDIRECT, 'token', NAMES)).toMatchObject({
      kind: 'redirect-error',
      error: 'unsupported_response_type',
      description: 'response_type must be "token".',
    });
  });

  it('builds an error for the redirect URI and state it was given', () => {
    expect(redirectError({ redirectUri: REDIRECT, state: 'x' }, 'invalid_scope', 'Unknown scope: y')).toEqual({
      kind: 'redirect-error',
      redirectUri: REDIRECT,
      error: 'invalid_scope',
      description: 'Unknown scope: y',
      state: 'x',
    });
  });
});

describe('decisionOf', () => {
  it('reads one Allow or Deny, and nothing else', () => {
    expect(decisionOf(new URLSearchParams('decision=allow'))).toBe('allow');
    expect(decisionOf(new URLSearchParams('decision=deny&username=u'))).toBe('deny');
    expect(decisionOf(new URLSearchParams(''))).toBeUndefined();
    expect(decisionOf(new URLSearchParams('decision=allow&decision=deny'))).toBeUndefined();
    expect(decisionOf(new URLSearchParams('decision=allow&decision=allow'))).toBeUndefined();
    expect(decisionOf(new URLSearchParams('decision=Allow'))).toBeUndefined();
  });
});
