// Copy as curl and Copy as fetch: a console request as a snippet to run elsewhere. Pure.
import { headerValue, type HeaderSpec } from '../providers/model';
import type { ConsoleRequest } from './exchange';

/** The header the account adds to the request: its name and the prefix before the token. */
export type AddedHeader = Pick<HeaderSpec, 'name' | 'prefix'>;

/** The curl command's token variable, and the fetch snippet's constant. */
const TOKEN_NAME = 'TOKEN';

/**
 * The request as a curl command. `added` is the account's header (undefined when the URL gets no
 * token); `token` its token, or undefined for `"$TOKEN"` in its place. Every value is single-quoted,
 * so nothing typed in the console runs in the shell that pastes it.
 */
export function curlSnippet(request: ConsoleRequest, added: AddedHeader | undefined, token: string | undefined): string {
  // A URL read as an option ("-o…") would be one; `--url` takes it as a URL whatever it is.
  const args = [request.url.startsWith('-') ? `--url ${shellQuote(request.url)}` : shellQuote(request.url)];
  if (request.method === 'HEAD') args.push('--head');
  else if (request.method !== 'GET' || request.body !== '') args.push(`-X ${shellQuote(request.method)}`);
  for (const [name, value] of typedHeaders(request, added)) args.push(`-H ${shellQuote(`${name}: ${value}`)}`);
  if (added !== undefined) {
    const header =
      token === undefined
        ? `${shellQuote(`${added.name}: ${headerValue(added.prefix, '')}`)}"$${TOKEN_NAME}"`
        : shellQuote(`${added.name}: ${headerValue(added.prefix, token)}`);
    args.push(`-H ${header}`);
  }
  // --data-raw: a body starting with "@" is text, not a file to upload.
  if (request.body !== '') args.push(`--data-raw ${shellQuote(request.body)}`);
  return `curl ${args.join(' \\\n  ')}`;
}

/**
 * The request as JavaScript calling `fetch`. Without `token`, a `TOKEN` constant stands in for it,
 * left empty for the user to fill. Every value is a JSON string literal, so none can end the code.
 */
export function fetchSnippet(request: ConsoleRequest, added: AddedHeader | undefined, token: string | undefined): string {
  const headers: [string, string][] = typedHeaders(request, added).map(([name, value]) => [JSON.stringify(name), JSON.stringify(value)]);
  const placeholder = added !== undefined && token === undefined;
  if (added !== undefined) {
    const value = token === undefined ? tokenExpression(added.prefix) : JSON.stringify(headerValue(added.prefix, token));
    headers.push([JSON.stringify(added.name), value]);
  }
  const options: string[] = [];
  if (request.method !== 'GET') options.push(`  method: ${JSON.stringify(request.method)},`);
  if (headers.length > 0) options.push(`  headers: ${headersLiteral(headers)},`);
  if (request.body !== '') options.push(`  body: ${JSON.stringify(request.body)},`);
  const call =
    options.length === 0
      ? `await fetch(${JSON.stringify(request.url)});`
      : `await fetch(${JSON.stringify(request.url)}, {\n${options.join('\n')}\n});`;
  return placeholder ? `const ${TOKEN_NAME} = ''; // the account's token: Include token was off\n${call}` : call;
}

/** The headers typed in the console that go out: the account's header replaces one of its name, as the rules do. */
function typedHeaders(request: ConsoleRequest, added: AddedHeader | undefined): [string, string][] {
  const replaced = added?.name.toLowerCase();
  return request.headers.filter(([name]) => name.trim() !== '' && name.toLowerCase() !== replaced);
}

function tokenExpression(prefix: string): string {
  return prefix === '' ? TOKEN_NAME : `${JSON.stringify(headerValue(prefix, ''))} + ${TOKEN_NAME}`;
}

/** An object literal, or pairs when a name repeats (an object would keep only the last). */
function headersLiteral(headers: [string, string][]): string {
  const names = headers.map(([name]) => name.toLowerCase());
  if (new Set(names).size < names.length) return `[\n${headers.map(([name, value]) => `    [${name}, ${value}],`).join('\n')}\n  ]`;
  return `{\n${headers.map(([name, value]) => `    ${name}: ${value},`).join('\n')}\n  }`;
}

/** POSIX shell single quotes: nothing inside is special; a quote is closed, escaped and reopened. */
export function shellQuote(text: string): string {
  return `'${text.replaceAll("'", `'\\''`)}'`;
}
