// The provider model: what a provider is, apart from its JSON form (provider.ts) and its validation.
/**
 * `implicit`: RFC 6749 4.2 (token in the redirect fragment); `code`: RFC 6749 4.1 (+ PKCE);
 * `client_credentials`: RFC 6749 4.4 (the client's own credentials at the token endpoint, no user);
 * `device`: RFC 8628 (the user approves a code on the provider's page, TokenTap polls the token endpoint).
 */
export type Flow = 'implicit' | 'code' | 'client_credentials' | 'device';

/** The flows whose Connect opens no window at an authorization URL, so nothing is redirected: they have none of SIGN_IN_FIELDS. */
export const WINDOWLESS_FLOWS = ['client_credentials', 'device'] as const satisfies readonly Flow[];

/** True for a flow in WINDOWLESS_FLOWS (takes any value: validation asks it before the flow is known good). */
export function isWindowless(flow: unknown): flow is (typeof WINDOWLESS_FLOWS)[number] {
  return (WINDOWLESS_FLOWS as readonly unknown[]).includes(flow);
}
/** Where the client secret goes at the token endpoint: form body or HTTP Basic (RFC 6749 2.3.1). */
export type ClientAuth = 'body' | 'basic';
/**
 * How the sign-in's answer reaches TokenTap. `identity`: the browser's auth window and its own
 * redirect URL (identity.launchWebAuthFlow). `tab`: a normal tab and the provider's fixed,
 * registered redirect page, read there by a content script (README: Provider JSON, tab mode).
 */
export type RedirectMode = 'identity' | 'tab';
/** The header attached to API calls: `${name}: ${prefix} ${token}` (prefix may be empty). */
export interface HeaderSpec {
  name: string;
  prefix: string;
  /** Which token goes in it: absent means the access token; "id_token" the OpenID Connect ID Token (API Gateway with Cognito and the like). */
  token?: 'id_token';
}

/** The header's value for `token`: what the rules attach, and what the console's snippets show. */
export function headerValue(prefix: string, token: string): string {
  return prefix === '' ? token : `${prefix} ${token}`;
}

/** `header.token` as Provider JSON spells it; "access_token" is the default, stored as no `token`. */
export const HEADER_TOKENS = ['access_token', 'id_token'] as const;

/** One access level a provider offers at Connect (ReadyCloud's full or read-only access). */
export interface ScopeOption {
  /** What the popup's **Access for {provider name}** select shows. */
  label: string;
  /** What Connect asks for when this option is chosen; empty: no `scope` parameter. */
  scopes: string[];
}

/** An authorization server plus the API it protects. Optional keys are absent, never `undefined`. */
export interface Provider {
  id: string;
  name: string;
  flow: Flow;
  /** Present exactly when the flow signs in at it (implicit, code): see signsIn. */
  authorizationUrl?: string;
  tokenUrl?: string;
  revocationUrl?: string;
  /** Where a device sign-in asks for its user code (RFC 8628 3.1); present exactly when flow is "device". */
  deviceAuthorizationUrl?: string;
  /**
   * The OpenID Connect UserInfo endpoint (OIDC Core 5.3): asked once at Connect, with the new access
   * token, for who signed in when the token response names nobody (the default label). Not for client credentials.
   */
  userinfoUrl?: string;
  /** Seconds a refresh token lives, when the provider says (SkyVault: 7 days); shown and tracked. */
  refreshTokenTtl?: number;
  /** When set, the authorization response's `iss` must equal it (RFC 9207). */
  issuer?: string;
  /**
   * Only with `issuer`: false when the provider does not send `iss` in its authorization responses
   * (its metadata lacks `authorization_response_iss_parameter_supported`); an `iss` it does send
   * must still equal the issuer. Absent means true: an answer without `iss` is refused.
   */
  requireIss?: boolean;
  /** Absent means "identity". */
  redirectMode?: RedirectMode;
  /** The provider's registered redirect page; present exactly when redirectMode is "tab". */
  redirectUri?: string;
  clientId: string;
  /** Absent for a public client. */
  clientSecret?: string;
  clientAuth: ClientAuth;
  pkce: boolean;
  /** Empty: no `scope` parameter is sent. With scopeOptions, only accounts that made no choice ask for them. */
  scopes: string[];
  /** A choice of access at Connect (2 to 10 options); the first is the default. Absent: no choice. */
  scopeOptions?: ScopeOption[];
  extraParams: Record<string, string>;
  /** Added to the code exchange and refresh requests (`audience`, `resource`); absent when none. */
  tokenParams?: Record<string, string>;
  apiBaseUrls: string[];
  header: HeaderSpec;
}

/** Fields of the sign-in at an authorization URL: a windowless provider (client credentials, device) has none of them. */
export const SIGN_IN_FIELDS = [
  'authorizationUrl',
  'requireIss',
  'redirectMode',
  'redirectUri',
  'pkce',
  'extraParams',
] as const satisfies readonly (keyof Provider)[];

/** A provider whose Connect is a user's sign-in at its authorization URL (implicit or code flow). */
export type SignInProvider = Provider & { flow: 'implicit' | 'code'; authorizationUrl: string };

/** A provider whose Connect has the user approve a code on the provider's page while TokenTap polls (RFC 8628). */
export type DeviceProvider = Provider & { flow: 'device'; deviceAuthorizationUrl: string; tokenUrl: string };

/** A provider whose Connect asks the token endpoint with the client's own credentials (RFC 6749 4.4). */
export type ClientCredentialsProvider = Provider & { flow: 'client_credentials'; tokenUrl: string; clientSecret: string };

/** A provider whose sign-in runs in a tab and is read on its fixed redirect page (tab mode). */
export type TabModeProvider = SignInProvider & { redirectMode: 'tab'; redirectUri: string };

/** True when Connect sends the user to the provider's authorization URL (validation ensures it for these flows). */
export function signsIn(provider: Provider): provider is SignInProvider {
  return !isWindowless(provider.flow) && typeof provider.authorizationUrl === 'string';
}

/** True for a device-flow provider (validation ensures its two endpoints). */
export function usesDeviceFlow(provider: Provider): provider is DeviceProvider {
  return provider.flow === 'device' && typeof provider.deviceAuthorizationUrl === 'string' && typeof provider.tokenUrl === 'string';
}

/** True for a client-credentials provider (validation ensures its token URL and secret). */
export function usesClientCredentials(provider: Provider): provider is ClientCredentialsProvider {
  return provider.flow === 'client_credentials' && typeof provider.tokenUrl === 'string' && typeof provider.clientSecret === 'string';
}

/** True when the provider signs in through a tab and its redirect page (validation ensures the URI). */
export function usesTabRedirect(provider: Provider): provider is TabModeProvider {
  return signsIn(provider) && provider.redirectMode === 'tab' && typeof provider.redirectUri === 'string';
}
