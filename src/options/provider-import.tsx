import { useState } from 'preact/hooks';
import { request, type ImportResult } from '../messages';
import { providerClicks } from './provider-clicks-loader';
import type { PendingImport } from './TokenMoveConfirmation';

export type Outcome = { kind: 'status' | 'alert'; text: string };
type Imported = Extract<ImportResult, { kind: 'imported' }>;

interface ImportWords {
  /** What Cancel on the confirmation says ("Nothing was imported."). */
  cancelled: string;
  /** The background's refusal as this control shows it. */
  refused(error: string): string;
  /** The status once the document went in; `leftToDo` lists what the user must still do. */
  done(imported: Imported, leftToDo: string[]): string;
}

/**
 * Sending a Provider JSON document to the background, shared by Import and Save provider: the
 * confirmation of changes that move tokens (README: Provider JSON), Apply and Cancel, and the one
 * status or alert line. `view` is that confirmation and line, for the control to render.
 */
export function useProviderImport(words: ImportWords) {
  const [outcome, setOutcome] = useState<Outcome>();
  const [pending, setPending] = useState<PendingImport>();

  /** Sends `json`; `confirmed` is the confirmation of the changes shown for exactly this document. */
  const send = async (json: string, confirmed?: string): Promise<boolean> => {
    setPending(undefined);
    setOutcome(undefined);
    const result = await request('importProviders', { json, ...(confirmed !== undefined && { confirmed }) });
    const { CHANGES_DIFFER, leftToDo } = await providerClicks.load();
    if (!result.ok) {
      setOutcome({ kind: 'alert', text: words.refused(result.error) });
      return false;
    }
    if (result.value.kind === 'confirm') {
      setPending({ json, reviews: result.value.reviews, confirmation: result.value.confirmation });
      if (confirmed !== undefined) setOutcome({ kind: 'alert', text: CHANGES_DIFFER });
      return false;
    }
    setOutcome({ kind: 'status', text: words.done(result.value, leftToDo(result.value)) });
    return true;
  };

  // Loaded before `pending` is set (send), so it is here whenever there is a confirmation to show.
  const Confirmation = providerClicks.loaded?.TokenMoveConfirmation;
  const view = (
    <>
      {pending && Confirmation && (
        <Confirmation
          pending={pending}
          // Preact ignores a handler's result; send shows its own outcome.
          onApply={() => void send(pending.json, pending.confirmation)}
          onCancel={() => {
            setPending(undefined);
            setOutcome({ kind: 'status', text: words.cancelled });
          }}
        />
      )}
      {outcome && (
        <p role={outcome.kind} class={outcome.kind}>
          {outcome.text}
        </p>
      )}
    </>
  );
  /** Any edit withdraws a confirmation: it holds for the document it was shown for. */
  const withdraw = () => setPending(undefined);
  return { send, view, setOutcome, withdraw };
}
