import { withoutTokens } from '../accounts/account';
import { mergeProviders, parseProviderJson } from '../providers/provider';
import type { Provider } from '../providers/model';
import { ProviderJsonError } from '../providers/validate-provider';
import { reviewTokenMoves, type TokenMoveReview } from '../providers/token-destinations';
import { UserFacingError, type ImportResult } from '../messages';
import { readState, updateState } from '../storage/store';
import { discoverMissingEndpoints } from './provider-discovery';

/**
 * Imports a provider JSON document: all of it, or (on the first bad field) nothing. When it would
 * send a connected provider's tokens elsewhere, nothing is written until the same document comes
 * back with the `confirmation` of exactly those changes; then those accounts lose their tokens
 * (README, Provider JSON).
 */
export async function importProviders(given: string, confirmed?: string): Promise<ImportResult> {
  // The confirmation binds the filled document: metadata that changed meanwhile is asked about again.
  const { json, discovered } = await discoverMissingEndpoints(given);
  let imported: Provider[];
  try {
    imported = parseProviderJson(json);
  } catch (error) {
    if (error instanceof ProviderJsonError) throw new UserFacingError(`${error.message}. Nothing was imported.`);
    throw error;
  }
  const before = await readState();
  const shown = reviewTokenMoves(before.providers, before.accounts, imported);
  if (shown.length > 0) {
    const confirmation = await confirmationOf(json, shown);
    if (confirmed !== confirmation) return { kind: 'confirm', reviews: shown, confirmation };
  }
  return updateState((state) => {
    const reviews = reviewTokenMoves(state.providers, state.accounts, imported);
    // An account connected or a provider changed since the list was computed: it is not what the user saw.
    if (JSON.stringify(reviews) !== JSON.stringify(shown)) {
      throw new UserFacingError('The providers or accounts changed meanwhile. Import again to see what changes. Nothing was imported.');
    }
    const { providers, added, changed, secretDropped } = mergeProviders(state.providers, imported);
    const accounts = state.accounts.map((account) => {
      const review = reviews.find((r) => r.providerId === account.providerId);
      return review ? withoutTokens(account, droppedTokensMessage(review)) : account;
    });
    const secretNeeded = providers.filter((p) => secretDropped.includes(p.id)).map((p) => p.name);
    const reconnect = reviews.flatMap((r) => r.accounts);
    return { state: { ...state, providers, accounts }, result: { kind: 'imported', added, changed, reconnect, secretNeeded, discovered } };
  });
}

/** What an account whose tokens were dropped says in the popup. */
function droppedTokensMessage(review: TokenMoveReview): string {
  const name = review.providerName;
  return [
    `${name}'s settings now send its tokens to another host, so TokenTap dropped this account's tokens rather than send them there.`,
    ...(review.secretDropped ? [`Enter the client secret of ${name} again on the options page.`] : []),
    'Press Reconnect to sign in at the new address.',
  ].join(' ');
}

/** Binds a confirmation to one document and the very changes shown for it: SHA-256, hex. */
async function confirmationOf(json: string, reviews: readonly TokenMoveReview[]): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(JSON.stringify([json, reviews])));
  return [...new Uint8Array(digest)].map((byte) => byte.toString(16).padStart(2, '0')).join('');
}
