import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { curlSnippet, fetchSnippet, shellQuote, type AddedHeader } from './copy-as';
import type { ConsoleRequest } from './exchange';

const BEARER: AddedHeader = { name: 'Authorization', prefix: 'Bearer' };

const request = (fields: Partial<ConsoleRequest>): ConsoleRequest => ({
  accountId: 'acc-1',
  method: 'GET',
  url: 'https://sv.example/api/sites',
  headers: [],
  body: '',
  ...fields,
});

/**
 * What the shell passes to curl when it runs `snippet`, with `$TOKEN` set in its environment: the
 * same in dash (Debian's sh) and bash, or the test fails.
 */
function curlArgs(snippet: string, token = 'env-token'): string[] {
  const [sh, bash] = [
    ['sh', '-c'],
    ['bash', '--norc', '--noprofile', '-c'],
  ].map(([shell, ...flags]) => {
    const script = `curl() { printf '%s\\0' "$@"; }\n${snippet}`;
    const out = execFileSync(shell!, [...flags, script], { env: { PATH: process.env.PATH, TOKEN: token } });
    return out.toString('utf8').split('\0').slice(0, -1);
  });
  expect(sh).toEqual(bash);
  return bash!;
}

interface FetchCall {
  url: unknown;
  init: { method?: unknown; headers?: unknown; body?: unknown } | undefined;
}

/** What the fetch snippet passes to `fetch` when it runs. */
async function fetchCall(snippet: string): Promise<FetchCall> {
  const calls: FetchCall[] = [];
  const AsyncFunction = (Object.getPrototypeOf(async () => {}) as { constructor: unknown }).constructor as new (
    ...args: string[]
  ) => (fetch: unknown) => Promise<void>;
  await new AsyncFunction('fetch', snippet)((url: unknown, init: FetchCall['init']) => calls.push({ url, init }));
  expect(calls).toHaveLength(1);
  return calls[0]!;
}

// Quotes of both kinds, command substitution, backticks, variables, backslashes, line breaks.
const HOSTILE = `it's "quoted" $(touch /tmp/tokentap-pwned) \`id\` $HOME \\n \\' '\\'' end\nsecond line\r\n\t-o /tmp/x`;

describe('Copy as curl', () => {
  it('a GET with the token as "$TOKEN"', () => {
    const snippet = curlSnippet(request({}), BEARER, undefined);
    expect(snippet).toBe(`curl 'https://sv.example/api/sites' \\\n  -H 'Authorization: Bearer '"$TOKEN"`);
    expect(curlArgs(snippet)).toEqual(['https://sv.example/api/sites', '-H', 'Authorization: Bearer env-token']);
  });

  it('a POST with a JSON body and the token included', () => {
    const snippet = curlSnippet(
      request({ method: 'POST', headers: [['Content-Type', 'application/json']], body: '{"title":"Fred\'s site"}' }),
      BEARER,
      'abc.def',
    );
    expect(curlArgs(snippet)).toEqual([
      'https://sv.example/api/sites',
      '-X',
      'POST',
      '-H',
      'Content-Type: application/json',
      '-H',
      'Authorization: Bearer abc.def',
      '--data-raw',
      '{"title":"Fred\'s site"}',
    ]);
  });

  it('hostile text in the URL, a header, the method, the body and the token stays one argument each, run by nothing', () => {
    const snippet = curlSnippet(
      request({ method: `PATCH${HOSTILE}`, url: `https://a.example/?q=${HOSTILE}`, headers: [[`X-Note`, HOSTILE]], body: HOSTILE }),
      { name: 'X-Api-Key', prefix: `key ${HOSTILE}` },
      `t${HOSTILE}`,
    );
    expect(curlArgs(snippet)).toEqual([
      `https://a.example/?q=${HOSTILE}`,
      '-X',
      `PATCH${HOSTILE}`,
      '-H',
      `X-Note: ${HOSTILE}`,
      '-H',
      `X-Api-Key: key ${HOSTILE} t${HOSTILE}`,
      '--data-raw',
      HOSTILE,
    ]);
  });

  it('a hostile prefix before "$TOKEN", and a token value with shell syntax in the environment, are taken as text', () => {
    const snippet = curlSnippet(request({}), { name: 'X-Key', prefix: `'$(id)` }, undefined);
    expect(curlArgs(snippet, '$(id) `id`')).toEqual(['https://sv.example/api/sites', '-H', "X-Key: '$(id) $(id) `id`"]);
  });

  it('no prefix: the token alone', () => {
    expect(curlArgs(curlSnippet(request({}), { name: 'X-Api-Key', prefix: '' }, undefined))).toEqual([
      'https://sv.example/api/sites',
      '-H',
      'X-Api-Key: env-token',
    ]);
  });

  it("the account's header replaces a typed one of its name (any case), as the rules do; other typed headers stay", () => {
    const typed = request({
      headers: [
        ['authorization', 'Bearer typed'],
        ['Accept', 'application/json'],
        ['', 'an empty row'],
      ],
    });
    expect(curlArgs(curlSnippet(typed, BEARER, undefined))).toEqual([
      'https://sv.example/api/sites',
      '-H',
      'Accept: application/json',
      '-H',
      'Authorization: Bearer env-token',
    ]);
    // A URL outside the API base URLs gets no token: the typed header goes as typed.
    expect(curlArgs(curlSnippet(typed, undefined, undefined))).toEqual([
      'https://sv.example/api/sites',
      '-H',
      'authorization: Bearer typed',
      '-H',
      'Accept: application/json',
    ]);
  });

  it('a URL that looks like an option is passed with --url; HEAD uses --head; a GET with a body says -X GET', () => {
    expect(curlArgs(curlSnippet(request({ url: '-o/tmp/x' }), undefined, undefined))).toEqual(['--url', '-o/tmp/x']);
    expect(curlArgs(curlSnippet(request({ method: 'HEAD' }), undefined, undefined))).toEqual(['https://sv.example/api/sites', '--head']);
    expect(curlArgs(curlSnippet(request({ body: '@/etc/passwd' }), undefined, undefined))).toEqual([
      'https://sv.example/api/sites',
      '-X',
      'GET',
      '--data-raw',
      '@/etc/passwd',
    ]);
  });

  it('shellQuote', () => {
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe("'it'\\''s'");
  });
});

