import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSkyVault, type SkyVaultServer } from '../../demo/skyvault';
import { findPages, parseLinkHeader } from './pagination';

/** The seed document's list response, as SkyVault shows it. */
const SEED_LIST = {
  list: {
    pagination: { count: 2, hasMoreItems: false, skipCount: 0, maxItems: 100 },
    entries: [
      {
        entry: {
          site: { id: 'general-test-site', title: 'General Test Site', visibility: 'PRIVATE', description: 'Test Site' },
          id: 'general-test-site',
          role: 'SiteCollaborator',
        },
      },
    ],
  },
};

const skyVaultList = (pagination: Record<string, unknown>) => ({ list: { pagination, entries: [] } });

describe("SkyVault's list.pagination", () => {
  it('a single page: the position, no next, no previous', () => {
    expect(findPages('https://sv.example/api/sites', [], SEED_LIST)).toEqual({ next: undefined, previous: undefined, position: 'items 1–2' });
  });

  it('a middle page: next at skipCount + maxItems, previous at skipCount − maxItems, other parameters kept as written', () => {
    const body = skyVaultList({ count: 10, hasMoreItems: true, skipCount: 10, maxItems: 10, totalItems: 23 });
    expect(findPages('https://sv.example/api/sites?where=(a%20b)&skipCount=10&maxItems=10&q=x+y&constructor=1&%zz', [], body)).toEqual({
      next: 'https://sv.example/api/sites?where=(a%20b)&skipCount=20&maxItems=10&q=x+y&constructor=1&%zz',
      previous: 'https://sv.example/api/sites?where=(a%20b)&skipCount=0&maxItems=10&q=x+y&constructor=1&%zz',
      position: 'items 11–20 of 23',
    });
  });

  it('the first page of a request without paging parameters: they are added', () => {
    const body = skyVaultList({ count: 10, hasMoreItems: true, skipCount: 0, maxItems: 10 });
    expect(findPages('https://sv.example/api/sites', [], body)).toEqual({
      next: 'https://sv.example/api/sites?skipCount=10&maxItems=10',
      previous: undefined,
      position: 'items 1–10',
    });
  });

  it('the answer’s counts win over the URL’s, and repeated parameters are replaced once', () => {
    const body = skyVaultList({ count: 5, hasMoreItems: true, skipCount: 5, maxItems: 5 });
    expect(findPages('https://sv.example/api/sites?skipCount=999&skipCount=1&maxItems=2#top', [], body)?.next).toBe(
      'https://sv.example/api/sites?skipCount=10&maxItems=5#top',
    );
  });

  it('a page that did not start on a boundary goes back to the start, not below it', () => {
    const body = skyVaultList({ count: 10, hasMoreItems: true, skipCount: 3, maxItems: 10 });
    expect(findPages('https://sv.example/api/sites?skipCount=3&maxItems=10', [], body)?.previous).toBe(
      'https://sv.example/api/sites?skipCount=0&maxItems=10',
    );
  });

  it('past the end: no items, and the way back', () => {
    const body = skyVaultList({ count: 0, hasMoreItems: false, skipCount: 30, maxItems: 10, totalItems: 23 });
    expect(findPages('https://sv.example/api/sites?skipCount=30&maxItems=10', [], body)).toEqual({
      next: undefined,
      previous: 'https://sv.example/api/sites?skipCount=20&maxItems=10',
      position: 'no items after item 30 of 23',
    });
    expect(
      findPages('https://sv.example/api/sites', [], skyVaultList({ count: 0, hasMoreItems: false, skipCount: 0, maxItems: 100 }))?.position,
    ).toBe('no items');
  });

  it.each([
    ['a count as text', { count: '2', hasMoreItems: false, skipCount: 0, maxItems: 100 }],
    ['a negative skipCount', { count: 2, hasMoreItems: false, skipCount: -10, maxItems: 10 }],
    ['maxItems 0 (no next page could be computed)', { count: 0, hasMoreItems: true, skipCount: 0, maxItems: 0 }],
    ['a fractional maxItems', { count: 2, hasMoreItems: true, skipCount: 0, maxItems: 2.5 }],
    ['hasMoreItems as text', { count: 2, hasMoreItems: 'true', skipCount: 0, maxItems: 2 }],
    ['a totalItems that is not a count', { count: 2, hasMoreItems: false, skipCount: 0, maxItems: 2, totalItems: null }],
  ])('%s is not SkyVault pagination', (_name, pagination) => {
    expect(findPages('https://sv.example/api/sites', [], skyVaultList(pagination))).toBeUndefined();
  });

  it('pages through the demo SkyVault’s list to the end, following next', async () => {
    let url: string | undefined = `${skyVault.origin}/api/sites?maxItems=10`;
    const ids: string[] = [];
    const positions: string[] = [];
    while (url !== undefined) {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(200);
      const body = (await res.json()) as { list: { entries: { entry: { id: string } }[] } };
      ids.push(...body.list.entries.map((e) => e.entry.id));
      const pages = findPages(res.url, [...res.headers], body);
      positions.push(pages?.position ?? '');
      url = pages?.next;
    }
    expect(positions).toEqual(['items 1–10', 'items 11–20', 'items 21–23']);
    expect(new Set(ids).size).toBe(23);
  });
});

