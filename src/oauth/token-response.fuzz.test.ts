// Property-based tests of checkTokenResponse: whatever the token endpoint answers, the checker
// resolves to a well-formed TokenSet exactly when the answer is a 200 JSON object that satisfies
// the rules, and otherwise rejects with an OAuthError. Nothing else: no other exception, no token
// in any error text, and never an account (the result is only the checked token set).
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseProviderJson } from '../providers/provider';
import type { Provider } from '../providers/model';
import { SEED_PROVIDERS_JSON } from '../../test/fixtures/seed-providers';
import { describeOAuthError, OAuthError, type OAuthErrorCode } from './errors';
import { checkTokenResponse, type CheckTokenResponseOptions, type TokenSet } from './token-response';

const RUNS = { numRuns: 10_000 };

const [, SKYVAULT] = parseProviderJson(SEED_PROVIDERS_JSON) as [Provider, Provider];
const PROVIDERS = [SKYVAULT, { ...SKYVAULT, issuer: 'https://auth.skyvault.example' }];
const TOKEN_RESPONSE_CODES: readonly OAuthErrorCode[] = ['invalid_token_response', 'token_endpoint_error', 'invalid_grant'];
const TOKEN_SET_KEYS = ['accessToken', 'tokenType', 'expiresIn', 'refreshToken', 'scope'];
const VSCHARS = /^[\x20-\x7E]+$/;
/** The Response constructor requires a null body for these. */
const NULL_BODY_STATUSES = new Set([204, 205, 304]);
/**
 * Error texts are checked for every secret of at least 8 characters (shorter ones may be ordinary
 * words) that the sanitizers leave intact. They rewrite before they redact: sanitizeErrorCode drops
 * `"`, `\` and anything outside printable ASCII, sanitizeDescription trims and collapses whitespace.
 * A token with such characters is shown altered, never whole (noted in the fuzzing report).
 */
const checkedSecret = (secret: string): boolean => secret.length >= 8 && VSCHARS.test(secret) && !/["\\]|^ | $| {2}/.test(secret);

// ---- generators -------------------------------------------------------------------------------

/** A JSON value, before serialization: `raw` is spliced in as is (numbers JSON.stringify cannot write). */
type Raw = { raw: string };
/** A string that repeats the body's own access / refresh token or a caller's secret, with context. */
type Echo = { echo: 'access' | 'refresh' | 'secret'; before: string; after: string };
type Field = { json: unknown } | Raw | Echo;

const jsonish = fc.jsonValue({ maxDepth: 2 });
const hugeStringArb = fc
  .tuple(fc.constantFrom('a', 'Z9', ' ', '€', '"', '\\'), fc.integer({ min: 5_000, max: 40_000 }))
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)));
/** Token values: mostly printable ASCII of every length and shape, some that cannot be tokens. */
const tokenStringArb = fc.oneof(
  { weight: 60, arbitrary: fc.stringMatching(/^[A-Za-z0-9\-._~+/]{1,64}=*$/) },
  { weight: 20, arbitrary: fc.stringMatching(/^[\x20-\x7E]{1,40}$/) },
  { weight: 10, arbitrary: fc.uuid() },
  {
    weight: 10,
    arbitrary: fc.constantFrom('', ' ', 'tok en', 'tök', 'tok\n', 'tok\u0000', '🔑🔑🔑🔑🔑🔑🔑🔑', 'token\u00a0value', '\ud800lone'),
  },
  { weight: 6, arbitrary: fc.string({ maxLength: 20, unit: 'grapheme' }) },
  { weight: 1, arbitrary: hugeStringArb }, // ~1 in 100
);
const json = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<Field> => arb.map((value) => ({ json: value }));
const echoArb: fc.Arbitrary<Field> = fc.record({
  echo: fc.constantFrom<Echo['echo']>('access', 'refresh', 'secret'),
  before: fc.constantFrom('', 'token ', 'the refresh token "', 'bad: ', 'x'),
  after: fc.constantFrom('', ' expired', '" was revoked', '.', '\n'),
});
const absent = { weight: 4, arbitrary: fc.constant(undefined) };

