import { describe, expect, it } from 'vitest';
import { codeList, escapeHtml, jsonForScript } from './html';
import { basicAuthHeader, parseBasicAuth, parseBearer, safeEqual, withParams } from './oauth';

describe('demo OAuth helpers', () => {
  it('round-trips HTTP Basic client credentials, form-encoded first (RFC 6749 2.3.1)', () => {
    const header = basicAuthHeader('my id:1', 'p@ss w+rd/%');
    const raw = Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
    expect(raw).toBe('my+id%3A1:p%40ss+w%2Brd%2F%25');
    expect(parseBasicAuth({ authorization: header })).toEqual({ id: 'my id:1', secret: 'p@ss w+rd/%' });
    expect(parseBasicAuth({})).toBeNull();
    expect(parseBasicAuth({ authorization: 'Bearer abc' })).toBeNull();
    expect(parseBasicAuth({ authorization: 'Basic !!!' })).toBe('malformed');
    expect(parseBasicAuth({ authorization: `Basic ${Buffer.from('nocolon').toString('base64')}` })).toBe('malformed');
  });

  it('reads bearer tokens strictly', () => {
    expect(parseBearer({ authorization: 'Bearer abc-123._~+/=' })).toBe('abc-123._~+/=');
    expect(parseBearer({ authorization: 'bearer abc' })).toBe('abc');
    expect(parseBearer({ authorization: 'Bearer' })).toBeNull();
    expect(parseBearer({ authorization: 'Bearer a b' })).toBeNull();
    expect(parseBearer({ authorization: 'Basic abc' })).toBeNull();
  });

  it('adds parameters to the query or fragment without rewriting the URI', () => {
    expect(withParams('https://x.example/cb', { code: 'a b', state: undefined }, 'query')).toBe('https://x.example/cb?code=a+b');
    expect(withParams('https://x.example/cb?k=v', { code: 'c' }, 'query')).toBe('https://x.example/cb?k=v&code=c');
    expect(withParams('https://X.example', { access_token: 't', scope: 'a b' }, 'fragment')).toBe('https://X.example#access_token=t&scope=a+b');
  });

  it('compares secrets exactly', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });

  it('escapes HTML and script JSON', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(jsonForScript({ u: '</script><b>' })).not.toContain('<');
    expect(JSON.parse(jsonForScript({ u: '</script>' }))).toEqual({ u: '</script>' });
    expect(codeList(['https://a.example/?x=1&y=<2>', 'b'])).toBe('<code>https://a.example/?x=1&amp;y=&lt;2&gt;</code>, <code>b</code>');
    expect(codeList([])).toBe('');
  });
});
