import { useRef, useState } from 'preact/hooks';
import { browser } from '../platform';
import type { Provider } from '../providers/model';
import { PresetError, presetProviderId, providerFromPreset, type PresetEntry } from '../providers/preset';
import { PRESETS } from '../providers/presets';
import { endpointsRefusedMessage, requestHostAccess } from '../ui/permissions';
import { providerEndpointsIn } from './provider-endpoints';
import { useProviderImport } from './provider-import';
import { CopyableUrl } from './RedirectUrl';

const NO_ENTRY: PresetEntry = { values: {}, clientId: '', clientSecret: '' };

/**
 * Add from preset: a well-known provider filled from what the user enters (README "Adding a
 * provider from a preset"), then imported as a one-provider Provider JSON like Import and Save
 * provider. It comes with the preset table in provider-clicks.ts's chunk, fetched after the page paints.
 */
export function PresetForm({ providers }: { providers: Provider[] }) {
  const [presetId, setPresetId] = useState('');
  const [entry, setEntry] = useState<PresetEntry>(NO_ENTRY);
  /** The name of the provider being added, for the status once the background took it. */
  const adding = useRef('');
  const { send, view, setOutcome, withdraw } = useProviderImport({
    cancelled: 'Nothing was added.',
    refused: (error) => error.replace(/^providers\[0\]\./, '').replace('Nothing was imported.', 'Nothing was added.'),
    done: ({ discovered }, leftToDo) =>
      [
        `Added ${adding.current}${id && discovered[id] ? ` (endpoints from ${discovered[id]})` : ''}.`,
        `Register its redirect URL at the provider if you have not yet, then press Connect ${adding.current} in the popup.`,
        ...leftToDo,
      ].join(' '),
  });
  const preset = PRESETS.find((p) => p.id === presetId);
  // The id it will be added under, so its redirect URL can be registered before adding.
  const id =
    preset &&
    presetProviderId(
      preset,
      providers.map((p) => p.id),
    );
  const edit = (next: PresetEntry) => {
    withdraw();
    setEntry(next);
  };

  // Run by submit with `void`: Preact ignores a handler's result; it shows its own outcome.
  const add = async () => {
    if (!preset || !id) return;
    let provider: Record<string, unknown>;
    try {
      provider = providerFromPreset(preset, entry, id);
    } catch (error) {
      if (!(error instanceof PresetError)) throw error;
      return setOutcome({ kind: 'alert', text: `${error.message}. Nothing was added.` });
    }
    const json = JSON.stringify({ providers: [provider] });
    // First await of the click (Firefox prompts only from it): the token endpoints' hosts, or the issuer's to discover them.
    const endpoints = providerEndpointsIn(json);
    if (!(await requestHostAccess(endpoints))) {
      return setOutcome({ kind: 'alert', text: endpointsRefusedMessage(preset.name, endpoints) });
    }
    adding.current = String(provider['name']);
    if (await send(json)) {
      setPresetId('');
      setEntry(NO_ENTRY);
    }
  };

  const field = (fieldId: string, label: string, value: string, onValue: (value: string) => void, props: Record<string, unknown> = {}) => (
    <p class="field">
      <label for={fieldId}>{label}</label>
      <input id={fieldId} value={value} onInput={(e) => onValue(e.currentTarget.value)} {...props} />
    </p>
  );

  return (
    <form
      class="provider-form"
      aria-label="Add from preset"
      // Our own checks name the field in the alert line; the browser's bubbles would not show there.
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void add();
      }}
    >
      <h3>Add from preset</h3>
      <p class="field">
        <label for="preset-choice">Preset</label>
        <select
          id="preset-choice"
          value={presetId}
          onChange={(e) => {
            setPresetId(e.currentTarget.value);
            edit(NO_ENTRY);
            setOutcome(undefined);
          }}
        >
          <option value="">choose a provider</option>
          {PRESETS.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </p>
      {preset && id && (
        <>
          <p class="muted">
            {preset.quirks.join(' ')}{' '}
            <a href={preset.docs} target="_blank" rel="noreferrer">
              {preset.name} documentation
            </a>
          </p>
          {preset.inputs.map((input) =>
            field(
              `preset-input-${input.key}`,
              input.label,
              entry.values[input.key] ?? '',
              (value) => edit({ ...entry, values: { ...entry.values, [input.key]: value } }),
              { placeholder: input.example, ...(input.default === undefined && { required: true }) },
            ),
          )}
          {field('preset-clientId', 'Client ID', entry.clientId, (clientId) => edit({ ...entry, clientId }), { required: true })}
          {preset.clientSecret !== 'none' &&
            field('preset-clientSecret', 'Client secret', entry.clientSecret ?? '', (clientSecret) => edit({ ...entry, clientSecret }), {
              type: 'password',
              autocomplete: 'off',
              ...(preset.clientSecret === 'required' ? { required: true } : { placeholder: 'optional: leave empty for a public client' }),
            })}
          <CopyableUrl
            id="preset-redirect-url"
            url={browser.identity.getRedirectURL(id)}
            label="Redirect URL"
            copyLabel={`Copy redirect URL for ${preset.name}`}
          />
          <button type="submit">Add {preset.name}</button>
        </>
      )}
      {view}
    </form>
  );
}