/** Each field: absent, a value of the right type (good or bad), a value of another type, or an echo. */
const fieldsArb = fc.record({
  access_token: fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 12, arbitrary: json(tokenStringArb) },
    { weight: 2, arbitrary: json(jsonish) },
  ),
  token_type: fc.oneof(
    { weight: 1, arbitrary: fc.constant(undefined) },
    { weight: 10, arbitrary: json(fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEaReR')) },
    {
      weight: 3,
      arbitrary: json(fc.constantFrom('DPoP', 'dpop', 'mac', 'N_A', '', ' bearer', 'bearer ', 'bеarer', 'Bearer\u0000', 'ＢＥＡＲＥＲ')),
    },
    { weight: 1, arbitrary: json(jsonish) },
    { weight: 1, arbitrary: echoArb },
  ),
  expires_in: fc.oneof(
    absent,
    { weight: 4, arbitrary: json(fc.integer({ min: 1, max: 10 ** 9 })) },
    { weight: 2, arbitrary: json(fc.constantFrom(0, -1, -3600, 0.5, 3600.25, 1e-9, 1e308, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE)) },
    { weight: 1, arbitrary: json(fc.double()) }, // NaN / ±Infinity serialize as null
    {
      weight: 1,
      arbitrary: fc.constantFrom<Raw>(
        { raw: '1e400' },
        { raw: '-1e400' },
        { raw: '-0' },
        { raw: '1e-400' },
        { raw: '36e2' },
        { raw: '3600.0' },
      ),
    },
    { weight: 2, arbitrary: json(fc.constantFrom('3600', '0', '-5', 'abc', '', '1e3', ' 60')) },
    { weight: 1, arbitrary: json(jsonish) },
  ),
  refresh_token: fc.oneof(absent, { weight: 4, arbitrary: json(tokenStringArb) }, { weight: 1, arbitrary: json(jsonish) }),
  scope: fc.oneof(
    absent,
    { weight: 3, arbitrary: json(fc.constantFrom('public_api', 'orders:read orders:write', '', ' ', ' a  b ', 'ü ∀')) },
    { weight: 1, arbitrary: json(fc.string({ maxLength: 30 })) },
    { weight: 1, arbitrary: json(jsonish) },
    { weight: 1, arbitrary: echoArb },
  ),
  error: fc.oneof(
    { weight: 12, arbitrary: fc.constant(undefined) },
    {
      weight: 3,
      arbitrary: json(
        fc.constantFrom(
          'invalid_grant',
          'invalid_client',
          'invalid_request',
          'unauthorized_client',
          'server_error',
          'bad_verification_code',
          '',
        ),
      ),
    },
    { weight: 1, arbitrary: json(fc.string({ maxLength: 80 })) },
    { weight: 1, arbitrary: json(jsonish) },
    { weight: 2, arbitrary: echoArb },
  ),
  error_description: fc.oneof(
    { weight: 8, arbitrary: fc.constant(undefined) },
    { weight: 2, arbitrary: json(fc.constantFrom('Code expired', 'The code was already used.', '', 'line\nbreak\ttab', '<b>html</b>')) },
    { weight: 1, arbitrary: json(fc.string({ maxLength: 300, unit: 'grapheme' })) },
    { weight: 1, arbitrary: json(jsonish) },
    { weight: 3, arbitrary: echoArb },
  ),
  id_token: fc.oneof(
    { weight: 30, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: json(fc.constantFrom('', 'a.b.c', 'eyJhbGciOiJub25lIn0.eyJzdWIiOiIxIn0.', 'not a jwt')) },
    { weight: 1, arbitrary: json(jsonish) },
  ),
  extra: fc.dictionary(fc.string({ maxLength: 12 }), jsonish, { maxKeys: 3 }),
  /** Where the real fields go relative to the extra ones (a duplicate key in the text: the last wins). */
  extraFirst: fc.boolean(),
});
type Fields = typeof fieldsArb extends fc.Arbitrary<infer T> ? T : never;

/** What a body is made of: an object with fields, or other JSON, or not JSON at all. */
type BodySpec =
  | { kind: 'object'; fields: Fields; bom: boolean }
  | { kind: 'truncated'; fields: Fields; cut: number }
  | { kind: 'text'; text: string }
  | { kind: 'bytes'; bytes: Uint8Array<ArrayBuffer> }
  | { kind: 'null' };
