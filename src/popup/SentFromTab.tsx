import { useEffect, useState } from 'preact/hooks';
import { browser } from '../platform';
import { formatDuration } from '../accounts/account';
import { request, type SentFromTab as Answer } from '../messages';

const HEADING_ID = 'sent-heading';

/**
 * Sent from this tab (README "Sent from this tab"): the active tab's requests that got a token in
 * the last minutes, with the account, method, URL, status and when; else why nothing did. Read
 * once, when the popup opens: the browser limits how often its record may be read.
 */
export function SentFromTab() {
  const [answer, setAnswer] = useState<Answer>();
  const [failure, setFailure] = useState<string>();
  useEffect(() => {
    const read = async () => {
      const [tab] = await browser.tabs.query({ active: true, currentWindow: true });
      if (tab?.id === undefined) return setAnswer({ lines: [], empty: 'No tab is active in this window.' });
      const result = await request('sentFromTab', { tabId: String(tab.id) });
      setFailure(result.ok ? undefined : result.error);
      setAnswer(result.ok ? result.value : undefined);
    };
    void read();
  }, []);
  const now = Date.now();
  return (
    <section aria-labelledby={HEADING_ID}>
      <h2 id={HEADING_ID}>Sent from this tab</h2>
      <ul aria-labelledby={HEADING_ID} class="sent">
        {answer?.lines.map((line) => (
          <li key={`${line.at}-${line.url}`}>
            {line.method ?? 'A request to'} {line.url} — {line.account}
            {line.statusCode !== undefined && `, answered ${line.statusCode}`}, {ago(now - line.at)}
          </li>
        ))}
      </ul>
      {(answer?.empty ?? failure) && <p class="muted">{answer?.empty ?? failure}</p>}
    </section>
  );
}

function ago(ms: number): string {
  return ms < 1000 ? 'just now' : `${formatDuration(ms)} ago`;
}
