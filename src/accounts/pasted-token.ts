// What the options page's Access token and Expires in fields may hold (README "Pasting a token"):
// checked by the background before it stores anything, so a bad paste changes nothing.
import { VSCHARS } from '../oauth/vschar';

/** A pasted access token, checked, with its lifetime in seconds when the user gave one. */
export interface PastedToken {
  accessToken: string;
  expiresIn?: number;
}

/** Ten years: anything longer is a typo, not a token lifetime. */
const MAX_EXPIRES_IN_SECONDS = 10 * 365 * 24 * 3600;

/**
 * The token without the white space a copy brings around it, and the expiry as whole seconds
 * ("" when unknown), or the words that say what to fix. Inside the token, a space or a character
 * outside printable ASCII could not go into a header (RFC 6750 2.1).
 */
export function parsePastedToken(accessToken: string, expiresIn: string): { ok: true; value: PastedToken } | { ok: false; error: string } {
  const token = accessToken.trim();
  if (token === '') return { ok: false, error: 'Paste an access token first. Nothing was added.' };
  if (token.includes(' ')) {
    return {
      ok: false,
      error: 'The access token has a space in it. Paste the token alone, without "Bearer" or other words. Nothing was added.',
    };
  }
  if (!VSCHARS.test(token)) {
    return {
      ok: false,
      error:
        'The access token has a character a token cannot have (a line break, a control character or a non-ASCII letter). Nothing was added.',
    };
  }
  const seconds = expiresIn.trim();
  if (seconds === '') return { ok: true, value: { accessToken: token } };
  const value = /^\d+$/.test(seconds) ? Number(seconds) : NaN;
  if (!(value >= 1 && value <= MAX_EXPIRES_IN_SECONDS)) {
    return {
      ok: false,
      error: 'Expires in must be a whole number of seconds, such as 3600 for an hour, or empty when you do not know. Nothing was added.',
    };
  }
  return { ok: true, value: { accessToken: token, expiresIn: value } };
}
