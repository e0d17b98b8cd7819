import { useState } from 'preact/hooks';
import type { DiscoveredMetadata } from '../oauth/discovery';
import { isAllowedEndpointText } from '../providers/endpoint-url';
import { isWindowless, SIGN_IN_FIELDS, type Flow, type Provider } from '../providers/model';
import { endpointsRefusedMessage, requestHostAccess } from '../ui/permissions';
import { useFetchAfterPaint } from '../ui/later-module';
import { providerClicks } from './provider-clicks-loader';
import { useProviderImport } from './provider-import';

/** The form's fields: the common part of a provider; the rest comes from Provider JSON. */
interface Fields {
  name: string;
  flow: Flow;
  issuer: string;
  authorizationUrl: string;
  deviceAuthorizationUrl: string;
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  scopes: string;
  apiBaseUrls: string;
}
const EMPTY: Fields = {
  name: '',
  flow: 'code',
  issuer: '',
  authorizationUrl: '',
  deviceAuthorizationUrl: '',
  tokenUrl: '',
  clientId: '',
  clientSecret: '',
  scopes: '',
  apiBaseUrls: '',
};

function fieldsOf(p: Provider): Fields {
  return {
    name: p.name,
    flow: p.flow,
    issuer: p.issuer ?? '',
    authorizationUrl: p.authorizationUrl ?? '',
    deviceAuthorizationUrl: p.deviceAuthorizationUrl ?? '',
    tokenUrl: p.tokenUrl ?? '',
    clientId: p.clientId,
    // Never shown again: left empty, the stored secret stays where it may (see mergeProviders).
    clientSecret: '',
    scopes: p.scopes.join(' '),
    apiBaseUrls: p.apiBaseUrls.join('\n'),
  };
}

/** Merges the form into the provider being edited (or a new one), as provider JSON to validate. */
function toJson(fields: Fields, editing: Provider | undefined, id: string): Record<string, unknown> {
  const words = (text: string) => text.split(/[\s,]+/).filter(Boolean);
  const { tokenUrl: _t, clientSecret: _s, issuer: _i, requireIss, deviceAuthorizationUrl: _d, ...kept } = editing ?? ({} as Partial<Provider>);
  const issuer = fields.issuer.trim();
  const signIn = !isWindowless(fields.flow);
  const deviceAuthorizationUrl = fields.flow === 'device' ? fields.deviceAuthorizationUrl.trim() : '';
  // A windowless flow has no sign-in: an edited provider's sign-in fields go (validation refuses them).
  if (!signIn) for (const key of SIGN_IN_FIELDS) delete (kept as Partial<Provider>)[key];
  // No one signs in with client credentials: nobody for userinfo to name (validation refuses it).
  if (fields.flow === 'client_credentials') delete kept.userinfoUrl;
  return {
    ...kept,
    id,
    name: fields.name.trim(),
    flow: fields.flow,
    ...(issuer && { issuer }),
    // What the stored issuer sends says nothing of another one: a new issuer gets it from Discover, or the default.
    ...(signIn && requireIss !== undefined && issuer === editing?.issuer && { requireIss }),
    ...(signIn && { authorizationUrl: fields.authorizationUrl.trim() }),
    ...(deviceAuthorizationUrl && { deviceAuthorizationUrl }),
    ...(fields.tokenUrl.trim() && { tokenUrl: fields.tokenUrl.trim() }),
    clientId: fields.clientId.trim(),
    ...(fields.clientSecret && { clientSecret: fields.clientSecret }),
    scopes: words(fields.scopes),
    apiBaseUrls: words(fields.apiBaseUrls),
  };
}

/** A provider id from its name: "SkyVault EU" → "skyvault-eu". */
function idFromName(name: string): string {
  return (
    name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 64) || 'provider'
  );
}

