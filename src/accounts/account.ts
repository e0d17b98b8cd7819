import type { Provider } from '../providers/model';
import type { TokenSet } from '../oauth/token';
import type { PastedToken } from './pasted-token';
import { defaultLabel, isNumberedLabel } from './account-label';

/** What the user sees for an account; derived from the stored account and the clock. */
export type AccountStatus = 'active' | 'expiring' | 'expired' | 'needs reconnect' | 'error';

/** A problem recorded on an account that the clock alone cannot clear. */
export type AccountProblem = { kind: 'needs reconnect'; message: string } | { kind: 'error'; message: string };

/** One connection to a provider. Stored as is in extension storage. */
export interface Account {
  id: string;
  providerId: string;
  label: string;
  /** Empty once its tokens were dropped (see withoutTokens): only Reconnect gets new ones. */
  accessToken: string;
  refreshToken?: string;
  /** The OpenID Connect ID Token of the last answer that had one (shown in Details, or sent with header.token "id_token"). */
  idToken?: string;
  /** Granted scopes: the token response's, else the requested ones (RFC 6749 5.1). */
  scopes: string[];
  /**
   * The scopes its sign-in asked for when the provider offered a choice of access (scopeOptions),
   * so Reconnect and silent renewal ask for the same again. Absent: the provider's scopes.
   */
  askedScopes?: string[];
  /** Epoch ms when the current access token was obtained. */
  obtainedAt: number;
  /** Epoch ms when the access token expires; absent when the provider did not say. */
  expiresAt?: number;
  /** Epoch ms when the refresh token expires, from the provider's refreshTokenTtl. */
  refreshExpiresAt?: number;
  /** A refresh that failed for a passing reason (network, 5xx), and when the next try is. */
  retry?: RefreshRetry;
  /**
   * The provider would not renew the token without the user (implicit grant, consent not
   * remembered): the token still works until it expires, and only Reconnect gets a new one.
   */
  needsSignIn?: { message: string };
  problem?: AccountProblem;
  /** Pasted on the options page, not signed in: TokenTap cannot renew it (README "Keeping tokens fresh"). */
  pasted?: true;
}

/** What a pasted account says instead of renewing, in the popup and when Refresh is asked of it. */
export const PASTED_TOKEN_NOTE = 'Pasted token: TokenTap cannot renew it. Paste a new one on the options page.';

export interface RefreshRetry {
  attempt: number;
  nextAt: number;
  message: string;
}

/**
 * Builds a new account from a token set, labelled by who signed in (`tokens.identity`), else
 * "Account N"; the provider's `existing` accounts keep the label apart from theirs.
 * `askedScopes` are the scopes of the access chosen at Connect, when the provider offered a choice.
 */
export function createAccount(
  provider: Provider,
  tokens: TokenSet,
  existing: readonly Account[],
  now: number,
  id: string,
  askedScopes?: string[],
): Account {
  const taken = existing.filter((a) => a.providerId === provider.id).map((a) => a.label);
  return {
    id,
    providerId: provider.id,
    label: defaultLabel(tokens.identity, taken),
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken !== undefined && { refreshToken: tokens.refreshToken }),
    ...(tokens.idToken !== undefined && { idToken: tokens.idToken }),
    scopes: tokens.scope ?? askedScopes ?? provider.scopes,
    ...(askedScopes !== undefined && { askedScopes }),
    obtainedAt: now,
    ...(tokens.expiresIn !== undefined && { expiresAt: now + tokens.expiresIn * 1000 }),
    ...refreshExpiry(provider, tokens, now),
  };
}

/**
 * At Reconnect: an account still labelled "Account N" takes the name of who signed in (apart from
 * the provider's other accounts); a label the user chose, or one that already names someone, stays.
 */
export function withIdentityLabel(account: Account, identity: string | undefined, existing: readonly Account[]): Account {
  if (identity === undefined || !isNumberedLabel(account.label)) return account;
  const taken = existing.filter((a) => a.providerId === account.providerId && a.id !== account.id).map((a) => a.label);
  return { ...account, label: defaultLabel(identity, taken) };
}

/**
 * An account for a token the user pasted: labelled and timed like any new account, but with no
 * refresh token, no scopes (the token does not say which it has) and the pasted mark.
 */
export function createPastedAccount(provider: Provider, pasted: PastedToken, existing: readonly Account[], now: number, id: string): Account {
  const tokens: TokenSet = {
    accessToken: pasted.accessToken,
    tokenType: 'bearer',
    ...(pasted.expiresIn !== undefined && { expiresIn: pasted.expiresIn }),
  };
  return { ...createAccount(provider, tokens, existing, now, id), scopes: [], pasted: true };
}

function refreshExpiry(provider: Provider, tokens: TokenSet, now: number): { refreshExpiresAt?: number } {
  return tokens.refreshToken !== undefined && provider.refreshTokenTtl !== undefined
    ? { refreshExpiresAt: now + provider.refreshTokenTtl * 1000 }
    : {};
}

/** What a new sign-in (Reconnect) or silent renewal of the account asks for: the same access as its first sign-in. */
export function scopesToAsk(account: Pick<Account, 'askedScopes'>, provider: Pick<Provider, 'scopes'>): string[] {
  return account.askedScopes ?? provider.scopes;
}