describe('Copy as fetch', () => {
  it('a GET with the TOKEN constant left for the user to fill', async () => {
    const snippet = fetchSnippet(request({}), BEARER, undefined);
    expect(snippet).toBe(
      [
        "const TOKEN = ''; // the account's token: Include token was off",
        'await fetch("https://sv.example/api/sites", {',
        '  headers: {',
        '    "Authorization": "Bearer " + TOKEN,',
        '  },',
        '});',
      ].join('\n'),
    );
    expect(await fetchCall(snippet)).toEqual({ url: 'https://sv.example/api/sites', init: { headers: { Authorization: 'Bearer ' } } });
  });

  it('a POST with a JSON body and the token included', async () => {
    const snippet = fetchSnippet(
      request({ method: 'POST', headers: [['Content-Type', 'application/json']], body: '{"a":1}' }),
      BEARER,
      'abc.def',
    );
    expect(snippet).not.toContain('TOKEN');
    expect(await fetchCall(snippet)).toEqual({
      url: 'https://sv.example/api/sites',
      init: { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer abc.def' }, body: '{"a":1}' },
    });
  });

  it('no header at all: a plain call', () => {
    expect(fetchSnippet(request({}), undefined, undefined)).toBe('await fetch("https://sv.example/api/sites");');
  });

  it('hostile text everywhere stays data: string literals no input can end', async () => {
    const evil = `${HOSTILE} "); globalThis.pwned = 1; (" \${globalThis.pwned = 2} </script> \u2028\u2029`;
    const snippet = fetchSnippet(
      request({ method: evil, url: `https://a.example/?q=${evil}`, headers: [[evil, evil]], body: evil }),
      { name: 'X-Key', prefix: evil },
      undefined,
    );
    expect(await fetchCall(snippet)).toEqual({
      url: `https://a.example/?q=${evil}`,
      init: { method: evil, headers: { [evil]: evil, 'X-Key': `${evil} ` }, body: evil },
    });
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
  });

  it('a repeated header name keeps both values, as pairs', async () => {
    const snippet = fetchSnippet(
      request({
        headers: [
          ['Accept', 'application/json'],
          ['accept', 'text/plain'],
        ],
      }),
      { name: 'X-Api-Key', prefix: '' },
      'k',
    );
    expect(await fetchCall(snippet)).toEqual({
      url: 'https://sv.example/api/sites',
      init: {
        headers: [
          ['Accept', 'application/json'],
          ['accept', 'text/plain'],
          ['X-Api-Key', 'k'],
        ],
      },
    });
  });
});
