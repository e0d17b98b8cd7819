import { describe, expect, it } from 'vitest';
import { hostOnlyNote, parseSiteOrigin, ruleHostOf, ruleSiteOf, SiteOriginError, siteRefusal } from './site-origin';
import { isLoopbackHost } from '../providers/endpoint-url';
import { activeSiteNote, openNetworkHttpPatterns } from './site-scope';

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

describe('plain http off this machine', () => {
  const reason = (origin: string) =>
    `${origin} cannot be approved: anyone on the network could inject script into an http page and use your token through it. ` +
    `Approve ${origin.replace('http:', 'https:')} instead (plain http is allowed only on this machine: localhost, *.localhost, 127.0.0.1, [::1]).`;

  it.each([
    ['http://app.example.com', 'http://app.example.com'],
    ['http://APP.example.com:8080/path', 'http://app.example.com:8080'],
    ['http://192.168.1.20:3000', 'http://192.168.1.20:3000'],
    ['http://10.0.0.1', 'http://10.0.0.1'],
    ['http://[fd00::2]:8080', 'http://[fd00::2]:8080'],
    ['http://localhost.example.com', 'http://localhost.example.com'],
    ['http://127.0.0.1.nip.io', 'http://127.0.0.1.nip.io'],
    ['http://0.0.0.0:3000', 'http://0.0.0.0:3000'],
  ])('is refused at approval with the reason: %j', (input, origin) => {
    expect(() => parseSiteOrigin(input)).toThrow(new SiteOriginError(reason(origin)));
  });

  it.each([
    'http://localhost:3000',
    'http://app.localhost:5173',
    'http://127.0.0.1:8080',
    'http://127.1.2.3',
    'http://[::1]:3000',
    'http://0x7f.1:3000',
    'https://app.example.com',
    'https://192.168.1.20:8443',
  ])('is not what %j is: approved', (input) => {
    expect(() => parseSiteOrigin(input)).not.toThrow();
  });

  it('gets no rule when already stored, and says why', () => {
    expect(ruleSiteOf('http://app.example.com')).toBeUndefined();
    expect(ruleSiteOf('http://1.2.3')).toBeUndefined();
    expect(siteRefusal('http://app.example.com')).toBe(reason('http://app.example.com'));
    // The normalized origin, also for what the fast path does not take.
    expect(siteRefusal('http://1.2.3')).toBe(reason('http://1.2.0.3'));
    expect(siteRefusal('https://a$b.example')).toBe('"https://a$b.example" is not an http(s) origin the browser can match.');
    expect(siteRefusal('http://localhost:3000')).toBeUndefined();
    expect(siteRefusal('https://app.example.com')).toBeUndefined();
  });

  it.each([
    ['localhost', true],
    ['app.localhost', true],
    ['a.b.localhost', true],
    ['127.0.0.1', true],
    ['127.255.0.9', true],
    ['[::1]', true],
    ['LOCALHOST', true],
    ['localhost.example.com', false],
    ['xlocalhost', false],
    ['128.0.0.1', false],
    ['[::2]', false],
    ['[fd00::2]', false],
  ])('isLoopbackHost(%j) is %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});

describe('activeSiteNote', () => {
  it('gives the reason for a site that cannot be approved, else what approving it covers', () => {
    expect(activeSiteNote('http://192.168.1.20:3000')).toMatch(/^http:\/\/192\.168\.1\.20:3000 cannot be approved: anyone on the network/);
    expect(activeSiteNote('http://app.localhost:5173')).toBe(hostOnlyNote('http://app.localhost:5173'));
    expect(activeSiteNote('https://app.example.com')).toBe(hostOnlyNote('https://app.example.com'));
  });
});

describe('hostOnlyNote', () => {
  it('says other ports are covered, and the other scheme and subdomains of a named host where TokenTap has access', () => {
    expect(hostOnlyNote('http://localhost:3000')).toBe(
      'Approving http://localhost:3000 also covers other ports of localhost, and its other scheme and subdomains where TokenTap may reach them too: the browser matches requesting sites by host only.',
    );
    expect(hostOnlyNote('https://APP.example.com:443')).toContain(
      'Approving https://app.example.com also covers other ports of app.example.com, and',
    );
  });

  it('leaves subdomains out for IP addresses', () => {
    expect(hostOnlyNote('http://127.0.0.1:8080')).toBe(
      'Approving http://127.0.0.1:8080 also covers other ports of 127.0.0.1, and its other scheme where TokenTap may reach it too: the browser matches requesting sites by host only.',
    );
    expect(hostOnlyNote('http://[::1]:5173')).toContain('other ports of [::1], and its other scheme where');
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
    expect(ruleSiteOf('https://1.2.3')).toEqual({ host: '1.2.0.3', origin: 'https://1.2.0.3' });
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

describe('openNetworkHttpPatterns', () => {
  it('picks the plain-http host patterns off this machine, and leaves loopback, https and wildcards alone', () => {
    expect(
      openNetworkHttpPatterns([
        'http://localhost/*',
        'http://127.0.0.1/*',
        'http://[::1]/*',
        'http://app.localhost/*',
        'http://app.example.com/*',
        'http://192.168.1.20/*',
        'https://app.example.com/*',
        'http://*/*',
        'http://*.example.com/*',
        'http://app.example.com/path/*',
      ]),
    ).toEqual(['http://app.example.com/*', 'http://192.168.1.20/*']);
  });
});
