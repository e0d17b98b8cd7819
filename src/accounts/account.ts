import type { Provider } from '../providers/provider';
import type { TokenSet } from '../oauth/token';

/** What the user sees for an account; derived from the stored account and the clock. */
export type AccountStatus = 'active' | 'expiring' | 'expired' | 'needs reconnect' | 'error';

/** A problem recorded on an account that the clock alone cannot clear. */
export type AccountProblem = { kind: 'needs reconnect'; message: string } | { kind: 'error'; message: string };

/** One connection to a provider. Stored as is in extension storage. */
export interface Account {
  id: string;
  providerId: string;
  label: string;
  accessToken: string;
  refreshToken?: string;
  /** Granted scopes: the token response's, else the requested ones (RFC 6749 5.1). */
  scopes: string[];
  /** Epoch ms when the current access token was obtained. */
  obtainedAt: number;
  /** Epoch ms when the access token expires; absent when the provider did not say. */
  expiresAt?: number;
  problem?: AccountProblem;
}

/** Builds a new account from a token set. `existing` accounts decide the default label. */
export function createAccount(
  provider: Provider,
  tokens: TokenSet,
  existing: readonly Account[],
  now: number,
  id: string,
): Account {
  const sameProvider = existing.filter((a) => a.providerId === provider.id).length;
  return {
    id,
    providerId: provider.id,
    label: `Account ${sameProvider + 1}`,
    accessToken: tokens.accessToken,
    ...(tokens.refreshToken !== undefined && { refreshToken: tokens.refreshToken }),
    scopes: tokens.scope ?? provider.scopes,
    obtainedAt: now,
    ...(tokens.expiresIn !== undefined && { expiresAt: now + tokens.expiresIn * 1000 }),
  };
}

/** `expiring` covers the last tenth of a token's lifetime. */
export function accountStatus(account: Account, now: number): AccountStatus {
  if (account.problem) return account.problem.kind;
  if (account.expiresAt === undefined) return 'active';
  if (now >= account.expiresAt) return 'expired';
  const lifetime = account.expiresAt - account.obtainedAt;
  return account.expiresAt - now <= lifetime / 10 ? 'expiring' : 'active';
}

/** "59 min", "1 h 5 min", "3 d 4 h", "45 s", "expired", or "no expiry". */
export function formatTimeLeft(account: Account, now: number): string {
  if (account.expiresAt === undefined) return 'no expiry';
  const seconds = Math.floor((account.expiresAt - now) / 1000);
  if (seconds <= 0) return 'expired';
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return `${seconds} s`;
}

/** A short, non-secret hint of a token for display: first 4 characters and its length. */
export function tokenHint(token: string): string {
  return `${token.slice(0, 4)}… (${token.length} chars)`;
}

/** The account after a refresh: new access token, a rotated refresh token replaces the old one. */
export function withRefreshedTokens(account: Account, tokens: TokenSet, now: number): Account {
  const { problem: _, expiresAt: __, ...rest } = account;
  return {
    ...rest,
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken ?? account.refreshToken,
    scopes: tokens.scope ?? account.scopes,
    obtainedAt: now,
    ...(tokens.expiresIn !== undefined && { expiresAt: now + tokens.expiresIn * 1000 }),
  };
}
