import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { admitApiRequest, sendApiJson } from './api';
import { AUTH_PAGE_HEADERS } from './html';
import { sendText } from './http';
import { providerPages, startProviderSite, type ProviderSite } from './provider-site';

const pages = providerPages({ brand: 'Acme <ID>', accent: '#123456', client: 'app' });
let site: ProviderSite;

beforeAll(async () => {
  site = await startProviderSite({
    pages,
    home: { title: 'Acme demo', body: '<p>Home</p>' },
    routes: { '/oauth/authorize': (_req, res) => sendText(res, 200, 'authorize') },
    api: (req, res) => {
      if (admitApiRequest(req, res, { '/api/things': ['GET', 'POST'] })) sendApiJson(res, 200, { things: [] });
    },
  });
});

afterAll(() => site.close());

const get = (path: string, init: RequestInit = {}): Promise<Response> => fetch(`${site.origin}${path}`, { redirect: 'manual', ...init });

describe('a provider page', () => {
  it('is in the provider’s look, every value escaped', () => {
    const html = pages.page({ title: 'T<1>', body: '<p>trusted</p>' });
    expect(html).toContain('<title>T&lt;1&gt; – Acme &lt;ID&gt;</title>');
    expect(html).toContain('<body style="--accent:#123456">');
    expect(html).toContain('<h1>T&lt;1&gt;</h1>\n  <p>trusted</p>');
    expect(html).not.toContain('<script>');
  });
});

describe('startProviderSite', () => {
  it('answers exact routes, `/api` and below, and the home page on GET', async () => {
    expect(await (await get('/oauth/authorize')).text()).toBe('authorize');
    const home = await get('/');
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('<h1>Acme demo</h1>');
    expect((await get('/api/things')).status).toBe(200);
    const unknownApi = await get('/api');
    expect(unknownApi.status).toBe(404);
    expect(await unknownApi.json()).toEqual({ error: 'not_found', error_description: 'No API at /api' });
    const wrongMethod = await get('/api/things', { method: 'DELETE' });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('GET, POST');
    expect(await wrongMethod.json()).toEqual({ error: 'method_not_allowed', error_description: 'Use GET or POST' });
    expect((await get('/api/things', { method: 'OPTIONS' })).status).toBe(204);
  });

  it('answers anything else with a 404 error page that stays on the provider', async () => {
    for (const res of [await get('/nothing%3Chere'), await get('/', { method: 'POST' }), await get('/constructor')]) {
      expect(res.status).toBe(404);
      for (const [name, value] of Object.entries(AUTH_PAGE_HEADERS)) expect(res.headers.get(name)).toBe(value);
      const html = await res.text();
      expect(html).toContain('<p role="alert" class="alert">Nothing at <code>');
      expect(html).toContain('this request cannot be answered safely to the app.');
    }
    expect(await (await get('/a%3Cb')).text()).toContain('<code>/a%3Cb</code>');
  });

  it('records every request, oldest first', async () => {
    const before = site.requests.length;
    await get('/recorded?x=1', { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1&a=2' });
    expect(site.requests.slice(before)).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/recorded',
        url: '/recorded?x=1',
        query: { x: '1' },
        body: 'a=1&a=2',
        params: { a: '2' },
      }),
    ]);
  });
});
