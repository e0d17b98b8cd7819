import { useEffect, useRef, useState } from 'preact/hooks';
import { request } from '../messages';

interface Props {
  accountId: string;
  label: string;
  /** Says in the popup's status line that the label changed. */
  onNotice: (text: string) => void;
}

/**
 * Rename, in an account item: the button opens **Account label** (prefilled) with **Save** and
 * **Cancel**; Enter saves and Escape cancels. The background checks the label and stores it; a bad
 * one is named in an alert under the field and nothing changes.
 */
export function RenameAccount({ accountId, label, onNotice }: Props) {
  const [editing, setEditing] = useState(false);
  const [typed, setTyped] = useState(label);
  const [error, setError] = useState<string>();
  const [saving, setSaving] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const opened = useRef(false);
  // Focus follows the form: into the field when it opens, back to Rename when it closes.
  useEffect(() => {
    if (editing) field.current?.select();
    else if (opened.current) button.current?.focus();
    opened.current = editing;
  }, [editing]);

  const open = () => {
    setTyped(label);
    setError(undefined);
    setEditing(true);
  };
  // Run by the form with `void`: it shows either outcome itself.
  const save = async () => {
    setSaving(true);
    const result = await request('renameAccount', { accountId, label: typed });
    setSaving(false);
    if (!result.ok) return setError(result.error);
    setEditing(false);
    onNotice(`Renamed to ${result.value.label}.`);
  };

  if (!editing) {
    return (
      <button type="button" ref={button} onClick={open}>
        Rename
      </button>
    );
  }
  const errorId = `rename-error-${accountId}`;
  return (
    <form
      class="rename"
      onSubmit={(event) => {
        event.preventDefault();
        void save();
      }}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.preventDefault();
          setEditing(false);
        }
      }}
    >
      <label class="inline">
        Account label
        <input
          ref={field}
          value={typed}
          aria-invalid={error !== undefined}
          aria-describedby={error !== undefined ? errorId : undefined}
          onInput={(event) => setTyped(event.currentTarget.value)}
        />
      </label>
      <button type="submit" disabled={saving}>
        Save
      </button>
      <button type="button" onClick={() => setEditing(false)}>
        Cancel
      </button>
      {error !== undefined && (
        <p role="alert" id={errorId} class="problem">
          {error}
        </p>
      )}
    </form>
  );
}
