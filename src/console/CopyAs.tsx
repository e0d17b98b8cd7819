import { useEffect, useState } from 'preact/hooks';
import { curlSnippet, fetchSnippet, type AddedHeader } from './copy-as';
import type { ConsoleRequest } from './exchange';

interface Props {
  request: ConsoleRequest;
  /** The account's header for this request's URL; undefined when the URL gets no token. */
  header: AddedHeader | undefined;
  /** The account's token, asked for only when Include token is checked and a Copy button is clicked. */
  getToken: () => Promise<string>;
}

const SNIPPETS = { curl: curlSnippet, fetch: fetchSnippet } as const;

/**
 * **Copy as curl**, **Copy as fetch** and **Include token**: the request as a snippet on the
 * clipboard, the token as `$TOKEN` (curl) or a `TOKEN` constant (fetch) unless Include token is
 * checked. The outcome is said in a status line, or an alert when nothing was copied.
 */
export function CopyAs({ request, header, getToken }: Props) {
  const [includeToken, setIncludeToken] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string }>();
  // What was copied is said of the request it was copied from, not of the next one answered.
  useEffect(() => setOutcome(undefined), [request]);
  // Run by the buttons with `void`: it says either outcome itself.
  const copy = async (as: keyof typeof SNIPPETS) => {
    let token: string | undefined;
    if (includeToken && header !== undefined) {
      try {
        token = await getToken();
      } catch (error) {
        return setOutcome({ ok: false, text: `Not copied: ${error instanceof Error ? error.message : String(error)}` });
      }
    }
    try {
      await navigator.clipboard.writeText(SNIPPETS[as](request, header, token));
    } catch {
      return setOutcome({ ok: false, text: 'The browser refused clipboard access; nothing was copied.' });
    }
    const without =
      header === undefined
        ? ' (this URL gets no token)'
        : token === undefined
          ? ', without the token (TOKEN stands for it)'
          : ', with the token';
    setOutcome({ ok: true, text: `Copied as ${as}${without}.` });
  };
  return (
    <div class="copy-as actions">
      <button type="button" onClick={() => void copy('curl')}>
        Copy as curl
      </button>
      <button type="button" onClick={() => void copy('fetch')}>
        Copy as fetch
      </button>
      <label class="inline">
        <input type="checkbox" checked={includeToken} onChange={(event) => setIncludeToken(event.currentTarget.checked)} />
        Include token
      </label>
      {outcome !== undefined && (
        <p role={outcome.ok ? 'status' : 'alert'} class={outcome.ok ? 'status' : 'problem'}>
          {outcome.text}
        </p>
      )}
    </div>
  );
}
