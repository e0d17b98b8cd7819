import type { Pages } from './pagination';

/**
 * **Previous page**, the position ("items 11–20 of 23") and **Next page**, when the answer is
 * paginated; a button is disabled where the answer gives no page. The console sends to the URL
 * `onGo` gets, with the token only where it belongs (pagination.ts).
 */
export function PageControls({ pages, onGo }: { pages: Pages | undefined; onGo: (url: string) => void }) {
  if (pages === undefined) return null;
  const { next, previous, position } = pages;
  return (
    <nav class="page-controls actions" aria-label="Pages">
      <button type="button" disabled={previous === undefined} onClick={() => previous !== undefined && onGo(previous)}>
        Previous page
      </button>
      {position !== undefined && (
        <span class="muted" role="status">
          {position}
        </span>
      )}
      <button type="button" disabled={next === undefined} onClick={() => next !== undefined && onGo(next)}>
        Next page
      </button>
    </nav>
  );
}
