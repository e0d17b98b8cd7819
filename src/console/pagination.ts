// Where the console's Next page and Previous page go, read from an answer. Pure: no browser API.
//
// It only reports URLs. Whether the token goes with a request is the console's call when it sends
// (only URLs under the account's API base URLs get it), so a next link that points elsewhere, as a
// hostile API could make it, is followed without the token.

/** The pages around an answer, as the console offers them. */
export interface Pages {
  /** Absolute http(s) URL of the next page, when there is one. */
  next: string | undefined;
  /** Absolute http(s) URL of the previous page, when it can be known. */
  previous: string | undefined;
  /** Where this page is in the list ("items 11–20 of 23"), when the answer says. */
  position: string | undefined;
}

/**
 * The pages around the answer that `pageUrl` gave (its final URL, after redirects), from the first
 * of these that has any: SkyVault's `list.pagination`, an RFC 8288 `Link` header (`rel="next"`,
 * `rel="prev"`), or a next URL in the JSON body (BODY_LINKS). Undefined when none has any.
 */
export function findPages(pageUrl: string, headers: readonly (readonly [string, string])[], body: unknown): Pages | undefined {
  const base = httpUrl(pageUrl);
  if (base === undefined) return undefined;
  return skyVaultPages(base, body) ?? linkHeaderPages(base, headers) ?? bodyLinkPages(base, body);
}

// ---- SkyVault's list.pagination -------------------------------------------------------------------

/** `{ list: { pagination: { count, hasMoreItems, skipCount, maxItems, totalItems? } } }`, each count checked. */
function skyVaultPages(base: URL, body: unknown): Pages | undefined {
  const pagination = valueAt(body, ['list', 'pagination']);
  if (!isRecord(pagination)) return undefined;
  const { count, hasMoreItems, skipCount, maxItems, totalItems } = pagination;
  if (!isCount(count) || typeof hasMoreItems !== 'boolean' || !isCount(skipCount) || !isCount(maxItems) || maxItems < 1) return undefined;
  if (totalItems !== undefined && !isCount(totalItems)) return undefined;
  const page = (skip: number) => withQuery(base, { skipCount: String(skip), maxItems: String(maxItems) });
  return {
    next: hasMoreItems ? page(skipCount + maxItems) : undefined,
    // From a page that did not start on a page boundary, back to the list's start.
    previous: skipCount > 0 ? page(Math.max(0, skipCount - maxItems)) : undefined,
    position: positionText(skipCount, count, totalItems),
  };
}

function positionText(skipCount: number, count: number, totalItems: number | undefined): string {
  const ofTotal = totalItems === undefined ? '' : ` of ${totalItems}`;
  if (count > 0) return `items ${skipCount + 1}–${skipCount + count}${ofTotal}`;
  return skipCount === 0 ? `no items${ofTotal}` : `no items after item ${skipCount}${ofTotal}`;
}

/**
 * `base` with `values` set in its query: each replaces the first parameter of its name (later
 * repeats are dropped) or is appended. The other parameters stay exactly as written.
 */
function withQuery(base: URL, values: Record<string, string>): string {
  const pending = new Map(Object.entries(values));
  const pairs = base.search
    .slice(1)
    .split('&')
    .filter((pair) => pair !== '')
    .flatMap((pair) => {
      const name = decodeQueryName(pair.split('=', 1)[0]!);
      if (!Object.hasOwn(values, name)) return [pair];
      const value = pending.get(name);
      pending.delete(name);
      return value === undefined ? [] : [`${encodeURIComponent(name)}=${encodeURIComponent(value)}`];
    });
  for (const [name, value] of pending) pairs.push(`${encodeURIComponent(name)}=${encodeURIComponent(value)}`);
  const url = new URL(base.href);
  url.search = pairs.join('&');
  return url.href;
}

function decodeQueryName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw; // A stray "%": the name as written.
  }
}

// ---- RFC 8288 Link header -------------------------------------------------------------------------

/** One link-value of a Link header: its target as written and its parameters, names in lower case. */
export interface WebLink {
  target: string;
  /** The first occurrence of each parameter (RFC 8288 3.3: later `rel`s are ignored). */
  params: ReadonlyMap<string, string>;
}