/** `expiring` covers the last tenth of a token's lifetime. */
export function accountStatus(account: Account, now: number): AccountStatus {
  if (account.problem) return account.problem.kind;
  if (account.expiresAt === undefined) return 'active';
  if (now >= account.expiresAt) return 'expired';
  const lifetime = account.expiresAt - account.obtainedAt;
  return account.expiresAt - now <= lifetime / 10 ? 'expiring' : 'active';
}

/**
 * "59 min", "1 h 5 min", "3 d 4 h", "45 s", "expired", "no token" (dropped), "no expiry" (the
 * provider gave none), or "expiry unknown" (pasted without one: the token may still have one).
 */
export function formatTimeLeft(account: Account, now: number): string {
  if (!hasTokens(account)) return 'no token';
  if (account.expiresAt === undefined) return account.pasted ? 'expiry unknown' : 'no expiry';
  return formatDuration(account.expiresAt - now);
}

/** A span of time as the popup shows it: "59 min", "1 h 5 min", "3 d 4 h", "45 s", or "expired". */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds <= 0) return 'expired';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return `${seconds} s`;
}

/**
 * The token the account's API calls carry: the id_token when the provider's header sends it
 * (`header.token`), else the access token; undefined when the answers held no id_token.
 */
export function sentToken(account: Account, provider?: Pick<Provider, 'header'>): string | undefined {
  return provider?.header.token === 'id_token' ? account.idToken : account.accessToken;
}

/** A short, non-secret hint of a token for display: first 4 characters and its length. */
export function tokenHint(token: string): string {
  return `${token.slice(0, 4)}… (${token.length} chars)`;
}

/**
 * The account after a refresh or a silent re-authorization: a new access token; a rotated refresh
 * token replaces the old one (and restarts its lifetime), a new id_token the old one, and an answer
 * without keeps the old (OIDC Core 12.2); problems, retries and a pending sign-in are cleared.
 * A pasted account that signs in (Reconnect, once its token was dropped) is pasted no more.
 */
export function withNewTokens(account: Account, provider: Provider, tokens: TokenSet, now: number): Account {
  const { problem: _p, retry: _r, needsSignIn: _s, expiresAt: _e, refreshToken: _t, refreshExpiresAt: _x, pasted: _v, ...rest } = account;
  const rotated = tokens.refreshToken !== undefined && tokens.refreshToken !== account.refreshToken;
  const refreshToken = tokens.refreshToken ?? account.refreshToken;
  const idToken = tokens.idToken ?? account.idToken;
  const refreshExpiresAt = rotated ? refreshExpiry(provider, tokens, now).refreshExpiresAt : account.refreshExpiresAt;
  return {
    ...rest,
    accessToken: tokens.accessToken,
    ...(refreshToken !== undefined && { refreshToken }),
    ...(idToken !== undefined && { idToken }),
    scopes: tokens.scope ?? account.scopes,
    obtainedAt: now,
    ...(tokens.expiresIn !== undefined && { expiresAt: now + tokens.expiresIn * 1000 }),
    ...(refreshExpiresAt !== undefined && { refreshExpiresAt }),
  };
}

/**
 * When to renew the access token: in the last tenth of its life, but at least a minute (or half
 * the life, for short-lived tokens) before it ends, so a scheduled alarm is never late. Chrome
 * fires alarms of packed extensions no sooner than 30 s; half-life keeps short tokens fresh.
 */
export function renewAt(account: Account): number | undefined {
  if (account.problem || account.needsSignIn || holdsPastedToken(account)) return undefined;
  if (account.retry) return account.retry.nextAt;
  if (account.expiresAt === undefined) return undefined;
  const lifetime = account.expiresAt - account.obtainedAt;
  const lead = Math.max(lifetime / 10, Math.min(lifetime / 2, 60_000));
  return account.expiresAt - lead;
}

/** Backoff after a passing failure: 30 s, 1 min, 2 min, … at most 15 min. */
export function retryDelayMs(attempt: number): number {
  return Math.min(30_000 * 2 ** (attempt - 1), 15 * 60_000);
}

/** Accounts that put a mark on the toolbar badge: expired, needs reconnect, error, or soon expiring for good. */
export function needsAttention(account: Account, now: number): boolean {
  const status = accountStatus(account, now);
  return status === 'expired' || status === 'needs reconnect' || status === 'error' || account.needsSignIn !== undefined;
}

/**
 * Only a new sign-in helps: the grant is dead, or the token has expired or cannot be renewed. A
 * pasted token is replaced by pasting, unless its provider moved and its token was dropped.
 */
export function offersReconnect(account: Account, now: number): boolean {
  if (holdsPastedToken(account)) return false;
  const status = accountStatus(account, now);
  return status === 'needs reconnect' || status === 'expired' || account.needsSignIn !== undefined;
}

/**
 * The account with its access, refresh and ID tokens forgotten and `needs reconnect`, for when its
 * provider's tokens would now go to another host: nothing is left to send there (README, Provider JSON).
 */
export function withoutTokens(account: Account, message: string): Account {
  const { refreshToken: _t, idToken: _i, refreshExpiresAt: _x, expiresAt: _e, retry: _r, needsSignIn: _s, problem: _p, ...rest } = account;
  return { ...rest, accessToken: '', problem: { kind: 'needs reconnect', message } };
}

/** A pasted token TokenTap still holds: only the user renews it, by pasting a new one. */
export function holdsPastedToken(account: Account): boolean {
  return account.pasted === true && hasTokens(account);
}

/** False once withoutTokens dropped them: nothing to renew, copy or revoke. */
export function hasTokens(account: Account): boolean {
  return account.accessToken !== '' || account.refreshToken !== undefined;
}
