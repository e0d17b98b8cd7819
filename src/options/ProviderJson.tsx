import { useState } from 'preact/hooks';
import { request } from '../messages';
import { exportProviderJson, type Provider } from '../providers/provider';
import { redirectPagesIn } from '../providers/redirect-page';
import { providerEndpointsIn, requestHostAccess } from '../ui/permissions';

type Outcome = { kind: 'status' | 'alert'; text: string };

export function ProviderJson({ providers }: { providers: Provider[] }) {
  const [text, setText] = useState('');
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();

  const importJson = async () => {
    // First thing in the click (Firefox prompts only from the user's action): tab-mode providers
    // need their redirect page's host, where the content script reads the sign-in (flow 7), and
    // every provider its token endpoints' hosts, which the background calls.
    const redirectPages = redirectPagesIn(text);
    const endpoints = providerEndpointsIn(text);
    if (!(await requestHostAccess([...redirectPages, ...endpoints]))) {
      const hosts = (urls: string[]) => [...new Set(urls.map((url) => new URL(url).host))].join(', ');
      const needs = [
        redirectPages.length > 0 && `the redirect page on ${hosts(redirectPages)}, where the sign-in ends`,
        endpoints.length > 0 && `${hosts(endpoints)}, where tokens are issued`,
      ];
      return setOutcome({ kind: 'alert', text: `TokenTap was not allowed to reach ${needs.filter(Boolean).join(', or ')}. Nothing was imported.` });
    }
    const result = await request('importProviders', { json: text });
    if (!result.ok) return setOutcome({ kind: 'alert', text: result.error });
    const { added, changed } = result.value;
    const parts = [added.length > 0 && `added ${added.join(', ')}`, changed.length > 0 && `updated ${changed.join(', ')}`];
    setOutcome({ kind: 'status', text: `Imported: ${parts.filter(Boolean).join('; ') || 'nothing new'}.` });
  };
  const exportJson = () => {
    setText(exportProviderJson(providers, { includeSecrets }));
    setOutcome({
      kind: 'status',
      text: includeSecrets ? 'Exported with client secrets: keep it private.' : 'Exported without client secrets.',
    });
  };

  return (
    <div class="provider-json">
      <label for="provider-json">Provider JSON</label>
      <textarea
        id="provider-json"
        rows={14}
        spellcheck={false}
        value={text}
        onInput={(e) => setText(e.currentTarget.value)}
        placeholder='{ "providers": [ { "id": "…", "name": "…", "flow": "code", … } ] }'
      />
      <div class="actions">
        <button type="button" onClick={() => void importJson()}>
          Import
        </button>
        <button type="button" onClick={exportJson}>
          Export
        </button>
        <label class="inline">
          <input type="checkbox" checked={includeSecrets} onChange={(e) => setIncludeSecrets(e.currentTarget.checked)} />
          Include client secrets in the export
        </label>
      </div>
      {outcome && (
        <p role={outcome.kind} class={outcome.kind}>
          {outcome.text}
        </p>
      )}
    </div>
  );
}
