import { useState } from 'preact/hooks';
import type { Provider } from '../providers/model';

/**
 * One provider's **Connect {provider name}** button and, when it offers a choice of access
 * (scopeOptions), the **Access for {provider name}** select beside it, on its first option.
 */
export function ConnectProvider({
  provider,
  disabled,
  busy,
  onConnect,
}: {
  provider: Provider;
  disabled: boolean;
  busy: boolean;
  /** `scopeOption`: the chosen option's index as text; absent when the provider offers no choice. */
  onConnect: (scopeOption?: string) => void;
}) {
  const [picked, setPicked] = useState('0');
  const options = provider.scopeOptions;
  // A re-import may have shortened the list: back to the default rather than a choice no longer offered.
  const chosen = options !== undefined && Number(picked) < options.length ? picked : '0';
  const selectId = `access-${provider.id}`;
  return (
    <span class="connect-provider">
      <button type="button" disabled={disabled} aria-busy={busy} onClick={() => onConnect(options && chosen)}>
        Connect {provider.name}
      </button>
      {options && (
        <>
          <label for={selectId} class="muted">
            Access for {provider.name}
          </label>
          <select id={selectId} value={chosen} disabled={disabled} onChange={(e) => setPicked(e.currentTarget.value)}>
            {options.map((option, index) => (
              <option key={option.label} value={String(index)}>
                {option.label}
              </option>
            ))}
          </select>
        </>
      )}
    </span>
  );
}
