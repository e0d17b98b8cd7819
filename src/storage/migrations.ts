// What changes in the stored state from one TokenTap version to the next (README "Upgrades").
// Pure: the background applies these to the decrypted state in its one write queue.
import { providerOf } from '../accounts/account-provider';
import { usesTabRedirect } from '../providers/model';
import type { StoredState } from './state';

/**
 * The layout this build writes. 1 (no `schemaVersion` stored): secrets in plaintext, one redirect
 * URL for every provider. 2: secrets sealed (secrets.ts), a redirect URL per provider.
 */
export const CURRENT_SCHEMA_VERSION = 2;

/** The version a stored state was written with; absent means 1, from before versions were stored. */
export function storedSchemaVersion(stored: object): number {
  const version = (stored as { schemaVersion?: unknown }).schemaVersion;
  return typeof version === 'number' ? version : 1;
}

/** What a migration may need to know from the browser. */
export interface MigrationContext {
  /** The redirect URL this build uses for the provider (identity.getRedirectURL(providerId)). */
  redirectUrlFor(providerId: string): string;
}

/** Each step takes a state of version n to n + 1. */
const STEPS: Record<number, (state: StoredState, context: MigrationContext) => StoredState> = {
  1: markRenewalsOnNewRedirectUrl,
};

/** The state brought from `fromVersion` to the current one; a current state comes back as it was. */
export function migrateState(state: StoredState, fromVersion: number, context: MigrationContext): StoredState {
  let migrated = state;
  for (let version = fromVersion; version < CURRENT_SCHEMA_VERSION; version++) {
    const step = STEPS[version];
    if (step) migrated = step(migrated, context);
  }
  return migrated;
}

/**
 * 1 → 2: each provider now has its own redirect URL. An account without a refresh token renews by
 * a silent sign-in on that new URL, which the provider does not know yet: the user must register
 * it, then reconnect. Accounts with a refresh token keep renewing (a refresh sends no redirect
 * URL); tab-mode providers keep their fixed redirect page.
 */
function markRenewalsOnNewRedirectUrl(state: StoredState, context: MigrationContext): StoredState {
  return {
    ...state,
    accounts: state.accounts.map((account) => {
      const provider = providerOf(state.providers, account.providerId);
      if (!provider || usesTabRedirect(provider) || account.refreshToken !== undefined) return account;
      const url = context.redirectUrlFor(provider.id);
      return {
        ...account,
        needsSignIn: {
          message: `TokenTap now gives ${provider.name} its own redirect URL: register ${url} at ${provider.name}, then press Reconnect.`,
        },
      };
    }),
  };
}