const HTML = '<!doctype html><html><head><title>Sign in</title></head><body><h1>Sign in</h1></body></html>';
const bodyArb: fc.Arbitrary<BodySpec> = fc.oneof(
  {
    weight: 24,
    arbitrary: fc.record({ kind: fc.constant('object' as const), fields: fieldsArb, bom: fc.integer({ min: 0, max: 19 }).map((n) => n === 0) }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('truncated' as const), fields: fieldsArb, cut: fc.nat() }) },
  { weight: 3, arbitrary: jsonish.map((value) => ({ kind: 'text' as const, text: JSON.stringify(value) })) },
  { weight: 1, arbitrary: fc.json().map((text) => ({ kind: 'text' as const, text })) },
  { weight: 2, arbitrary: fc.string({ maxLength: 100 }).map((text) => ({ kind: 'text' as const, text })) },
  {
    weight: 2,
    arbitrary: fc
      .constantFrom(
        '',
        ' ',
        'null',
        '[]',
        '{}',
        '"{}"',
        HTML,
        'access_token=abcdefgh12345678&token_type=bearer',
        '{"access_token":"abcdefgh12345678","token_type":"bearer",}',
        "{'access_token':'abcdefgh12345678'}",
        '{"access_token":"abcdefgh12345678","token_type":"bearer"}garbage',
        '{"access_token":"abcdefgh12345678","token_type":"bearer","access_token":42}',
        '{"access_token":"abcdefgh12345678","token_type":"bearer","__proto__":{"expires_in":-1}}',
        '[{"access_token":"abcdefgh12345678","token_type":"bearer"}]',
        `${'['.repeat(10_000)}${']'.repeat(10_000)}`,
        `{"access_token":"${'A1'.repeat(40_000)}","token_type":"bearer"}`,
      )
      .map((text) => ({ kind: 'text' as const, text })),
  },
  { weight: 1, arbitrary: hugeStringArb.map((text) => ({ kind: 'text' as const, text: `${text}${text}` })) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => ({ kind: 'bytes' as const, bytes: new Uint8Array(bytes) })) },
  { weight: 1, arbitrary: fc.constant({ kind: 'null' as const }) },
);

const statusArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant(200) },
  { weight: 3, arbitrary: fc.constantFrom(201, 202, 203, 204, 205, 206, 301, 302, 304, 400, 401, 403, 404, 429, 500, 502, 503) },
  { weight: 2, arbitrary: fc.integer({ min: 200, max: 599 }) },
);
/** Header values are byte strings: printable Latin-1 only, or the Headers constructor throws. */
const garbageHeaderArb = fc
  .string({
    maxLength: 40,
    unit: fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff })).map((c) => String.fromCharCode(c)),
  })
  .map((text) => text.trim());
const contentTypeArb = fc.oneof(
  { weight: 10, arbitrary: fc.constant('application/json') },
  {
    weight: 4,
    arbitrary: fc.constantFrom(
      'application/json; charset=utf-8',
      'application/json;charset=UTF-8',
      'Application/JSON',
      'application/problem+json',
    ),
  },
  {
    weight: 3,
    arbitrary: fc.constantFrom('text/html', 'text/html; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'text/json', ''),
  },
  { weight: 2, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: garbageHeaderArb },
);
const wwwAuthenticateArb = fc.oneof(
  { weight: 12, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      'Basic realm="skyvault"',
      'Bearer error="invalid_token"',
      'DPoP algs="ES256", Bearer',
      'Bearer realm="a\\"b"',
      ',',
      '=',
    ),
  },
  { weight: 1, arbitrary: garbageHeaderArb },
);
const optionsArb: fc.Arbitrary<CheckTokenResponseOptions | undefined> = fc.oneof(
  fc.constant(undefined),
  fc.record(
    {
      step: fc.constantFrom<'exchange' | 'refresh'>('exchange', 'refresh'),
      secrets: fc.array(fc.oneof(fc.constant(undefined), fc.constantFrom('my-api-secret', 'SplxlOBeZQQYbYS6WxSbIA'), tokenStringArb), {
        maxLength: 3,
      }),
    },
    { requiredKeys: [] },
  ),
);

interface AnswerSpec {
  status: number;
  contentType: string | undefined;
  wwwAuthenticate: string | undefined;
  body: BodySpec;
}
const answerArb = (body: fc.Arbitrary<BodySpec> = bodyArb, status: fc.Arbitrary<number> = statusArb) =>
  fc.record<AnswerSpec>({ status, contentType: contentTypeArb, wwwAuthenticate: wwwAuthenticateArb, body });

// ---- building the Response ----------------------------------------------------------------------

const RAW_MARK = '\u0001raw\u0001';

