// Where a provider's tokens and client secret go, and what an import or edit changes about it
// (README, Provider JSON: an import that moves a connected provider's tokens needs a confirmation).
import { listInWords } from '../list-in-words';
import { tokenRequestEndpoints } from './token-endpoints';
import type { Provider } from './model';

/** What the user must confirm before one connected provider is replaced, in words they can read. */
export interface TokenMoveReview {
  providerId: string;
  providerName: string;
  /** "Token URL moves from https://a.example to https://b.example", one line per change. */
  changes: string[];
  /** Labels of the provider's accounts, whose access and refresh tokens are dropped. */
  accounts: string[];
  /** The stored client secret is not kept and the document brings none: it must be entered again. */
  secretDropped: boolean;
}

/** An account as far as a review needs it: which provider it belongs to, and what it is called. */
export interface AccountRef {
  providerId: string;
  label: string;
}

const ENDPOINTS = [
  ['authorizationUrl', 'Authorization URL'],
  ['tokenUrl', 'Token URL'],
  ['revocationUrl', 'Revocation URL'],
  ['deviceAuthorizationUrl', 'Device authorization URL'],
  ['userinfoUrl', 'Userinfo URL'],
] as const;

/**
 * The changes from `stored` to `incoming` that send tokens somewhere else: an endpoint's origin
 * (authorization, token, revocation, device authorization, userinfo), the client ID, the issuer, or an API origin that was not
 * there before. Paths within the same origin, removals and every other field are not listed.
 */
export function tokenDestinationChanges(stored: Provider, incoming: Provider): string[] {
  const changes: string[] = [];
  for (const [key, label] of ENDPOINTS) {
    const before = originOf(stored[key]);
    const after = originOf(incoming[key]);
    if (after === undefined || after === before) continue;
    changes.push(before === undefined ? `${label} is set to ${after} (there was none)` : `${label} moves from ${before} to ${after}`);
  }
  if (incoming.clientId !== stored.clientId) {
    changes.push(`Client ID changes from ${JSON.stringify(stored.clientId)} to ${JSON.stringify(incoming.clientId)}`);
  }
  // requireIss is not listed: it decides whether an answer may lack `iss`, not where tokens go.
  if (incoming.issuer !== stored.issuer) {
    if (incoming.issuer === undefined) changes.push(`Issuer ${stored.issuer} is removed`);
    else if (stored.issuer === undefined) changes.push(`Issuer is set to ${incoming.issuer} (there was none)`);
    else changes.push(`Issuer changes from ${stored.issuer} to ${incoming.issuer}`);
  }
  const apiOrigins = new Set(stored.apiBaseUrls.map(originOf));
  for (const origin of new Set(incoming.apiBaseUrls.map(originOf))) {
    if (origin !== undefined && !apiOrigins.has(origin)) changes.push(`API base URLs add the origin ${origin}`);
  }
  return changes;
}

/**
 * Whether `incoming` may keep `stored`'s client secret: only for the same client ID, and when
 * every origin it would send the secret to (token and revocation endpoints) already had it.
 */
export function keepsClientSecret(stored: Provider, incoming: Provider): boolean {
  if (incoming.clientId !== stored.clientId) return false;
  const hadSecret = new Set(secretOrigins(stored));
  return secretOrigins(incoming).every((origin) => hadSecret.has(origin));
}

/**
 * One review per imported provider that has connected accounts and whose tokens the import would
 * send somewhere else; empty when the import needs no confirmation.
 */
export function reviewTokenMoves(
  stored: readonly Provider[],
  accounts: readonly AccountRef[],
  imported: readonly Provider[],
): TokenMoveReview[] {
  const reviews: TokenMoveReview[] = [];
  for (const incoming of imported) {
    const current = stored.find((p) => p.id === incoming.id);
    if (current === undefined) continue;
    const labels = accounts.filter((a) => a.providerId === current.id).map((a) => `${current.name} ${a.label}`);
    if (labels.length === 0) continue;
    const changes = tokenDestinationChanges(current, incoming);
    if (changes.length === 0) continue;
    reviews.push({
      providerId: current.id,
      providerName: current.name,
      changes,
      accounts: labels,
      secretDropped: dropsClientSecret(current, incoming),
    });
  }
  return reviews;
}

/** The stored secret would be lost: there was one, the document brings none, and it may not be kept. */
export function dropsClientSecret(stored: Provider, incoming: Provider): boolean {
  return stored.clientSecret !== undefined && incoming.clientSecret === undefined && !keepsClientSecret(stored, incoming);
}

/** What confirming a review does to the accounts and the secret, as the list shows it. */
export function describeConsequences(review: TokenMoveReview): string[] {
  const many = review.accounts.length > 1;
  return [
    `${listInWords(review.accounts)} ${many ? 'lose their' : 'loses its'} access and refresh tokens and ${many ? 'need' : 'needs'} Reconnect.`,
    ...(review.secretDropped ? ['The stored client secret is not kept: enter it again.'] : []),
  ];
}

function secretOrigins(provider: Provider): string[] {
  return tokenRequestEndpoints(provider)
    .map(originOf)
    .filter((origin): origin is string => origin !== undefined);
}

function originOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).origin;
  } catch {
    return url;
  }
}