export function ProviderForm({ providers }: { providers: Provider[] }) {
  const [editingId, setEditingId] = useState<string>();
  const [fields, setFields] = useState<Fields>(EMPTY);
  /** The metadata Discover read for the Issuer URL as it is now: Save takes PKCE and client authentication from it. */
  const [discovered, setDiscovered] = useState<DiscoveredMetadata>();
  const { send, view, setOutcome, withdraw } = useProviderImport({
    cancelled: 'Nothing was saved.',
    refused: (error) => error.replace(/^providers\[0\]\./, '').replace('Nothing was imported.', 'Nothing was saved.'),
    done: (_imported, leftToDo) => [`Saved ${fields.name.trim()}.`, ...leftToDo].join(' '),
  });
  useFetchAfterPaint(providerClicks);
  const editing = providers.find((p) => p.id === editingId);
  // A confirmation holds for the fields it was shown for: any edit withdraws it.
  const set = (key: keyof Fields) => (e: { currentTarget: { value: string } }) => {
    withdraw();
    if (key === 'issuer') setDiscovered(undefined);
    setFields({ ...fields, [key]: e.currentTarget.value });
  };
  const reset = (next: Fields) => {
    setFields(next);
    setDiscovered(undefined);
  };

  // Reads the issuer's metadata from this page (host access from the click) and fills the endpoint fields; nothing is saved.
  const discover = async () => {
    const issuer = fields.issuer.trim();
    setOutcome(undefined);
    withdraw();
    // First thing in the click (Firefox prompts only from it); a bad URL is named by discoverMetadata.
    if (isAllowedEndpointText(issuer) && !(await requestHostAccess([issuer]))) {
      return setOutcome({
        kind: 'alert',
        text: `TokenTap was not allowed to reach ${new URL(issuer).host}, so it could not read the issuer's metadata.`,
      });
    }
    const { discoverMetadata } = await import('../oauth/discovery');
    try {
      const metadata = await discoverMetadata(issuer);
      setDiscovered(metadata);
      setFields({
        ...fields,
        authorizationUrl: metadata.authorizationUrl ?? fields.authorizationUrl,
        deviceAuthorizationUrl: metadata.deviceAuthorizationUrl ?? fields.deviceAuthorizationUrl,
        tokenUrl: metadata.tokenUrl ?? fields.tokenUrl,
      });
      setOutcome({ kind: 'status', text: `Found the endpoints at ${metadata.metadataUrl}. Check them, then press Save provider.` });
    } catch (error) {
      setDiscovered(undefined);
      setOutcome({ kind: 'alert', text: `${error instanceof Error ? error.message : String(error)}. Nothing was changed.` });
    }
  };

  // Submit and Apply run these with `void`: Preact ignores a handler's result; they show their own outcome.
  const save = async () => {
    // Here by the time the form is filled in; waiting for it would cost Firefox's prompt (see ProviderJson).
    const { providerEndpointsIn, fillFromMetadata } = providerClicks.loaded ?? (await providerClicks.load());
    const id = editing?.id ?? idFromName(fields.name);
    const provider = toJson(fields, editing, id);
    // The form is a one-provider Provider JSON document: one validation, one import path.
    const json = JSON.stringify({ providers: [discovered ? fillFromMetadata(provider, discovered) : provider] });
    // First thing in the click: the token endpoint's host, which the background calls (see ProviderJson).
    const endpoints = providerEndpointsIn(json);
    if (!(await requestHostAccess(endpoints))) {
      return setOutcome({ kind: 'alert', text: endpointsRefusedMessage(fields.name.trim(), endpoints) });
    }
    if (await send(json)) {
      setEditingId(undefined);
      reset(EMPTY);
    }
  };
  const field = (key: keyof Fields, label: string, props: Record<string, unknown> = {}) => (
    <p class="field">
      <label for={`provider-${key}`}>{label}</label>
      <input id={`provider-${key}`} value={fields[key]} onInput={set(key)} {...props} />
    </p>
  );

  return (
    <form
      class="provider-form"
      aria-label={editing ? `Edit ${editing.name}` : 'Add a provider'}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h3>{editing ? `Edit ${editing.name}` : 'Add a provider'}</h3>
      {providers.length > 0 && (
        <p class="field">
          <label for="provider-edit">Edit</label>
          <select
            id="provider-edit"
            value={editingId ?? ''}
            onChange={(e) => {
              const p = providers.find((x) => x.id === e.currentTarget.value);
              setEditingId(p?.id);
              reset(p ? fieldsOf(p) : EMPTY);
              setOutcome(undefined);
              withdraw();
            }}
          >
            <option value="">a new provider</option>
            {providers.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </p>
      )}
      {field('name', 'Name', { required: true })}
      <p class="field">
        <label for="provider-flow">Flow</label>
        <select id="provider-flow" value={fields.flow} onChange={set('flow')}>
          <option value="code">Authorization code (with PKCE)</option>
          <option value="implicit">Implicit (token in the redirect)</option>
          <option value="client_credentials">Client credentials (no user)</option>
          <option value="device">Device authorization (RFC 8628)</option>
        </select>
      </p>
      <p class="field">
        <label for="provider-issuer">Issuer URL</label>
        <input id="provider-issuer" type="url" value={fields.issuer} onInput={set('issuer')} placeholder="https://id.example.com/realms/dev" />
        <button type="button" onClick={() => void discover()} disabled={fields.issuer.trim() === ''}>
          Discover
        </button>
      </p>
      {!isWindowless(fields.flow) && field('authorizationUrl', 'Authorization URL', { type: 'url', required: true })}
      {fields.flow === 'device' && field('deviceAuthorizationUrl', 'Device authorization URL', { type: 'url', required: true })}
      {fields.flow !== 'implicit' && field('tokenUrl', 'Token URL', { type: 'url' })}
      {field('clientId', 'Client ID', { required: true })}
      {field('clientSecret', 'Client secret', {
        type: 'password',
        autocomplete: 'off',
        ...(editing?.clientSecret !== undefined && { placeholder: 'stored; leave empty to keep it' }),
      })}
      {field('scopes', 'Scopes', {
        placeholder: 'space separated',
        ...(discovered?.scopesSupported && { 'aria-describedby': 'provider-scopes-offered' }),
      })}
      {discovered?.scopesSupported && (
        <p id="provider-scopes-offered" class="muted">
          Offered by the issuer: {discovered.scopesSupported.join(' ')}
        </p>
      )}
      <p class="field">
        <label for="provider-apiBaseUrls">API base URLs</label>
        <textarea id="provider-apiBaseUrls" rows={2} value={fields.apiBaseUrls} onInput={set('apiBaseUrls')} placeholder="one per line" />
      </p>
      <button type="submit">Save provider</button>
      {view}
    </form>
  );
}