function resolveField(field: Field, tokens: { access: unknown; refresh: unknown; secret: string }): unknown {
  if ('json' in field) return field.json;
  if ('raw' in field) return `${RAW_MARK}${field.raw}${RAW_MARK}`;
  const value = field.echo === 'secret' ? tokens.secret : tokens[field.echo];
  return `${field.before}${typeof value === 'string' ? value : 'abcdefgh12345678'}${field.after}`;
}

function objectText(fields: Fields, options: CheckTokenResponseOptions | undefined): string {
  const { extra, extraFirst, ...named } = fields;
  const tokens = {
    access: named.access_token !== undefined && 'json' in named.access_token ? named.access_token.json : undefined,
    refresh: named.refresh_token !== undefined && 'json' in named.refresh_token ? named.refresh_token.json : undefined,
    secret: options?.secrets?.find((secret) => secret !== undefined) ?? 'my-api-secret',
  };
  const real: Record<string, unknown> = {};
  for (const [name, field] of Object.entries(named)) if (field !== undefined) real[name] = resolveField(field, tokens);
  // Two JSON texts joined, so that extra keys can repeat real ones in the text itself.
  const parts = extraFirst ? [extra, real] : [real, extra];
  const texts = parts.map((part) => JSON.stringify(part).slice(1, -1)).filter((text) => text !== '');
  const escapedMark = JSON.stringify(RAW_MARK).slice(1, -1).replace(/\\/g, '\\\\');
  return `{${texts.join(',')}}`.replace(new RegExp(`"${escapedMark}(.*?)${escapedMark}"`, 'g'), '$1');
}

/** The body as sent (string, bytes or null). */
function bodyOf(spec: BodySpec, options: CheckTokenResponseOptions | undefined): string | Uint8Array<ArrayBuffer> | null {
  switch (spec.kind) {
    case 'object':
      return `${spec.bom ? '\ufeff' : ''}${objectText(spec.fields, options)}`;
    case 'truncated': {
      const text = objectText(spec.fields, options);
      return text.slice(0, spec.cut % text.length);
    }
    case 'text':
      return spec.text;
    case 'bytes':
      return spec.bytes;
    case 'null':
      return null;
  }
}

function buildResponse(
  spec: AnswerSpec,
  options: CheckTokenResponseOptions | undefined,
): { response: Response; body: string | Uint8Array<ArrayBuffer> | null } {
  const body = NULL_BODY_STATUSES.has(spec.status) ? null : bodyOf(spec.body, options);
  const headers = new Headers();
  if (spec.contentType !== undefined) headers.set('content-type', spec.contentType);
  if (spec.wwwAuthenticate !== undefined) headers.set('www-authenticate', spec.wwwAuthenticate);
  return { response: new Response(body, { status: spec.status, headers }), body };
}

// ---- the oracle ---------------------------------------------------------------------------------
// Plain checks rather than expect(): several checks x 10,000 runs each, and expect() costs ~10 µs a call.

function check(condition: boolean, what: string, detail?: unknown): asserts condition {
  if (!condition) throw new Error(`${what}${detail === undefined ? '' : `: ${JSON.stringify(detail)?.slice(0, 300)}`}`);
}

/**
 * The TokenSet the rules allow for this answer (RFC 6749 5.1 plus ours), or undefined when the answer
 * must be refused: status 200, a JSON object, access_token a non-empty printable-ASCII string,
 * token_type bearer in any case, expires_in a positive finite number, refresh_token a non-empty
 * printable-ASCII string, scope a string, and no id_token (there is no OpenID setup to check it).
 */
function allowedTokenSet(status: number, body: string | Uint8Array | null): TokenSet | undefined {
  if (status !== 200 || body === null) return undefined;
  const value = parseBody(body);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const { access_token, token_type, expires_in, refresh_token, scope, id_token } = value as Record<string, unknown>;
  if (typeof access_token !== 'string' || !VSCHARS.test(access_token)) return undefined;
  if (typeof token_type !== 'string' || !/^bearer$/i.test(token_type)) return undefined;
  if (expires_in !== undefined && !(typeof expires_in === 'number' && Number.isFinite(expires_in) && expires_in > 0)) return undefined;
  if (refresh_token !== undefined && !(typeof refresh_token === 'string' && VSCHARS.test(refresh_token))) return undefined;
  if (scope !== undefined && typeof scope !== 'string') return undefined;
  if (id_token !== undefined) return undefined;
  return {
    accessToken: access_token,
    tokenType: 'bearer',
    ...(expires_in !== undefined && { expiresIn: expires_in }),
    ...(refresh_token !== undefined && { refreshToken: refresh_token }),
    ...(scope !== undefined && { scope: scope.split(' ').filter(Boolean) }),
  };
}