let skyVault: SkyVaultServer;
let token: string;
beforeAll(async () => {
  skyVault = await startSkyVault({ host: '127.0.0.1', redirectUris: [] });
  token = skyVault.issueTokens().access_token;
});
afterAll(() => skyVault.close());

describe('RFC 8288 Link header', () => {
  // GitHub's REST API, as its "Using pagination" guide shows it.
  const GITHUB_LINK =
    '<https://api.github.com/repositories/1300192/issues?page=2>; rel="prev", <https://api.github.com/repositories/1300192/issues?page=4>; rel="next", ' +
    '<https://api.github.com/repositories/1300192/issues?page=515>; rel="last", <https://api.github.com/repositories/1300192/issues?page=1>; rel="first"';

  it("GitHub's next and prev", () => {
    expect(findPages('https://api.github.com/repositories/1300192/issues?page=3', [['Link', GITHUB_LINK]], [])).toEqual({
      next: 'https://api.github.com/repositories/1300192/issues?page=4',
      previous: 'https://api.github.com/repositories/1300192/issues?page=2',
      position: undefined,
    });
  });

  it('relative targets resolve against the page URL; the header name is case-insensitive; several fields are one list', () => {
    const pages = findPages(
      'https://api.example/v1/items?page=2',
      [
        ['link', '<?page=3>; rel=next'],
        ['LINK', '</v1/items?page=1>; rel="previous"; title="previous chapter"'],
      ],
      undefined,
    );
    expect(pages).toEqual({
      next: 'https://api.example/v1/items?page=3',
      previous: 'https://api.example/v1/items?page=1',
      position: undefined,
    });
  });

  it('several relation types in one rel, in any case, and only the first rel counts (RFC 8288 3.3)', () => {
    expect(findPages('https://a.example/x', [['Link', '<https://a.example/x?p=9>; rel="NEXT last"']], null)?.next).toBe(
      'https://a.example/x?p=9',
    );
    expect(findPages('https://a.example/x', [['Link', '<https://a.example/x?p=2>; rel="first"; rel="next"']], null)).toBeUndefined();
  });

  it('commas and semicolons inside the target or a quoted value do not split links', () => {
    const field = '<https://a.example/x?ids=1,2;3>; title="a, b; <c>"; rel="next", <https://a.example/y>; rel="prev"';
    expect(parseLinkHeader(field)).toEqual([
      {
        target: 'https://a.example/x?ids=1,2;3',
        params: new Map([
          ['title', 'a, b; <c>'],
          ['rel', 'next'],
        ]),
      },
      { target: 'https://a.example/y', params: new Map([['rel', 'prev']]) },
    ]);
    expect(findPages('https://a.example/', [['Link', field]], null)?.next).toBe('https://a.example/x?ids=1,2;3');
  });

  it('backslash escapes in quoted values; a malformed link-value is skipped, not the ones after it', () => {
    expect(parseLinkHeader('garbage; rel="next", <https://a.example/n>; title="say \\"hi\\""; rel="next"')).toEqual([
      {
        target: 'https://a.example/n',
        params: new Map([
          ['title', 'say "hi"'],
          ['rel', 'next'],
        ]),
      },
    ]);
    expect(parseLinkHeader('<https://a.example/unterminated; rel="next"')).toEqual([]);
    expect(parseLinkHeader('')).toEqual([]);
  });

  it('a link whose anchor names another context is not this answer’s next page', () => {
    const field = '<https://a.example/other?page=2>; rel="next"; anchor="https://a.example/other"';
    expect(findPages('https://a.example/list', [['Link', field]], null)).toBeUndefined();
    expect(findPages('https://a.example/list', [['Link', '<?page=2>; rel=next; anchor=""']], null)?.next).toBe('https://a.example/list?page=2');
  });

  it('only http(s) targets: javascript: and data: are never offered', () => {
    const field = '<javascript:alert(1)>; rel="next", <data:text/html,hi>; rel="prev"';
    expect(findPages('https://a.example/list', [['Link', field]], null)).toBeUndefined();
  });

  it('a next link to another origin is reported as is (the console sends it without the token)', () => {
    expect(findPages('https://api.example/list', [['Link', '<https://elsewhere.example/steal>; rel="next"']], null)?.next).toBe(
      'https://elsewhere.example/steal',
    );
  });
});

