import { describe, expect, it } from 'vitest';
import { isRedirectPage, redirectPageHostPattern, redirectPageMatches, redirectPagesIn } from './redirect-page';

describe('redirectPageMatches', () => {
  it('matches the page and the page with a query, on any port, without the fragment', () => {
    expect(redirectPageMatches('http://127.0.0.1:8710/oauth/token-page')).toEqual([
      'http://127.0.0.1/oauth/token-page',
      'http://127.0.0.1/oauth/token-page?*',
    ]);
  });

  it('drops a registered query (the pattern with "?*" covers it) and keeps percent-encoding', () => {
    expect(redirectPageMatches('https://app.example/a%20b/done?tenant=1')).toEqual([
      'https://app.example/a%20b/done',
      'https://app.example/a%20b/done?*',
    ]);
  });
});

describe('redirectPageHostPattern', () => {
  it('asks for the host on all ports, like the install-time grants', () => {
    expect(redirectPageHostPattern('https://www.readycloud.com/api/oauth2/token-page')).toBe('https://www.readycloud.com/*');
    expect(redirectPageHostPattern('http://localhost:8710/cb')).toBe('http://localhost/*');
  });
});

describe('isRedirectPage', () => {
  const page = 'http://127.0.0.1:8710/oauth/token-page';

  it('accepts the page with any query or fragment', () => {
    expect(isRedirectPage(page, page)).toBe(true);
    expect(isRedirectPage(`${page}#access_token=t&state=s`, page)).toBe(true);
    expect(isRedirectPage(`${page}?code=c&state=s`, page)).toBe(true);
  });

  it('refuses another port, scheme, host or path, a longer path, and no address', () => {
    expect(isRedirectPage('http://127.0.0.1:8711/oauth/token-page', page)).toBe(false);
    expect(isRedirectPage('https://127.0.0.1:8710/oauth/token-page', page)).toBe(false);
    expect(isRedirectPage('http://localhost:8710/oauth/token-page', page)).toBe(false);
    expect(isRedirectPage('http://127.0.0.1:8710/oauth/token-page-2', page)).toBe(false);
    expect(isRedirectPage('http://127.0.0.1:8710/oauth/token-page/x', page)).toBe(false);
    expect(isRedirectPage('chrome-extension://abc/src/popup/index.html', page)).toBe(false);
    expect(isRedirectPage(undefined, page)).toBe(false);
    expect(isRedirectPage('not a url', page)).toBe(false);
  });
});

describe('redirectPagesIn', () => {
  const provider = {
    id: 'rc',
    name: 'RC',
    flow: 'implicit',
    authorizationUrl: 'https://rc.example/authorize',
    clientId: 'c',
    apiBaseUrls: ['https://rc.example/api/'],
  };

  it('lists the redirect pages of tab-mode providers, once each', () => {
    const json = JSON.stringify({
      providers: [
        { ...provider, redirectMode: 'tab', redirectUri: 'https://rc.example/token-page' },
        { ...provider, id: 'rc-2', redirectMode: 'tab', redirectUri: 'https://rc.example/token-page' },
        { ...provider, id: 'rc-3' },
      ],
    });
    expect(redirectPagesIn(json)).toEqual(['https://rc.example/token-page']);
  });

  it('asks for nothing when the text does not validate (the import names the problem)', () => {
    expect(redirectPagesIn('{ "providers": [')).toEqual([]);
    expect(redirectPagesIn(JSON.stringify({ providers: [{ ...provider, redirectMode: 'tab' }] }))).toEqual([]);
  });
});
