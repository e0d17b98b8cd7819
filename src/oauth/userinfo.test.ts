import { afterEach, describe, expect, it } from 'vitest';
import { json, startTokenServer, type Handler, type TokenServer } from '../../test/fixtures/token-server';
import { identityFromUserinfo } from './userinfo';

let server: TokenServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function providerAnswering(handler: Handler) {
  server = await startTokenServer(handler);
  const origin = server.origin;
  return { clientId: 'app', authorizationUrl: `${origin}/authorize`, tokenUrl: `${origin}/token`, userinfoUrl: `${origin}/userinfo` };
}

describe('identityFromUserinfo', () => {
  it('GETs the userinfo endpoint once with the access token and takes email, else preferred_username, else name', async () => {
    const provider = await providerAnswering(() => json(200, { sub: '248289761001', email: 'ada@example.com', name: 'Ada' }));
    expect(await identityFromUserinfo(provider, 'at-0001')).toBe('ada@example.com');
    expect(server!.received.map((r) => [r.method, r.path, r.headers.authorization])).toEqual([['GET', '/userinfo', 'Bearer at-0001']]);

    const named = await providerAnswering(() => json(200, { sub: '1', preferred_username: 'ada', name: 'Ada Lovelace' }));
    expect(await identityFromUserinfo(named, 'at-0002')).toBe('ada');
  });

  it.each<[string, Handler]>([
    ['a 401', () => json(401, { error: 'invalid_token' }, { 'www-authenticate': 'Bearer error="invalid_token"' })],
    ['a 500', () => ({ status: 500, body: 'oops' })],
    ['HTML', () => ({ status: 200, headers: { 'content-type': 'text/html' }, body: '<p>sign in</p>' })],
    ['no sub', () => json(200, { email: 'ada@example.com' })],
    ['no identity claim', () => json(200, { sub: '1', email: ['ada@example.com'], name: 'x'.repeat(81) })],
    ['no answer', () => 'hang-up'],
  ])('names nobody after %s, without throwing', async (_what, handler) => {
    expect(await identityFromUserinfo(await providerAnswering(handler), 'at-0003')).toBeUndefined();
  });

  it('asks nothing without a userinfo URL, or with one TokenTap may not call', async () => {
    const provider = await providerAnswering(() => json(200, { sub: '1', email: 'ada@example.com' }));
    const { userinfoUrl: _none, ...withoutUserinfo } = provider;
    expect(await identityFromUserinfo(withoutUserinfo, 'at-0004')).toBeUndefined();
    expect(await identityFromUserinfo({ ...provider, userinfoUrl: 'http://userinfo.example/me' }, 'at-0004')).toBeUndefined();
    expect(server!.received).toEqual([]);
  });
});
