import { useState } from 'preact/hooks';
import type { Account } from '../accounts/account';
import { request } from '../messages';
import type { Provider } from '../providers/model';
import { listInWords } from '../list-in-words';

/** The accessible names Remove is found by (README "Options page"). */
export const removeName = (provider: Provider) => `Remove ${provider.name}`;
export const confirmRemoveName = (provider: Provider) => `Remove ${provider.name} and its accounts`;

/**
 * **Remove {provider}**: a first click shows what goes with it (its accounts by name, their
 * tokens); only the second, **Remove {provider} and its accounts**, asks the background to remove it.
 */
export function RemoveProvider({ provider, accounts }: { provider: Provider; accounts: readonly Account[] }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string>();
  const remove = async () => {
    const result = await request('removeProvider', { providerId: provider.id });
    // On success the provider leaves the stored state, and this entry with it.
    if (!result.ok) setError(result.error);
  };
  if (!confirming) {
    return (
      <button type="button" class="danger" onClick={() => setConfirming(true)}>
        {removeName(provider)}
      </button>
    );
  }
  const names = accounts.map((account) => `${provider.name} ${account.label}`);
  const their = names.length > 1 ? 'their' : 'its';
  const tokens = provider.revocationUrl ? `revokes ${their} tokens` : `forgets ${their} tokens`;
  return (
    <div class="alert" role="group" aria-label={`${removeName(provider)}?`}>
      <p role="alert">
        {names.length === 0
          ? `Removing ${provider.name} deletes its settings; it has no accounts.`
          : `Removing ${provider.name} disconnects ${listInWords(names)} and ${tokens}.`}
      </p>
      <div class="actions">
        <button type="button" class="danger" onClick={() => void remove()}>
          {confirmRemoveName(provider)}
        </button>
        <button
          type="button"
          onClick={() => {
            setConfirming(false);
            setError(undefined);
          }}
        >
          Cancel
        </button>
      </div>
      {error && <p role="alert">{error}</p>}
    </div>
  );
}
