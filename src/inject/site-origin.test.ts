import { describe, expect, it } from 'vitest';
import { hostOnlyNote, parseSiteOrigin, ruleHostOf, ruleSiteOf, SiteOriginError } from './site-origin';

describe('parseSiteOrigin', () => {
  it.each([
    ['https://app.example.com', 'https://app.example.com'],
    ['http://localhost:3000', 'http://localhost:3000'],
    ['https://app.example.com/some/path?q=1#top', 'https://app.example.com'],
    ['https://APP.Example.COM', 'https://app.example.com'],
    ['HTTPS://app.example.com:443/', 'https://app.example.com'],
    ['  http://127.0.0.1:8080/  ', 'http://127.0.0.1:8080'],
    ['http://[::1]:5173', 'http://[::1]:5173'],
    ['https://münchen.example', 'https://xn--mnchen-3ya.example'],
  ])('accepts %j as %j', (input, origin) => {
    expect(parseSiteOrigin(input)).toBe(origin);
  });

  it('explains an origin typed without a scheme, which URL would read as the scheme "localhost:"', () => {
    expect(() => parseSiteOrigin('localhost:3000')).toThrow(
      new SiteOriginError(
        'Enter a site origin such as https://app.example.com or http://localhost:3000 ("localhost:3000" has no http:// or https://).',
      ),
    );
    expect(() => parseSiteOrigin('app.example.com')).toThrow(/"app.example.com" has no http:\/\/ or https:\/\//);
  });

  it.each([
    ['', /^Enter a site origin such as https:\/\/app.example.com or http:\/\/localhost:3000\.$/],
    ['   ', /^Enter a site origin/],
    ['ftp://files.example.com', /only http:\/\/ and https:\/\/ sites can be approved, not ftp:\/\//],
    ['file:///home/me/index.html', /not file:\/\//],
    ['chrome-extension://abcdefghijklmnop/page.html', /not chrome-extension:\/\//],
    ['https://user:secret@app.example.com', /without a user name or password/],
    ['https://user@app.example.com', /without a user name or password/],
    ['http://', /"http:\/\/" is not a valid address/],
    ['https://*.example.com', /"\*.example.com" is not a host name the browser can match/],
    ['https://example.com.', /without a final dot/],
  ])('rejects %j', (input, message) => {
    let error: unknown;
    try {
      parseSiteOrigin(input);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(SiteOriginError);
    expect((error as Error).message).toMatch(message);
  });

  it('quotes long or multi-line input on one line', () => {
    const input = `app.example.com\n${'x'.repeat(100)}`;
    expect(() => parseSiteOrigin(input)).toThrow(/^[^\n]*"app\.example\.com x+…" has no http/);
  });
});

describe('hostOnlyNote', () => {
  it('says other ports, schemes and subdomains of a named host are covered', () => {
    expect(hostOnlyNote('http://localhost:3000')).toBe(
      'Also applies to every other port and to http/https on localhost, and to its subdomains: the browser matches requesting sites by host only.',
    );
    expect(hostOnlyNote('https://app.example.com')).toContain('on app.example.com, and to its subdomains');
  });

  it('leaves subdomains out for IP addresses', () => {
    expect(hostOnlyNote('http://127.0.0.1:8080')).toBe(
      'Also applies to every other port and to http/https on 127.0.0.1: the browser matches requesting sites by host only.',
    );
    expect(hostOnlyNote('http://[::1]:5173')).toContain('on [::1]: the browser');
  });

  it('refuses what is not a site origin', () => {
    expect(() => hostOnlyNote('localhost:3000')).toThrow(SiteOriginError);
  });
});

describe('ruleHostOf', () => {
  it('gives the host as initiatorDomains wants it: lower case, punycode, IPv6 in brackets', () => {
    expect(ruleHostOf('https://App.Example.com:8443')).toBe('app.example.com');
    expect(ruleHostOf('https://bücher.example')).toBe('xn--bcher-kva.example');
    expect(ruleHostOf('http://[0:0:0:0:0:0:0:1]:3000')).toBe('[::1]');
  });

  it('agrees with URL on origins its fast path does not take', () => {
    expect(ruleSiteOf('http://localhost:80')).toEqual({ host: 'localhost', origin: 'http://localhost' });
    expect(ruleSiteOf('https://app.example.com:443')).toEqual({ host: 'app.example.com', origin: 'https://app.example.com' });
    expect(ruleSiteOf('http://0x7f.1:3000')).toEqual({ host: '127.0.0.1', origin: 'http://127.0.0.1:3000' });
    expect(ruleSiteOf('http://1.2.3')).toEqual({ host: '1.2.0.3', origin: 'http://1.2.0.3' });
    expect(ruleSiteOf('https://xn--mnchen-3ya.example')).toEqual({ host: 'xn--mnchen-3ya.example', origin: 'https://xn--mnchen-3ya.example' });
    expect(ruleSiteOf('https://app.example.com/path')).toEqual({ host: 'app.example.com', origin: 'https://app.example.com' });
    expect(ruleSiteOf('http://localhost:99999')).toBeUndefined();
  });

  it('gives undefined for what a rule cannot name', () => {
    expect(ruleHostOf('null')).toBeUndefined();
    expect(ruleHostOf('ftp://files.example.com')).toBeUndefined();
    expect(ruleHostOf('https://a$b.example')).toBeUndefined();
  });
});
