import { useState } from 'preact/hooks';

/** Entries shown at a time under one object or array: a 10 MB body stays a few hundred nodes until opened. */
export const ENTRIES_PER_STEP = 100;
/** Open at first: the top two levels, and small objects and arrays down to this depth; the rest one click (or Enter on its summary) away. */
const OPEN_DEPTH = 5;
const SMALL = 10;

/** A JSON value pretty-printed and foldable: each object and array a <details>, its entries made only when open. */
export function JsonTree({ value }: { value: unknown }) {
  return (
    <div class="json-tree">
      <JsonNode value={value} depth={0} />
    </div>
  );
}

function JsonNode({ name, value, depth }: { name?: string; value: unknown; depth: number }) {
  const key = name === undefined ? null : <span class="json-key">{name}: </span>;
  if (value === null || typeof value !== 'object') {
    return (
      <div class="json-leaf">
        {key}
        <span class={`json-${value === null ? 'null' : typeof value}`}>{JSON.stringify(value)}</span>
      </div>
    );
  }
  return <JsonBranch label={key} value={value} depth={depth} />;
}

function JsonBranch({ label, value, depth }: { label: preact.ComponentChild; value: object; depth: number }) {
  const isArray = Array.isArray(value);
  const keys = isArray ? [] : Object.keys(value);
  const count = isArray ? value.length : keys.length;
  const [open, setOpen] = useState(depth < 2 || (depth < OPEN_DEPTH && count <= SMALL));
  const [shown, setShown] = useState(ENTRIES_PER_STEP);
  const [opening, closing] = isArray ? ['[', ']'] : ['{', '}'];
  const summary = `${opening} ${count} ${isArray ? (count === 1 ? 'item' : 'items') : count === 1 ? 'key' : 'keys'} ${closing}`;
  const shownEntries = (): [string, unknown][] =>
    isArray
      ? (value as unknown[]).slice(0, shown).map((item, index) => [String(index), item])
      : keys.slice(0, shown).map((k) => [JSON.stringify(k), (value as Record<string, unknown>)[k]]);
  return (
    <details open={open} onToggle={(event) => setOpen(event.currentTarget.open)}>
      <summary>
        {label}
        <span class="json-summary">{summary}</span>
      </summary>
      {open && (
        <div class="json-children">
          {shownEntries().map(([k, v]) => (
            <JsonNode key={k} name={k} value={v} depth={depth + 1} />
          ))}
          {count > shown && (
            <button type="button" class="link" onClick={() => setShown(shown + ENTRIES_PER_STEP)}>
              Show {Math.min(ENTRIES_PER_STEP, count - shown)} more of {count - shown}
            </button>
          )}
        </div>
      )}
    </details>
  );
}