/** RFC 9110 5.6.2 token characters: a parameter name, or an unquoted value. */
const TOKEN_CHAR = /[!#$%&'*+\-.^_`|~0-9A-Za-z]/;

/**
 * The link-values of a Link header field (RFC 8288 3): `<target>` then `; name=value` parameters,
 * values a token or a quoted-string with backslash escapes; commas separate link-values, except
 * inside `<…>` or quotes. A malformed link-value is skipped, not the ones after it.
 */
export function parseLinkHeader(field: string): WebLink[] {
  const links: WebLink[] = [];
  let i = 0;
  const skipSpace = () => {
    while (field[i] === ' ' || field[i] === '\t') i++;
  };
  const skipToNextLink = () => {
    while (i < field.length && field[i] !== ',') i++;
  };
  while (i < field.length) {
    skipSpace();
    if (field[i] === ',') {
      i++;
      continue;
    }
    const close = field[i] === '<' ? field.indexOf('>', i + 1) : -1;
    if (close < 0) {
      skipToNextLink();
      continue;
    }
    const target = field.slice(i + 1, close).trim();
    i = close + 1;
    const params = new Map<string, string>();
    for (;;) {
      skipSpace();
      if (field[i] !== ';') break;
      i++;
      skipSpace();
      let name = '';
      while (i < field.length && TOKEN_CHAR.test(field[i]!)) name += field[i++];
      skipSpace();
      let value = '';
      if (field[i] === '=') {
        i++;
        skipSpace();
        if (field[i] === '"') {
          for (i++; i < field.length && field[i] !== '"'; i++)
            value += field[i] === '\\' && i + 1 < field.length ? field.charAt(++i) : field.charAt(i);
          i++;
        } else {
          while (i < field.length && TOKEN_CHAR.test(field[i]!)) value += field[i++];
        }
      }
      if (name !== '' && !params.has(name.toLowerCase())) params.set(name.toLowerCase(), value);
    }
    links.push({ target, params });
    skipToNextLink();
  }
  return links;
}

/** `prev` and `previous` are one relation (IANA link relations registry). */
const PREVIOUS_RELS = ['prev', 'previous'];

function linkHeaderPages(base: URL, headers: readonly (readonly [string, string])[]): Pages | undefined {
  // Several Link fields are one list (RFC 9110 5.3), as fetch's Headers joins them.
  const field = headers
    .filter(([name]) => name.toLowerCase() === 'link')
    .map(([, value]) => value)
    .join(', ');
  let next: string | undefined;
  let previous: string | undefined;
  for (const link of parseLinkHeader(field)) {
    const rels = (link.params.get('rel') ?? '').toLowerCase().split(/[ \t]+/);
    const anchor = link.params.get('anchor');
    // A link with another context than this answer is not this answer's next page.
    if (anchor !== undefined && resolveHttp(anchor, base) !== base.href) continue;
    if (next === undefined && rels.includes('next')) next = resolveHttp(link.target, base);
    if (previous === undefined && rels.some((rel) => PREVIOUS_RELS.includes(rel))) previous = resolveHttp(link.target, base);
  }
  return next === undefined && previous === undefined ? undefined : { next, previous, position: undefined };
}

// ---- a next URL in the body ----------------------------------------------------------------------

/**
 * Where common APIs put the next and previous page's URL in a JSON body: a top-level `next` and
 * `previous` (Django REST framework, and many more), JSON:API's `links.next` (a URL or `{ href }`),
 * HAL's `_links.next.href`, OData's `@odata.nextLink`, and Facebook Graph's `paging.next`.
 */
const BODY_LINKS: Record<'next' | 'previous', readonly (readonly string[])[]> = {
  next: [['next'], ['links', 'next'], ['links', 'next', 'href'], ['_links', 'next', 'href'], ['@odata.nextLink'], ['paging', 'next']],
  previous: [['previous'], ['prev'], ['links', 'prev'], ['links', 'prev', 'href'], ['_links', 'prev', 'href'], ['paging', 'previous']],
};

/** A cursor ("abc123") is not a URL: a body link must be absolute, or start with "/" or "?". */
const URL_LIKE = /^(?:[a-z][a-z0-9+.-]*:|[/?])/i;

function bodyLinkPages(base: URL, body: unknown): Pages | undefined {
  const find = (paths: readonly (readonly string[])[]) => {
    for (const path of paths) {
      const value = valueAt(body, path);
      if (typeof value === 'string' && URL_LIKE.test(value)) return resolveHttp(value, base);
    }
    return undefined;
  };
  const next = find(BODY_LINKS.next);
  const previous = find(BODY_LINKS.previous);
  return next === undefined && previous === undefined ? undefined : { next, previous, position: undefined };
}

// ---- shared --------------------------------------------------------------------------------------

/** `reference` resolved against `base`, when that is an http(s) URL (never `javascript:` or `data:`). */
function resolveHttp(reference: string, base: URL): string | undefined {
  return httpUrl(reference, base)?.href;
}

function httpUrl(reference: string, base?: URL): URL | undefined {
  let url: URL;
  try {
    url = new URL(reference, base);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}

function valueAt(value: unknown, path: readonly string[]): unknown {
  let at = value;
  for (const key of path) {
    if (!isRecord(at) || !Object.hasOwn(at, key)) return undefined;
    at = at[key];
  }
  return at;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isCount(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}
