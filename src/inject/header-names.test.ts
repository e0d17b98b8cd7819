import { describe, expect, it } from 'vitest';
import { headerNameProblem } from './header-names';

describe('headerNameProblem', () => {
  it.each(['Authorization', 'authorization', 'X-Api-Key', 'X-Auth-Token', 'Private-Token', 'Api-Key', 'X-Goog-Api-Key', 'Contentful-Token'])(
    'accepts %s, a header APIs read tokens from',
    (name) => expect(headerNameProblem(name)).toBeUndefined(),
  );

  it.each([
    // Fetch's forbidden request headers.
    'Accept-Charset',
    'Accept-Encoding',
    'Access-Control-Request-Headers',
    'Access-Control-Request-Method',
    'Access-Control-Request-Private-Network',
    'Connection',
    'Content-Length',
    'Cookie',
    'Cookie2',
    'Date',
    'DNT',
    'Expect',
    'Host',
    'Keep-Alive',
    'Origin',
    'Referer',
    'Set-Cookie',
    'TE',
    'Trailer',
    'Transfer-Encoding',
    'Upgrade',
    'Via',
    'Proxy-Authorization',
    'Proxy-Connection',
    'Sec-Fetch-Site',
    'Sec-CH-UA',
    'X-HTTP-Method',
    'X-HTTP-Method-Override',
    'X-Method-Override',
    // What else the request owns.
    'Content-Type',
    'Content-Encoding',
    'If-None-Match',
    'If-Modified-Since',
    'Range',
    'Accept',
    'Accept-Language',
    'Cache-Control',
    'Pragma',
    'Upgrade-Insecure-Requests',
    // Any case.
    'cookie',
    'HOST',
    'oRiGiN',
    'content-TYPE',
    'sec-websocket-key',
  ])('refuses %s, a header the browser or the request owns', (name) => {
    expect(headerNameProblem(name)).toBe(
      `must not be ${JSON.stringify(name)}: the browser or the request sets that header itself; use the header the API reads the token from, such as "Authorization"`,
    );
  });

  it.each(['', 'X Token', 'X-Token:', 'Tök', 'X-Token\r\nCookie', '(comment)'])('refuses %j, not a header name', (name) => {
    expect(headerNameProblem(name)).toBe('must be a valid HTTP header name (letters, digits, "-", no spaces)');
  });

  it('refuses only the listed families, not names that merely start alike', () => {
    expect(headerNameProblem('Hostname-Token')).toBeUndefined();
    expect(headerNameProblem('Originator')).toBeUndefined();
    expect(headerNameProblem('Security-Token')).toBeUndefined();
    expect(headerNameProblem('Iff-Token')).toBeUndefined();
  });
});
