import { describe, expect, it } from 'vitest';
import type { Account } from '../accounts/account';
import type { Provider } from '../providers/model';
import { CURRENT_SCHEMA_VERSION, migrateState, storedSchemaVersion } from './migrations';
import { STATE_V1 } from '../../test/fixtures/stored-state-v1';

const context = { redirectUrlFor: (id: string) => `https://eplaelcgbkfgoepbkpkdfokpajjdldnf.chromiumapp.org/${id}` };
const [readycloud, skyvault] = STATE_V1.accounts as [Account, Account];

describe('storedSchemaVersion', () => {
  it('is 1 for a state from before versions were stored, else the stored number', () => {
    expect(storedSchemaVersion(STATE_V1)).toBe(1);
    expect(storedSchemaVersion({ ...STATE_V1, schemaVersion: 2 })).toBe(CURRENT_SCHEMA_VERSION);
  });
});

describe('migrateState 1 → 2', () => {
  it('keeps every provider, approval and the refresh-token account; the implicit account is told to register its new redirect URL', () => {
    const migrated = migrateState(STATE_V1, 1, context);
    expect(migrated.providers).toEqual(STATE_V1.providers);
    expect(migrated.approvals).toEqual(STATE_V1.approvals);
    expect(migrated.accounts).toEqual([
      {
        ...readycloud,
        needsSignIn: {
          message:
            'TokenTap now gives ReadyCloud its own redirect URL: register https://eplaelcgbkfgoepbkpkdfokpajjdldnf.chromiumapp.org/readycloud at ReadyCloud, then press Reconnect.',
        },
      },
      skyvault,
    ]);
  });

  it('leaves accounts of tab-mode providers alone: their fixed redirect page does not change', () => {
    const tabProvider: Provider = {
      ...(STATE_V1.providers[0] as Provider),
      id: 'readycloud-tab',
      redirectMode: 'tab',
      redirectUri: 'http://127.0.0.1:36367/oauth/token-page',
    };
    const tabAccount: Account = { ...readycloud, id: 'tab-account', providerId: 'readycloud-tab' };
    const state = { ...STATE_V1, providers: [...STATE_V1.providers, tabProvider], accounts: [tabAccount] };
    expect(migrateState(state, 1, context).accounts).toEqual([tabAccount]);
  });

  it('changes nothing in a current state: running it twice is running it once', () => {
    const once = migrateState(STATE_V1, 1, context);
    expect(migrateState(once, CURRENT_SCHEMA_VERSION, context)).toBe(once);
  });
});
