// The presets offered under Add from preset (README: Presets), each written from the provider's own
// documentation, which it links to. Data only: providerFromPreset (preset.ts) fills it in.
import type { Preset } from './preset';

export const PRESETS: readonly Preset[] = [
  {
    id: 'keycloak',
    name: 'Keycloak',
    docs: 'https://www.keycloak.org/docs/latest/securing_apps/#_oidc',
    inputs: [
      { key: 'base', label: 'Keycloak base URL', kind: 'url', example: 'https://sso.example.com' },
      { key: 'realm', label: 'Realm', kind: 'segment', example: 'dev' },
    ],
    clientSecret: 'optional',
    quirks: [
      'Keycloak sends "iss" in its sign-in answers (RFC 9207), so the realm URL is checked as the issuer.',
      'Keycloak 17 and later have no "/auth" in the base URL; for older servers enter it with "/auth".',
    ],
    provider: {
      flow: 'code',
      issuer: '{base}/realms/{realm}',
      authorizationUrl: '{base}/realms/{realm}/protocol/openid-connect/auth',
      tokenUrl: '{base}/realms/{realm}/protocol/openid-connect/token',
      revocationUrl: '{base}/realms/{realm}/protocol/openid-connect/revoke',
      scopes: ['openid'],
      apiBaseUrls: ['{base}/realms/{realm}/'],
    },
  },
  {
    id: 'openid',
    name: 'OpenID Connect provider',
    docs: 'https://openid.net/specs/openid-connect-discovery-1_0.html',
    inputs: [
      { key: 'issuer', label: 'Issuer URL', kind: 'issuer', example: 'https://id.example.com' },
      { key: 'api', label: 'API base URL', kind: 'url', example: 'https://api.example.com' },
    ],
    clientSecret: 'optional',
    quirks: ["The endpoints come from the issuer's discovery document when the provider is added."],
    provider: {
      flow: 'code',
      issuer: '{issuer}',
      scopes: ['openid'],
      apiBaseUrls: ['{api}/'],
    },
  },
];
