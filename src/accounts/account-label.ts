// An account's label (README "Keeping tokens fresh" and the popup's Rename): the rules a label the
// user types must meet, and the default label taken from who signed in.

/** Longer labels crowd the popup and say nothing more. */
export const MAX_LABEL_LENGTH = 80;

/** The OpenID Connect claims that say who signed in, best first (OIDC Core 5.1). */
const IDENTITY_CLAIMS = ['email', 'preferred_username', 'name'] as const;

/**
 * The label as it will be kept (white space around it dropped), or the words that say what to
 * fix: empty, longer than MAX_LABEL_LENGTH characters, or holding a control character (a line
 * break, a tab), which would break the popup's one-line items.
 */
export function parseAccountLabel(text: string): { ok: true; value: string } | { ok: false; error: string } {
  const label = text.trim();
  if (label === '') return { ok: false, error: 'Type a label for the account. Nothing was changed.' };
  if (/\p{Cc}/u.test(label)) {
    return { ok: false, error: 'The label has a control character (a line break or a tab). Type it on one line. Nothing was changed.' };
  }
  const length = [...label].length;
  if (length > MAX_LABEL_LENGTH) {
    return { ok: false, error: `The label has ${length} characters; at most ${MAX_LABEL_LENGTH} fit. Nothing was changed.` };
  }
  return { ok: true, value: label };
}

/**
 * Who signed in, from a validated ID Token's claims or a UserInfo answer's: the first of `email`, `preferred_username` and
 * `name` that is text and a valid label; undefined when none is.
 */
export function identityFromClaims(claims: Readonly<Record<string, unknown>>): string | undefined {
  for (const claim of IDENTITY_CLAIMS) {
    const value = claims[claim];
    if (typeof value !== 'string') continue;
    const parsed = parseAccountLabel(value);
    if (parsed.ok) return parsed.value;
  }
  return undefined;
}

/** "Account 3": the label of an account whose provider named nobody (the N a number without leading zero). */
const NUMBERED_LABEL = /^Account ([1-9]\d*)$/;

/**
 * A new account's label: who signed in, else "Account N" with the lowest N no label in `taken`
 * (the provider's accounts) has, so a Disconnect never leaves two alike. An identity one of
 * `taken` already has gets the first free " (2)", " (3)" … so two accounts of one provider are told apart.
 */
export function defaultLabel(identity: string | undefined, taken: readonly string[]): string {
  if (identity === undefined) {
    const used = new Set(taken.map((label) => NUMBERED_LABEL.exec(label)?.[1]));
    let n = 1;
    while (used.has(String(n))) n++;
    return `Account ${n}`;
  }
  let label = identity;
  for (let n = 2; taken.includes(label); n++) label = `${identity} (${n})`;
  return label;
}

/** True for a label "Account N" that names nobody: Reconnect may replace it by who signed in. */
export function isNumberedLabel(label: string): boolean {
  return NUMBERED_LABEL.test(label);
}
