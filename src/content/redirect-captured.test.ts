import { describe, expect, it } from 'vitest';
import { isRedirectCaptured } from './redirect-captured';

describe('isRedirectCaptured', () => {
  it('accepts exactly { type: "redirectCaptured", url } with an http(s) URL', () => {
    expect(isRedirectCaptured({ type: 'redirectCaptured', url: 'http://127.0.0.1:8710/oauth/token-page#state=s' })).toBe(true);
    expect(isRedirectCaptured({ url: 'https://app.example/cb?code=c', type: 'redirectCaptured' })).toBe(true);
  });

  it('refuses other types, extra or missing keys, odd URLs and non-objects', () => {
    const url = 'https://app.example/cb?code=c';
    expect(isRedirectCaptured({ type: 'connect', url })).toBe(false);
    expect(isRedirectCaptured({ type: 'redirectCaptured', url, providerId: 'x' })).toBe(false);
    expect(isRedirectCaptured({ type: 'redirectCaptured' })).toBe(false);
    expect(isRedirectCaptured({ type: 'redirectCaptured', url: 42 })).toBe(false);
    expect(isRedirectCaptured({ type: 'redirectCaptured', url: 'javascript:alert(1)' })).toBe(false);
    expect(isRedirectCaptured({ type: 'redirectCaptured', url: `https://a.example/#${'x'.repeat(20_000)}` })).toBe(false);
    expect(isRedirectCaptured(null)).toBe(false);
    expect(isRedirectCaptured('redirectCaptured')).toBe(false);
    expect(isRedirectCaptured(['redirectCaptured', url])).toBe(false);
  });
});
