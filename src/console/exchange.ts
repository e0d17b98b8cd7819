// What the console sends and what comes back (README "Console"): the shapes its parts share.

/** A request as the console's form holds it; never carries the token (the account's header is added when it is sent). */
export interface ConsoleRequest {
  accountId: string;
  method: string;
  url: string;
  headers: [string, string][];
  body: string;
}

/** The answer's body, read once, as the Response view shows it. */
export type ResponseBody =
  | { kind: 'json'; text: string; value: unknown }
  | { kind: 'text'; text: string }
  | { kind: 'image'; blob: Blob }
  | { kind: 'download'; blob: Blob };

export interface ConsoleResponse {
  status: number;
  statusText: string;
  headers: [string, string][];
  /** From sending to the last byte of the body, in milliseconds. */
  timeMs: number;
  /** The body's length in bytes, as received (after content decoding). */
  size: number;
  contentType: string;
  /** The URL that answered. */
  url: string;
  body: ResponseBody;
}

/** The methods the console offers; a body is sent only with those that may carry one. */
export const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'] as const;
export const METHODS_WITHOUT_BODY: readonly string[] = ['GET', 'HEAD'];

/** How a body of `contentType` is shown: JSON (application/json, any +json), text, an image, or a download. */
export function bodyKind(contentType: string): ResponseBody['kind'] {
  const type = contentType.split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || type.endsWith('+json')) return 'json';
  if (type.startsWith('image/')) return 'image';
  if (
    type === '' ||
    type.startsWith('text/') ||
    type.endsWith('+xml') ||
    ['application/xml', 'application/javascript', 'application/x-www-form-urlencoded'].includes(type)
  ) {
    return 'text';
  }
  return 'download';
}

/** The body as its content type says to show it; JSON that does not parse is shown as text. */
export async function readBody(blob: Blob, contentType: string): Promise<ResponseBody> {
  const kind = bodyKind(contentType);
  if (kind === 'image' || kind === 'download') return { kind, blob };
  const text = await blob.text();
  if (kind === 'json') {
    try {
      return { kind, text, value: JSON.parse(text) as unknown };
    } catch {
      return { kind: 'text', text };
    }
  }
  return { kind, text };
}

/** "1.2 KB": a size for people. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
