import { describe, expect, it } from 'vitest';
import { parseRequest } from './parse-request';

describe('parseRequest', () => {
  it.each([
    [{ type: 'connect', providerId: 'skyvault' }],
    [{ type: 'connect', providerId: 'readycloud', scopeOption: '1' }],
    [{ type: 'disconnect', accountId: 'a1' }],
    [{ type: 'refresh', accountId: 'a1' }],
    [{ type: 'reconnect', accountId: 'a1' }],
    [{ type: 'renameAccount', accountId: 'a1', label: 'Admin' }],
    [{ type: 'importProviders', json: '{"providers":[]}' }],
    [{ type: 'importProviders', json: '{"providers":[]}', confirmed: 'c0ffee' }],
    [{ type: 'removeProvider', providerId: 'skyvault' }],
    [{ type: 'dismissError' }],
    [{ type: 'approveSite', accountId: 'a1', origin: 'http://localhost:3000' }],
    [{ type: 'removeSite', accountId: 'a1', origin: '' }],
  ])('accepts %j as it is', (message) => {
    expect(parseRequest(message)).toEqual({ ok: true, value: message });
  });

  it('copies only the fields the request has, so a handler never sees anything else', () => {
    const parsed = parseRequest({
      type: 'approveSite',
      accountId: 'a1',
      origin: 'https://app.example.com',
      approvedAt: 0,
      __proto__: { x: 1 },
    });
    expect(parsed).toEqual({ ok: true, value: { type: 'approveSite', accountId: 'a1', origin: 'https://app.example.com' } });
    expect(Object.keys((parsed as { value: object }).value)).toEqual(['type', 'accountId', 'origin']);
  });

  it.each([['constructor'], ['__proto__'], ['toString'], ['hasOwnProperty'], ['valueOf'], ['connectX'], ['CONNECT']])(
    'refuses the type %j: only the requests themselves are known, nothing inherited',
    (type) => {
      expect(parseRequest({ type })).toEqual({ ok: false, error: `Unknown request "${type}". Nothing was changed.` });
    },
  );

  it.each([
    [null],
    [undefined],
    ['disconnect'],
    [42],
    [['approveSite', 'a1', 'https://app.example.com']],
    [{}],
    [{ providerId: 'skyvault' }],
    [Object.create({ type: 'dismissError' })],
  ])('refuses %j, which is no object with a type of its own', (message) => {
    expect(parseRequest(message)).toEqual({ ok: false, error: 'A request must be an object with a "type". Nothing was changed.' });
  });

  it('names a type that is not text by its kind, and a long one cut short on one line', () => {
    expect(parseRequest({ type: 7 })).toEqual({ ok: false, error: 'Unknown request "number". Nothing was changed.' });
    expect(parseRequest({ type: null })).toEqual({ ok: false, error: 'Unknown request "object". Nothing was changed.' });
    expect(parseRequest({ type: `a\n${'b'.repeat(60)}` })).toEqual({
      ok: false,
      error: `Unknown request "a ${'b'.repeat(38)}…". Nothing was changed.`,
    });
  });

  it.each([
    [{ type: 'connect' }, 'connect', 'providerId'],
    [{ type: 'removeSite', accountId: 42, origin: 'https://app.example.com' }, 'removeSite', 'accountId'],
    [{ type: 'approveSite', accountId: 'a1', origin: ['http://localhost:1'] }, 'approveSite', 'origin'],
    [{ type: 'approveSite', accountId: 'a1', origin: { toString: (): string => 'https://app.example.com' } }, 'approveSite', 'origin'],
    [{ type: 'importProviders', json: { providers: [] } }, 'importProviders', 'json'],
    [{ type: 'disconnect', accountId: null }, 'disconnect', 'accountId'],
    [{ type: 'renameAccount', accountId: 'a1' }, 'renameAccount', 'label'],
    [{ type: 'renameAccount', accountId: 'a1', label: ['Admin'] }, 'renameAccount', 'label'],
    [{ type: 'removeProvider', providerId: ['skyvault'] }, 'removeProvider', 'providerId'],
    [{ type: 'importProviders', json: '{}', confirmed: 1 }, 'importProviders', 'confirmed'],
    [{ type: 'connect', providerId: 'readycloud', scopeOption: 1 }, 'connect', 'scopeOption'],
  ])('refuses %j, whose field is missing or not text', (message, type, field) => {
    expect(parseRequest(message)).toEqual({ ok: false, error: `The "${type}" request needs "${field}" as text. Nothing was changed.` });
  });

  it('reads no inherited field', () => {
    const message = Object.assign(Object.create({ accountId: 'a1' }) as object, { type: 'disconnect' });
    expect(parseRequest(message)).toEqual({ ok: false, error: 'The "disconnect" request needs "accountId" as text. Nothing was changed.' });
  });
});
