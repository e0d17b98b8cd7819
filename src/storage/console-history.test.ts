import { describe, expect, it } from 'vitest';
import type { ConsoleRequest } from '../console/exchange';
import { HISTORY_LENGTH, historyEntry, MAX_KEPT_BODY, TOKEN_REMOVED, withEntry, type HistoryEntry } from './console-history';

const ACCESS_TOKEN = 'd1358c05-6564-4086-94b6-a7e14ce3490';

const request = (fields: Partial<ConsoleRequest>): ConsoleRequest => ({
  accountId: 'acc-1',
  method: 'GET',
  url: 'http://127.0.0.1:8720/api/sites?maxItems=10',
  headers: [],
  body: '',
  ...fields,
});

describe('what History keeps of a request', () => {
  it('the request as typed, and when it was sent', () => {
    const typed = request({ method: 'POST', headers: [['Content-Type', 'application/json']], body: '{"title":"Plans"}' });
    expect(historyEntry(typed, 'Authorization', [ACCESS_TOKEN], 1000)).toEqual({ ...typed, sentAt: 1000 });
  });

  it("never the account's header, typed in any case; the user's other headers stay, Cookie included", () => {
    const typed = request({
      headers: [
        ['authorization', `Bearer ${ACCESS_TOKEN}`],
        ['AUTHORIZATION', 'Bearer something-else'],
        ['Cookie', 'session=theirs'],
        ['Accept', 'application/json'],
      ],
    });
    expect(historyEntry(typed, 'Authorization', [], 1).headers).toEqual([
      ['Cookie', 'session=theirs'],
      ['Accept', 'application/json'],
    ]);
    // A provider with its own header name: Authorization typed by the user is theirs.
    expect(historyEntry(typed, 'X-Api-Key', [], 1).headers).toHaveLength(4);
  });

  it("the account's tokens pasted into the URL, a header or the body are taken out", () => {
    const typed = request({
      url: `http://127.0.0.1:8720/api/sites?access_token=${ACCESS_TOKEN}`,
      headers: [['X-Debug', `token=${ACCESS_TOKEN};again=${ACCESS_TOKEN}`]],
      body: `{"token":"${ACCESS_TOKEN}","refresh":"refresh-token-value"}`,
    });
    const entry = historyEntry(typed, 'Authorization', [ACCESS_TOKEN, 'refresh-token-value'], 1);
    expect(JSON.stringify(entry)).not.toContain(ACCESS_TOKEN);
    expect(JSON.stringify(entry)).not.toContain('refresh-token-value');
    expect(entry.url).toBe(`http://127.0.0.1:8720/api/sites?access_token=${TOKEN_REMOVED}`);
    expect(entry.headers).toEqual([['X-Debug', `token=${TOKEN_REMOVED};again=${TOKEN_REMOVED}`]]);
    expect(entry.body).toBe(`{"token":"${TOKEN_REMOVED}","refresh":"${TOKEN_REMOVED}"}`);
  });

  it('a "token" too short to be one takes nothing out of ordinary text', () => {
    expect(historyEntry(request({ body: 'a b' }), 'Authorization', ['', 'a'], 1).body).toBe('a b');
  });

  it('a body over the limit is left out, and says so', () => {
    const big = request({ method: 'PUT', body: 'x'.repeat(MAX_KEPT_BODY + 1) });
    expect(historyEntry(big, 'Authorization', [], 1)).toEqual({ ...big, body: '', sentAt: 1, bodyLeftOut: true });
    expect(historyEntry(request({ body: 'x'.repeat(MAX_KEPT_BODY) }), 'Authorization', [], 1)).not.toHaveProperty('bodyLeftOut');
  });
});

describe('History', () => {
  const entry = (n: number, fields: Partial<ConsoleRequest> = {}): HistoryEntry => ({
    ...request({ url: `http://127.0.0.1:8720/api/sites?skipCount=${n}`, ...fields }),
    sentAt: n,
  });

  it('newest first, the last 20', () => {
    let history: HistoryEntry[] = [];
    for (let n = 1; n <= 25; n++) history = withEntry(history, entry(n));
    expect(history).toHaveLength(HISTORY_LENGTH);
    expect(history.map((e) => e.sentAt)).toEqual(Array.from({ length: 20 }, (_, i) => 25 - i));
  });

  it('the same request sent again moves to the top instead of showing twice; another account or body is another request', () => {
    const history = [entry(2), entry(1)];
    expect(withEntry(history, { ...entry(1), sentAt: 3 }).map((e) => e.sentAt)).toEqual([3, 2]);
    expect(withEntry(history, { ...entry(1, { accountId: 'acc-2' }), sentAt: 3 })).toHaveLength(3);
    expect(withEntry(history, { ...entry(1, { body: 'x' }), sentAt: 3 })).toHaveLength(3);
  });

  it('an entry too large to keep (a huge URL) leaves History as it was', () => {
    const history = [entry(1)];
    expect(withEntry(history, entry(2, { url: `http://127.0.0.1/${'a'.repeat(70_000)}` }))).toEqual(history);
  });
});