/** The body as Response.json() sees it: UTF-8 (lone surrogates become U+FFFD), BOM dropped; undefined if not JSON. */
function parseBody(body: string | Uint8Array | null): unknown {
  if (body === null) return undefined;
  try {
    return JSON.parse(new TextDecoder().decode(typeof body === 'string' ? new TextEncoder().encode(body) : body)) as unknown;
  } catch {
    return undefined;
  }
}

type Outcome = { result: TokenSet } | { error: OAuthError };

async function run(response: Response, provider: Provider, options: CheckTokenResponseOptions | undefined): Promise<Outcome> {
  try {
    return { result: await checkTokenResponse(response, provider, options) };
  } catch (error) {
    if (error instanceof OAuthError) return { error };
    throw new Error(`checkTokenResponse rejected with a non-OAuthError: ${String(error)}`, { cause: error });
  }
}

/** The strings in a body's access_token / refresh_token fields and the caller's secrets. */
function secretsOf(body: string | Uint8Array | null, options: CheckTokenResponseOptions | undefined): string[] {
  const found = [...(options?.secrets ?? [])];
  const value = parseBody(body);
  if (typeof value === 'object' && value !== null) {
    const { access_token, refresh_token } = value as Record<string, unknown>;
    for (const token of [access_token, refresh_token]) if (typeof token === 'string') found.push(token);
  }
  return found.filter((secret): secret is string => secret !== undefined && checkedSecret(secret));
}

function checkOutcome(
  outcome: Outcome,
  status: number,
  body: string | Uint8Array | null,
  options: CheckTokenResponseOptions | undefined,
): void {
  const allowed = allowedTokenSet(status, body);
  if ('result' in outcome) {
    const { result } = outcome;
    // "Never an account": only the checked token set, a plain object with TokenSet fields.
    check(Object.getPrototypeOf(result) === Object.prototype, 'result is a plain object');
    for (const key of Object.keys(result)) check(TOKEN_SET_KEYS.includes(key), 'only TokenSet fields', key);
    check(typeof result.accessToken === 'string' && result.accessToken !== '', 'accessToken a non-empty string');
    check(result.tokenType === 'bearer', 'tokenType bearer');
    check(
      result.expiresIn === undefined || (Number.isFinite(result.expiresIn) && result.expiresIn > 0),
      'expiresIn positive finite',
      result.expiresIn,
    );
    check(result.refreshToken === undefined || typeof result.refreshToken === 'string', 'refreshToken a string');
    check(
      result.scope === undefined || (Array.isArray(result.scope) && result.scope.every((entry) => typeof entry === 'string' && entry !== '')),
      'scope string[]',
    );
    check(allowed !== undefined, 'accepted an answer the rules refuse', { status, body: String(body).slice(0, 300) });
    check(isDeepStrictEqual(result, allowed), 'the token set is what the answer says', { result, allowed });
    return;
  }
  const { error } = outcome;
  check(allowed === undefined, 'refused an answer the rules accept', {
    status,
    body: String(body).slice(0, 300),
    code: error.code,
    message: error.message,
  });
  check(TOKEN_RESPONSE_CODES.includes(error.code), 'a token response error code', error.code);
  check(error.step === (options?.step ?? 'exchange'), 'the step asked for', error.step);
  check(error.status === status, 'the status of the answer', { got: error.status, status });
  check(status === 200 || error.code !== 'invalid_token_response', 'invalid_token_response only for a 200', { status });
  check(error.code !== 'invalid_grant' || error.providerError === 'invalid_grant', 'invalid_grant only for error=invalid_grant');
  check(typeof error.message === 'string' && error.message.length > 0, 'error has a message');
  // The texts an error shows (JSON.stringify(error) adds quotes that can complete a token whose last
  // character sanitizing dropped, so it is not checked as a whole).
  const shown = [error.message, error.providerError ?? '', error.providerDescription ?? '', describeOAuthError(error, 'SkyVault')];
  for (const secret of secretsOf(body, options)) {
    for (const text of shown) check(!text.includes(secret), 'a token leaked into an error', { secret, text });
  }
}

