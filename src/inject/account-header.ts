// The header an account's token travels in: its name and value as the network rules attach it
// (README "Injection by network rules"), the one owner for the rule compiler and the console page. Pure.
import { sentToken, type Account } from '../accounts/account';
import { headerValue, type Provider } from '../providers/model';
import { headerNameProblem } from './header-names';

export interface HeaderValue {
  name: string;
  value: string;
}

/** Why an account's token cannot be sent; the message names the account and provider, never the token. */
export interface HeaderProblem {
  reason: 'invalid-header-name' | 'no-id-token' | 'invalid-token';
  message: string;
}

/**
 * True when `value` can be sent as a header value by every browser: printable ASCII with single
 * inner spaces or tabs allowed (RFC 9110 5.5 field-value without obs-text; RFC 6749 A.12 makes an
 * access token VSCHAR anyway). CR, LF, NUL or another control character makes the browser refuse
 * the rule, and with it the whole update.
 */
export function isValidHeaderValue(value: string): boolean {
  return /^[\x21-\x7E]+(?:[ \t]+[\x21-\x7E]+)*$/.test(value);
}

/** The provider's `header` with the account's token in it (its access token, or its id_token when the provider says). */
export function accountHeader(account: Account, provider: Provider): { header: HeaderValue } | { problem: HeaderProblem } {
  const { name, prefix, token: tokenKind } = provider.header;
  const problem = headerNameProblem(name);
  if (problem !== undefined) {
    return {
      problem: {
        reason: 'invalid-header-name',
        message: `${provider.name}'s header name ${problem}. Its token is not attached; import the provider again with another header name.`,
      },
    };
  }
  const token = sentToken(account, provider);
  if (token === undefined) {
    return {
      problem: {
        reason: 'no-id-token',
        message: `${provider.name} gave no id_token: ask for the openid scope (its header carries the id_token), then press Reconnect.`,
      },
    };
  }
  const value = headerValue(prefix, token);
  if (token === '' || !isValidHeaderValue(value)) {
    return {
      problem: {
        reason: 'invalid-token',
        message:
          `The ${provider.name} ${tokenKind === 'id_token' ? 'id_token' : 'access token'} of account ${JSON.stringify(account.id)} cannot be sent as an HTTP header ` +
          '(it is empty or has line breaks, control or non-ASCII characters); it is not attached. Reconnect the account.',
      },
    };
  }
  return { header: { name, value } };
}
