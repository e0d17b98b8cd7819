// What the background checks before it acts on a message from the extension's own pages. Apart
// from messages.ts so the popup, which only sends requests, does not load it.
import type { BackgroundApi, Message, RequestType, Result } from './messages';

/** Every field of every request is text, required or optional; a field of another type would not compile here. */
type TextFields<Request> = {
  [F in keyof Request]-?: undefined extends Request[F]
    ? Request[F] extends string | undefined
      ? 'optional text'
      : never
    : Request[F] extends string
      ? 'text'
      : never;
};

/** The fields each request carries, per type: all a handler may read, so nothing else is copied. */
const REQUEST_FIELDS: { [K in RequestType]: TextFields<BackgroundApi[K]['request']> } = {
  connect: { providerId: 'text', scopeOption: 'optional text' },
  cancelDeviceSignIn: { id: 'text' },
  disconnect: { accountId: 'text' },
  refresh: { accountId: 'text' },
  reconnect: { accountId: 'text' },
  renameAccount: { accountId: 'text', label: 'text' },
  importProviders: { json: 'text', confirmed: 'optional text' },
  addPastedToken: { providerId: 'text', accessToken: 'text', expiresIn: 'text' },
  removeProvider: { providerId: 'text' },
  dismissError: {},
  approveSite: { accountId: 'text', origin: 'text' },
  removeSite: { accountId: 'text', origin: 'text' },
  useOnTab: { accountId: 'text', tabId: 'text', origin: 'text' },
  stopUsingOnTab: { accountId: 'text', tabId: 'text' },
  sentFromTab: { tabId: 'text' },
};

/**
 * Checks a message before the background acts on it: a plain object whose `type` is one of
 * BackgroundApi's own keys (never an inherited name such as "constructor"), with each of that
 * request's fields as text. Returns a fresh request holding only those fields, or an error for
 * the user.
 */
export function parseRequest(message: unknown): Result<Message> {
  if (typeof message !== 'object' || message === null || Array.isArray(message) || !Object.hasOwn(message, 'type')) {
    return { ok: false, error: 'A request must be an object with a "type". Nothing was changed.' };
  }
  const fields = message as Record<string, unknown>;
  const { type } = fields;
  if (typeof type !== 'string' || !Object.hasOwn(REQUEST_FIELDS, type)) {
    return { ok: false, error: `Unknown request ${quoteType(type)}. Nothing was changed.` };
  }
  const request: Record<string, string> = { type };
  for (const [field, kind] of Object.entries<'text' | 'optional text'>(REQUEST_FIELDS[type as RequestType])) {
    const value = Object.hasOwn(fields, field) ? fields[field] : undefined;
    if (value === undefined && kind === 'optional text') continue;
    if (typeof value !== 'string') return { ok: false, error: `The "${type}" request needs "${field}" as text. Nothing was changed.` };
    request[field] = value;
  }
  return { ok: true, value: request as Message };
}

/** A request type for a message: quoted, on one line, at most 40 characters. */
function quoteType(type: unknown): string {
  const text = typeof type === 'string' ? type.replace(/\p{Cc}/gu, ' ') : String(typeof type);
  return JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}…` : text);
}