async function checkAnswer(spec: AnswerSpec, provider: Provider, options: CheckTokenResponseOptions | undefined): Promise<Outcome> {
  const { response, body } = buildResponse(spec, options);
  const outcome = await run(response, provider, options);
  checkOutcome(outcome, spec.status, body, options);
  return outcome;
}

// ---- properties -----------------------------------------------------------------------------------

const providerArb = fc.constantFrom(...PROVIDERS);

// 10,000 runs per property take ~1-3 s each; the timeout leaves room for a slow CI machine.
describe('checkTokenResponse (property-based)', { timeout: 120_000 }, () => {
  it('any answer: a well-formed TokenSet exactly when the rules allow it, else an OAuthError without tokens', async () => {
    const tally = { results: 0, codes: new Set<string>() };
    await fc.assert(
      fc.asyncProperty(answerArb(), providerArb, optionsArb, async (spec, provider, options) => {
        const outcome = await checkAnswer(spec, provider, options);
        if ('result' in outcome) tally.results++;
        else tally.codes.add(outcome.error.code);
      }),
      RUNS,
    );
    // The generator reaches both sides: some answers are accepted, every kind of refusal happens.
    expect(tally.results).toBeGreaterThan(200);
    expect([...tally.codes].sort()).toEqual([...TOKEN_RESPONSE_CODES].sort());
  });

  it('error answers that repeat the tokens: no error text ever holds a token', async () => {
    // Status 200 (GitHub style) and the usual error statuses, bodies whose error / description /
    // token_type / scope echo the access token, the refresh token or a caller's secret.
    const secretArb = fc.stringMatching(/^[\x21-\x7E][\x20-\x7E]{6,40}[\x21-\x7E]$/);
    const leakyFields = fc
      .record({
        fields: fieldsArb,
        access: fc.option(secretArb),
        refresh: secretArb,
        error: fc.oneof(echoArb, json(fc.constantFrom('invalid_grant', 'invalid_request'))),
        description: echoArb,
      })
      .map(({ fields, access, refresh, error, description }) => ({
        ...fields,
        access_token: access === null ? undefined : { json: access },
        refresh_token: { json: refresh },
        error,
        error_description: description,
      }));
    const body = fc.record({ kind: fc.constant('object' as const), fields: leakyFields, bom: fc.constant(false) });
    const options = fc.record({
      step: fc.constantFrom<'exchange' | 'refresh'>('exchange', 'refresh'),
      secrets: fc.array(secretArb, { minLength: 1, maxLength: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(answerArb(body, fc.constantFrom(200, 400, 401, 403, 500, 503)), providerArb, options, async (spec, provider, opts) => {
        await checkAnswer(spec, provider, opts);
      }),
      RUNS,
    );
  });

  it('well-formed 200 answers resolve to exactly what they carry', async () => {
    const good = fc.record(
      {
        access_token: json(fc.stringMatching(/^[\x20-\x7E]{1,80}$/)),
        token_type: json(fc.constantFrom('Bearer', 'bearer', 'BEARER', 'bEaReR')),
        expires_in: fc.oneof(json(fc.integer({ min: 1, max: 10 ** 9 })), json(fc.double({ min: Number.MIN_VALUE, max: 1e300, noNaN: true }))),
        refresh_token: json(fc.stringMatching(/^[\x20-\x7E]{1,80}$/)),
        scope: json(fc.string({ maxLength: 40 })),
        extra: fc.dictionary(
          fc
            .string({ maxLength: 12 })
            .filter((key) => !['access_token', 'token_type', 'expires_in', 'refresh_token', 'scope', 'error', 'id_token'].includes(key)),
          jsonish,
          { maxKeys: 3 },
        ),
        extraFirst: fc.boolean(),
      },
      { requiredKeys: ['access_token', 'token_type', 'extra', 'extraFirst'] },
    );
    const body = fc.record({ kind: fc.constant('object' as const), fields: good as fc.Arbitrary<Fields>, bom: fc.boolean() });
    const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'application/json;charset=UTF-8');
    await fc.assert(
      fc.asyncProperty(
        fc.record<AnswerSpec>({ status: fc.constant(200), contentType, wwwAuthenticate: fc.constant(undefined), body }),
        providerArb,
        optionsArb,
        async (spec, provider, options) => {
          const outcome = await checkAnswer(spec, provider, options);
          check('result' in outcome, 'a well-formed answer was refused', 'error' in outcome ? outcome.error.message : undefined);
        },
      ),
      RUNS,
    );
  });
});
