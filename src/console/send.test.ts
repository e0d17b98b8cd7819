import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Account } from '../accounts/account';
import { parseProviderJson } from '../providers/provider';
import type { Provider } from '../providers/model';
import { PRODUCT_EXAMPLE_JSON } from '../../test/fixtures/seed-providers';
import { caught } from '../../test/support/caught';
import { prepareRequest, RequestProblem, sendPrepared } from './send';

const skyvault: Provider = parseProviderJson(PRODUCT_EXAMPLE_JSON)[0]!;
const account: Account = { id: 'sky-1', providerId: skyvault.id, label: 'Account 1', accessToken: 'at-123', scopes: [], obtainedAt: 0 };
const request = (url: string, more: Partial<{ method: string; body: string; headers: [string, string][] }> = {}) => ({
  accountId: 'sky-1',
  method: 'GET',
  url,
  headers: [] as [string, string][],
  body: '',
  ...more,
});
const api = skyvault.apiBaseUrls[0]!;

describe('prepareRequest', () => {
  it('sets the account header under an API base URL, over a typed one of the same name, and follows no redirect', () => {
    const prepared = prepareRequest(request(`${api}sites`, { headers: [['authorization', 'mine']] }), account, skyvault);
    expect(prepared.withToken).toBe(true);
    expect(new Headers(prepared.init.headers).get('Authorization')).toBe('Bearer at-123');
    expect(prepared.init.redirect).toBe('manual');
    expect(prepared.tokenNote).toBe(`Sent with SkyVault Account 1's Authorization header (the URL is under ${api}).`);
    expect(prepared.tokenNote).not.toContain('at-123');
  });

  it('sends nothing of the account outside its API base URLs, and says so', () => {
    const prepared = prepareRequest(request('https://elsewhere.example/sites?x=1', { headers: [['Accept', 'text/plain']] }), account, skyvault);
    expect(prepared.withToken).toBe(false);
    expect([...new Headers(prepared.init.headers).keys()]).toEqual(['accept']);
    expect(prepared.init.redirect).toBe('follow');
    expect(prepared.tokenNote).toBe(`Sent without a token: https://elsewhere.example/sites is outside SkyVault's API base URLs (${api}).`);
  });

  it('sends no token the rules would not attach: a provider header name the browser owns', () => {
    const owned = { ...skyvault, header: { ...skyvault.header, name: 'Cookie' } };
    const prepared = prepareRequest(request(`${api}sites`), account, owned);
    expect(prepared.withToken).toBe(false);
    expect(prepared.tokenNote).toMatch(/^Sent without a token: SkyVault's header name must not be "Cookie"/);
  });

  it.each([
    ['not a url', 'GET', '', /^URL: enter a full address/],
    ['ftp://files.example/', 'GET', '', /^URL: the console sends http and https requests only, not ftp:/],
    [`${api}sites`, 'TRACE', '', /^Method: choose one of GET, POST/],
    [`${api}sites`, 'GET', '{}', /^Body: a GET request has no body/],
  ])('refuses %s %s with a body of %j, naming the field', (url, method, body, message) => {
    const error = caught(RequestProblem, () => prepareRequest(request(url, { method, body }), account, skyvault));
    expect(error.message).toMatch(message);
    expect(error.message).toMatch(/Nothing was sent\.$/);
  });
});

describe('sendPrepared', () => {
  const received: IncomingMessage[] = [];
  let origin = '';
  const server = createServer((req, res) => {
    received.push(req);
    if (req.url === '/redirect') res.writeHead(302, { Location: '/json' }).end();
    else res.writeHead(200, { 'Content-Type': 'application/json' }).end('{"a":[1,2]}');
  });
  beforeAll(async () => {
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((done) => server.close(() => done())));
  /** SkyVault with its API on this server, or elsewhere. */
  const apiAt = (base: () => string): Provider => ({ ...skyvault, apiBaseUrls: [base()] });

  it('reads status, headers, size, time and the body as JSON', async () => {
    const ticks = [10, 35];
    const response = await sendPrepared(
      prepareRequest(
        request(`${origin}/json`),
        account,
        apiAt(() => `${origin}/`),
      ),
      () => ticks.shift()!,
    );
    expect(response).toMatchObject({
      status: 200,
      statusText: 'OK',
      timeMs: 25,
      size: 11,
      contentType: 'application/json',
      url: `${origin}/json`,
    });
    expect(response.body).toEqual({ kind: 'json', text: '{"a":[1,2]}', value: { a: [1, 2] } });
    expect(received.at(-1)?.headers.authorization).toBe('Bearer at-123');
  });

  it('with the token, refuses to follow a redirect; without it, follows', async () => {
    const withToken = prepareRequest(
      request(`${origin}/redirect`),
      account,
      apiAt(() => `${origin}/`),
    );
    expect(((await sendPrepared(withToken).catch((e: unknown) => e)) as Error).message).toMatch(/^The API answered with a redirect/);
    const without = await sendPrepared(
      prepareRequest(
        request(`${origin}/redirect`),
        account,
        apiAt(() => 'https://api.example/'),
      ),
    );
    expect(without).toMatchObject({ status: 200, url: `${origin}/json` });
    expect(received.at(-1)?.headers.authorization).toBeUndefined();
  });

  it('says when no answer came', async () => {
    const closed = prepareRequest(request('http://127.0.0.1:9/'), undefined, undefined);
    expect(((await sendPrepared(closed).catch((e: unknown) => e)) as Error).message).toMatch(/^No answer from http:\/\/127\.0\.0\.1:9/);
  });
});
