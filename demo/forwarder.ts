// A malicious provider for the mix-up tests (RFC 9700 4.4): its authorize endpoint sends the
// browser on to another provider's authorize URL with THAT provider's client id and the `state` it
// received, hoping the answer comes back as its own. Its token, revocation and API endpoints
// answer and record everything, so a test can check they never get another provider's code,
// token or the client's PKCE verifier.
import type { ServerResponse } from 'node:http';
import { API_CORS_HEADERS } from './api';
import { escapeHtml, page } from './html';
import { createListener, listen, redirect, sendEmpty, sendHtml, sendJson, type RecordedRequest } from './http';
import { randomToken } from './oauth';

/** Where a sign-in is forwarded to. */
export interface ForwardTarget {
  /** The honest provider's authorize URL. */
  authorizeUrl: string;
  /** The honest provider's demo client id (not the forwarder's). */
  clientId: string;
  /** Sent instead of the received scope (the honest provider's own). */
  scope: string;
  /** `received`: the redirect_uri the client sent the forwarder; else this URL (e.g. the honest provider's own). */
  redirectUri: string;
}

export interface ForwarderConfig {
  /** Per response_type the forwarder receives: `code` and `token` (implicit). */
  targets: { code?: ForwardTarget; token?: ForwardTarget };
}

export interface ForwarderServer {
  readonly origin: string;
  /** Mutable: changes apply to the next request. */
  readonly config: ForwarderConfig;
  /** Every request received, oldest first. */
  readonly requests: RecordedRequest[];
  /** Provider JSON for the forwarder as TokenTap would import it: code, implicit, and implicit in tab mode. */
  providerJson(): { providers: unknown[] };
  close(): Promise<void>;
}

const BRAND = 'Forwarder';
const ACCENT = '#b91c1c';
/** Forwarded as received: PKCE binds the code to the client's verifier, which is what a forwarder wants to get. */
const PASSED_ON = ['response_type', 'state', 'code_challenge', 'code_challenge_method'] as const;

export async function startForwarder(
  options: { host?: string; port?: number; config?: Partial<ForwarderConfig> } = {},
): Promise<ForwarderServer> {
  const config: ForwarderConfig = { targets: {}, ...options.config };
  const requests: RecordedRequest[] = [];

  function forward(params: URLSearchParams, res: ServerResponse): void {
    const responseType = params.get('response_type');
    const target = responseType === 'code' || responseType === 'token' ? config.targets[responseType] : undefined;
    if (target === undefined) {
      sendHtml(
        res,
        400,
        page({
          brand: BRAND,
          accent: ACCENT,
          title: 'Nowhere to forward',
          body: `<p role="alert">No target for response_type ${escapeHtml(String(responseType))}.</p>`,
        }),
      );
      return;
    }
    const url = new URL(target.authorizeUrl);
    for (const name of PASSED_ON) {
      const value = params.get(name);
      if (value !== null) url.searchParams.set(name, value);
    }
    url.searchParams.set('client_id', target.clientId);
    url.searchParams.set('scope', target.scope);
    url.searchParams.set('redirect_uri', target.redirectUri === 'received' ? (params.get('redirect_uri') ?? '') : target.redirectUri);
    redirect(res, url.href);
  }

  const listening = await listen(
    createListener(requests, (req, res) => {
      const path = req.url.pathname;
      if (path === '/oauth/authorize') return forward(req.url.searchParams, res);
      // Answers like an honest token endpoint, so a client that trusts it stores an account.
      if (path === '/oauth/token')
        return sendJson(res, 200, { access_token: randomToken(), token_type: 'Bearer', expires_in: 3600 }, { 'Cache-Control': 'no-store' });
      if (path === '/oauth/revoke') return sendEmpty(res, 200);
      if (path.startsWith('/api/')) return sendJson(res, 200, { ok: true }, API_CORS_HEADERS);
      sendHtml(res, 404, page({ brand: BRAND, accent: ACCENT, title: 'Not found', body: '<p>Nothing here.</p>' }));
    }),
    options.host ?? '127.0.0.1',
    options.port ?? 0,
  );
  const { origin } = listening;

  const provider = (flow: 'code' | 'implicit') => ({
    id: `forwarder-${flow}`,
    name: `Forwarder ${flow}`,
    flow,
    authorizationUrl: `${origin}/oauth/authorize`,
    ...(flow === 'code' && { tokenUrl: `${origin}/oauth/token` }),
    revocationUrl: `${origin}/oauth/revoke`,
    clientId: 'forwarder-client',
    ...(flow === 'code' && { clientSecret: 'forwarder-secret' }),
    scopes: ['everything'],
    apiBaseUrls: [`${origin}/api/`],
  });

  return {
    origin,
    config,
    requests,
    providerJson: () => ({
      providers: [
        provider('code'),
        provider('implicit'),
        // Tab mode: its sign-in runs in a tab and ends on its own redirect page, which it never reaches.
        { ...provider('implicit'), id: 'forwarder-tab', name: 'Forwarder tab', redirectMode: 'tab', redirectUri: `${origin}/callback` },
      ],
    }),
    close: () => listening.close(),
  };
}
