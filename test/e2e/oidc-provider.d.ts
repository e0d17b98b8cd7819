// The part of oidc-provider 9's API that test/e2e/oidc-server.ts uses: the package ships no types.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http';

  interface KoaContext {
    method: string;
    path: string;
    /** The answer's status, once the provider has answered. */
    status: number;
    get(header: string): string;
  }

  export interface StoredToken {
    readonly jti: string;
    /** Set once a rotation spent it. */
    readonly consumed?: unknown;
    readonly isExpired: boolean;
  }

  interface TokenModel {
    find(value: string): Promise<StoredToken | undefined>;
  }

  interface Interaction {
    uid: string;
    params: { client_id?: string; scope?: string };
  }

  class Grant {
    constructor(init: { accountId: string; clientId: string });
    addOIDCScope(scope: string): void;
    save(): Promise<string>;
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>);
    callback(): (req: IncomingMessage, res: ServerResponse) => void;
    use(middleware: (ctx: KoaContext, next: () => Promise<void>) => Promise<void>): void;
    on(event: string, listener: (...args: unknown[]) => void): void;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<Interaction>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: Record<string, unknown>,
    ): Promise<void>;
    Grant: typeof Grant;
    AccessToken: TokenModel;
    RefreshToken: TokenModel;
  }
}
