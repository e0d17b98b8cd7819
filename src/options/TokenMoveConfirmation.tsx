import type { ImportResult } from '../messages';
import { listInWords } from '../list-in-words';
import { describeConsequences, type TokenMoveReview } from '../providers/token-destinations';

/** The accessible names the confirmation is found by (README, Provider JSON). */
export const CHANGES_NAME = 'Changes to where tokens go';
export const APPLY_NAME = 'Apply changes and reconnect';

/** An import that waits for the user's second click: the document it was computed for, and the changes shown. */
export interface PendingImport {
  json: string;
  reviews: TokenMoveReview[];
  confirmation: string;
}

/**
 * The list of changes that move a connected provider's tokens, and the second, explicit click
 * that applies them. Nothing is written until **Apply changes and reconnect**.
 */
export function TokenMoveConfirmation(props: { pending: PendingImport; onApply: () => void; onCancel: () => void }) {
  const { reviews } = props.pending;
  const names = listInWords(reviews.map((r) => r.providerName));
  return (
    <div class="token-moves alert" role="group" aria-label={CHANGES_NAME}>
      <p role="alert">
        This sends the tokens of {names} somewhere else. Nothing is saved until you apply the changes; the accounts then need Reconnect.
      </p>
      {reviews.map((review) => (
        <div key={review.providerId}>
          <h4>{review.providerName}</h4>
          <ul>
            {[...review.changes, ...describeConsequences(review)].map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </div>
      ))}
      <div class="actions">
        <button type="button" class="danger" onClick={props.onApply}>
          {APPLY_NAME}
        </button>
        <button type="button" onClick={props.onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** What is left for the user after an import: accounts to reconnect, secrets to enter again. */
export function leftToDo(result: Extract<ImportResult, { kind: 'imported' }>): string[] {
  const { reconnect, secretNeeded } = result;
  return [
    ...(reconnect.length > 0 ? [`${listInWords(reconnect)} ${reconnect.length > 1 ? 'need' : 'needs'} Reconnect.`] : []),
    ...secretNeeded.map((name) => `Enter the client secret of ${name} again.`),
  ];
}

/** Said when the document or the stored state changed after the list was shown. */
export const CHANGES_DIFFER = 'These changes differ from the ones you confirmed. Review them and apply again.';
