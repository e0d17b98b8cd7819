import { signsIn, type Flow } from '../providers/model';
import { useStoredState } from '../ui/hooks';
import { useModuleAfterPaint } from '../ui/later-module';
import { ApprovedSites } from './ApprovedSites';
import { providerClicks } from './provider-clicks-loader';
import { ProviderForm } from './ProviderForm';
import { ProviderJson } from './ProviderJson';
import { PasteToken } from './PasteToken';
import { RedirectUrl, RedirectUrlPattern } from './RedirectUrl';
import { RemoveProvider } from './RemoveProvider';

const FLOW_NAMES: Record<Flow, string> = {
  code: 'authorization code',
  implicit: 'implicit',
  client_credentials: 'client credentials',
  device: 'device authorization',
};

export function Options() {
  const state = useStoredState();
  // Add from preset comes with the preset table, fetched after the page has painted (README, Performance).
  const PresetForm = useModuleAfterPaint(providerClicks)?.PresetForm;
  if (!state) return null;
  return (
    <main>
      <h1>TokenTap options</h1>
      <section aria-labelledby="providers-heading">
        <h2 id="providers-heading">Providers</h2>
        <RedirectUrlPattern />
        {state.providers.length === 0 ? (
          <p class="muted">No provider yet. Add one from a preset, or import a provider JSON below.</p>
        ) : (
          <ul class="providers">
            {state.providers.map((p) => (
              <li key={p.id}>
                <strong>{p.name}</strong> <code>{p.id}</code> · {FLOW_NAMES[p.flow]} · API {p.apiBaseUrls.join(', ')}
                {/* With scopeOptions, the choice at Connect says what is asked. */}
                {p.scopes.length === 0 && p.scopeOptions === undefined && (
                  <p role="note">{p.name} asks for no scope: providers such as ReadyCloud then grant every scope. Not recommended.</p>
                )}
                {/* A client-credentials provider redirects nowhere: nothing to register. */}
                {signsIn(p) && <RedirectUrl provider={p} />}
                <PasteToken provider={p} />
                <RemoveProvider provider={p} accounts={state.accounts.filter((a) => a.providerId === p.id)} />
              </li>
            ))}
          </ul>
        )}
        {PresetForm && <PresetForm providers={state.providers} />}
        <ProviderForm providers={state.providers} />
        <ProviderJson providers={state.providers} />
      </section>
      <ApprovedSites state={state} />
    </main>
  );
}