describe('a next URL in the body', () => {
  it('Django REST framework: next and previous', () => {
    const body = {
      count: 1023,
      next: 'https://api.example.org/accounts/?page=5',
      previous: 'https://api.example.org/accounts/?page=3',
      results: [],
    };
    expect(findPages('https://api.example.org/accounts/?page=4', [], body)).toEqual({
      next: 'https://api.example.org/accounts/?page=5',
      previous: 'https://api.example.org/accounts/?page=3',
      position: undefined,
    });
    expect(findPages('https://api.example.org/accounts/?page=1', [], { ...body, previous: null, next: null })).toBeUndefined();
  });

  it('JSON:API links.next, as a URL or as { href }', () => {
    const links = {
      self: 'http://example.com/articles',
      next: 'http://example.com/articles?page[offset]=2',
      last: 'http://example.com/articles?page[offset]=10',
    };
    expect(findPages('http://example.com/articles', [], { data: [], links })?.next).toBe('http://example.com/articles?page[offset]=2');
    expect(findPages('http://example.com/articles', [], { data: [], links: { next: { href: '/articles?page=2' } } })?.next).toBe(
      'http://example.com/articles?page=2',
    );
  });

  it("HAL's _links.next.href and prev, relative", () => {
    const body = {
      _links: { self: { href: '/orders?page=2' }, next: { href: '/orders?page=3' }, prev: { href: '/orders?page=1' } },
      _embedded: {},
    };
    expect(findPages('https://shop.example/orders?page=2', [], body)).toEqual({
      next: 'https://shop.example/orders?page=3',
      previous: 'https://shop.example/orders?page=1',
      position: undefined,
    });
  });

  it("Microsoft Graph's @odata.nextLink", () => {
    const body = {
      '@odata.context': 'https://graph.microsoft.com/v1.0/$metadata#users',
      '@odata.nextLink': 'https://graph.microsoft.com/v1.0/users?$top=5&$skiptoken=RFNwdAIAAQAAAD8',
      value: [],
    };
    expect(findPages('https://graph.microsoft.com/v1.0/users?$top=5', [], body)?.next).toBe(
      'https://graph.microsoft.com/v1.0/users?$top=5&$skiptoken=RFNwdAIAAQAAAD8',
    );
  });

  it("Facebook Graph's paging.next and paging.previous", () => {
    const body = {
      data: [],
      paging: {
        cursors: { before: 'MTAxNTExOTQ1MjAwNzI5NDE=', after: 'NDMyNzQyODI3OTQw' },
        previous: 'https://graph.facebook.com/me/albums?limit=25&before=MTAxNTExOTQ1MjAwNzI5NDE=',
        next: 'https://graph.facebook.com/me/albums?limit=25&after=NDMyNzQyODI3OTQw',
      },
    };
    expect(findPages('https://graph.facebook.com/me/albums?limit=25', [], body)).toEqual({
      next: 'https://graph.facebook.com/me/albums?limit=25&after=NDMyNzQyODI3OTQw',
      previous: 'https://graph.facebook.com/me/albums?limit=25&before=MTAxNTExOTQ1MjAwNzI5NDE=',
      position: undefined,
    });
  });

  it('a cursor is not a URL, and javascript: is not http', () => {
    expect(findPages('https://slack.example/api/users.list', [], { next: 'dXNlcjpVMDYxTkZUVDI=' })).toBeUndefined();
    expect(findPages('https://a.example/', [], { next: 'javascript:alert(document.domain)' })).toBeUndefined();
    expect(findPages('https://a.example/', [], { next: 42, links: ['https://a.example/2'] })).toBeUndefined();
  });

  it('an inherited name is not a field of the body', () => {
    expect(findPages('https://a.example/', [], Object.create({ next: 'https://a.example/2' }) as unknown)).toBeUndefined();
  });
});

describe('which source wins', () => {
  it('SkyVault pagination first, then the Link header, then the body', () => {
    const link: [string, string][] = [['Link', '<https://a.example/from-link>; rel="next"']];
    const skyVaultBody = { ...skyVaultList({ count: 1, hasMoreItems: true, skipCount: 0, maxItems: 1 }), next: 'https://a.example/from-body' };
    expect(findPages('https://a.example/list', link, skyVaultBody)?.next).toBe('https://a.example/list?skipCount=1&maxItems=1');
    expect(findPages('https://a.example/list', link, { next: 'https://a.example/from-body' })?.next).toBe('https://a.example/from-link');
  });

  it('no pagination, a text body, or a page URL that is not http(s): nothing', () => {
    expect(findPages('https://a.example/list', [['Content-Type', 'application/json']], { items: [] })).toBeUndefined();
    expect(findPages('https://a.example/list', [], undefined)).toBeUndefined();
    expect(findPages('not a url', [], SEED_LIST)).toBeUndefined();
  });
});
