import { useId } from 'preact/hooks';
import type { HistoryEntry } from '../storage/console-history';

/**
 * The list named **History**: the requests sent lately, newest first, each a button that puts it
 * back in the form (`onPick`). What is kept is console-history.ts's concern: never a token.
 */
export function History({ entries, onPick }: { entries: readonly HistoryEntry[]; onPick: (entry: HistoryEntry) => void }) {
  const headingId = useId();
  return (
    <section class="console-history">
      <h2 id={headingId}>History</h2>
      {entries.length === 0 ? (
        <p class="muted">Requests you send are listed here until the browser closes.</p>
      ) : (
        <ul aria-labelledby={headingId}>
          {entries.map((entry) => (
            <li key={`${entry.sentAt} ${entry.method} ${entry.url}`}>
              <button type="button" class="link" onClick={() => onPick(entry)}>
                {entry.method} {entry.url}
              </button>{' '}
              <span class="muted">
                {new Date(entry.sentAt).toLocaleTimeString()}
                {entry.bodyLeftOut === true && ', body too large to keep'}
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
