// The web site every demo provider runs: its pages in the provider's look, error pages that never
// redirect, routes by exact path with `/api` and below apart, a home page, a 404, and every
// request recorded for the tests.
import type { ServerResponse } from 'node:http';
import { AUTH_PAGE_HEADERS, escapeHtml, page, type PageOptions } from './html';
import { createListener, listen, sendHtml, type Handler, type RecordedRequest } from './http';

/** How a provider looks and what it calls a client ('app', 'application'). */
export interface ProviderLook {
  brand: string;
  accent: string;
  client: string;
}

export interface ProviderPages {
  /** A page in the provider's look. */
  page(options: Omit<PageOptions, 'brand' | 'accent'>): string;
  /** An error page: the request cannot be answered safely to the client, so it stays here. */
  sendError(res: ServerResponse, status: number, title: string, messageHtml: string): void;
  sendNotFound(res: ServerResponse, path: string): void;
}

export function providerPages(look: ProviderLook): ProviderPages {
  const inLook = (options: Omit<PageOptions, 'brand' | 'accent'>): string => page({ brand: look.brand, accent: look.accent, ...options });
  const sendError = (res: ServerResponse, status: number, title: string, messageHtml: string): void => {
    const body = `<p role="alert" class="alert">${messageHtml}</p>
  <p class="muted">You have not been redirected: this request cannot be answered safely to the ${escapeHtml(look.client)}.</p>`;
    sendHtml(res, status, inLook({ title, body }), AUTH_PAGE_HEADERS);
  };
  return {
    page: inLook,
    sendError,
    sendNotFound: (res, path) => sendError(res, 404, 'Not found', `Nothing at <code>${escapeHtml(path)}</code>.`),
  };
}

export interface ProviderSiteOptions {
  /** Default '127.0.0.1'. */
  host?: string | undefined;
  /** 0 / omitted = a free port. */
  port?: number | undefined;
  pages: ProviderPages;
  /** The page at `/`: what the provider offers where. */
  home: { title: string; body: string };
  /** Handlers by exact path. */
  routes: Readonly<Record<string, Handler>>;
  /** The handler of `/api` and every path below it. */
  api: Handler;
}

export interface ProviderSite {
  /** e.g. `http://127.0.0.1:8710` */
  readonly origin: string;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startProviderSite(options: ProviderSiteOptions): Promise<ProviderSite> {
  const { pages, home, routes, api } = options;
  const requests: RecordedRequest[] = [];
  const listening = await listen(
    createListener(requests, (req, res) => {
      const path = req.url.pathname;
      const route = Object.hasOwn(routes, path) ? routes[path] : undefined;
      if (route) return route(req, res);
      if (path === '/api' || path.startsWith('/api/')) return api(req, res);
      if (path === '/' && req.method === 'GET') return sendHtml(res, 200, pages.page(home));
      pages.sendNotFound(res, path);
    }),
    options.host ?? '127.0.0.1',
    options.port ?? 0,
  );
  return { origin: listening.origin, requests, close: () => listening.close() };
}
