// Words several background handlers answer with when they cannot do what was asked. Kept out of
// src/messages.ts, which the pages load too.

/** Shown for an error that is not a UserFacingError: its own message may hold anything. */
export const UNEXPECTED_PROBLEM = 'TokenTap hit an unexpected problem. Nothing was changed.';

/** Shown when a request names an account that was disconnected meanwhile. */
export const ACCOUNT_GONE = 'That account is no longer connected. Nothing was changed.';

/** Shown when a sign-in's provider was removed meanwhile. */
export const PROVIDER_GONE = 'That provider is no longer configured. Nothing was changed.';
