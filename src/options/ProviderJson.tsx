import { useState } from 'preact/hooks';
import type { Provider } from '../providers/model';
import { requestHostAccess } from '../ui/permissions';
import { useFetchAfterPaint } from '../ui/later-module';
import { providerClicks } from './provider-clicks-loader';
import { useProviderImport } from './provider-import';

export function ProviderJson({ providers }: { providers: Provider[] }) {
  const [text, setText] = useState('');
  const [includeSecrets, setIncludeSecrets] = useState(false);
  const { send, view, setOutcome, withdraw } = useProviderImport({
    cancelled: 'Nothing was imported.',
    refused: (error) => error,
    done: ({ added, changed, discovered }, leftToDo) => {
      const named = (ids: string[]) =>
        ids.map((id) => (discovered[id] === undefined ? id : `${id} (endpoints from ${discovered[id]})`)).join(', ');
      const parts = [added.length > 0 && `added ${named(added)}`, changed.length > 0 && `updated ${named(changed)}`];
      return [`Imported: ${parts.filter(Boolean).join('; ') || 'nothing new'}.`, ...leftToDo].join(' ');
    },
  });
  useFetchAfterPaint(providerClicks);

  // Import and Apply run these with `void`: Preact ignores a handler's result; they set `outcome` themselves.
  const importJson = async () => {
    // Fetched after paint, so here by the time anyone pastes a document and clicks; waiting for it
    // instead would cost Firefox's prompt, which shows only from the click itself.
    const { redirectPagesIn, providerEndpointsIn } = providerClicks.loaded ?? (await providerClicks.load());
    // First thing in the click (Firefox prompts only from the user's action): tab-mode providers
    // need their redirect page's host, where the content script reads the sign-in (tab mode), and
    // every provider its token endpoints' hosts, which the background calls.
    const redirectPages = redirectPagesIn(text);
    const endpoints = providerEndpointsIn(text);
    if (!(await requestHostAccess([...redirectPages, ...endpoints]))) {
      const hosts = (urls: string[]) => [...new Set(urls.map((url) => new URL(url).host))].join(', ');
      const needs = [
        redirectPages.length > 0 && `the redirect page on ${hosts(redirectPages)}, where the sign-in ends`,
        endpoints.length > 0 && `${hosts(endpoints)}, where tokens are issued`,
      ];
      return setOutcome({
        kind: 'alert',
        text: `TokenTap was not allowed to reach ${needs.filter(Boolean).join(', or ')}. Nothing was imported.`,
      });
    }
    await send(text);
  };
  const exportJson = async () => {
    const { exportProviderJson } = await providerClicks.load();
    withdraw();
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
        onInput={(e) => {
          setText(e.currentTarget.value);
          // A confirmation holds for the document it was shown for, not for an edited one.
          withdraw();
        }}
        placeholder='{ "providers": [ { "id": "…", "name": "…", "flow": "code", … } ] }'
      />
      <div class="actions">
        <button type="button" onClick={() => void importJson()}>
          Import
        </button>
        <button type="button" onClick={() => void exportJson()}>
          Export
        </button>
        <label class="inline">
          <input type="checkbox" checked={includeSecrets} onChange={(e) => setIncludeSecrets(e.currentTarget.checked)} />
          Include client secrets in the export
        </label>
      </div>
      {view}
    </div>
  );
}
