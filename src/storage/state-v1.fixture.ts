import type { StoredState } from './store';

/**
 * storage.local as TokenTap 0.1.0 (commit e1e4366, schema version 1) left it, read from a real
 * profile: both demo providers imported (SkyVault with its client secret), both connected, one site
 * approved for each. Secrets in plaintext; no `schemaVersion`. Demo tokens, long expired.
 */
export const STATE_V1: StoredState = {
  "accounts": [
    {
      "accessToken": "Nv8Y3bZO_b2P0p2cJWlYGqwqcm7Qrs-NRkpK9rGwCdU",
      "expiresAt": 1798802142098,
      "id": "272b233e-1395-4016-9040-e1e4617a154c",
      "label": "Account 1",
      "obtainedAt": 1796210142098,
      "providerId": "readycloud",
      "scopes": [
        "orders:read"
      ]
    },
    {
      "accessToken": "c077357e-70b8-47a7-a9f7-11273f417a24",
      "expiresAt": 1796213742428,
      "id": "d641be7b-4ea6-4d7c-a668-4ec7c792eeee",
      "label": "Account 1",
      "obtainedAt": 1796210142428,
      "providerId": "skyvault",
      "refreshExpiresAt": 1796814942428,
      "refreshToken": "50bb08f4-3a41-4107-b54e-98fb86752338",
      "scopes": [
        "public_api"
      ]
    }
  ],
  "approvals": [
    {
      "accountId": "d641be7b-4ea6-4d7c-a668-4ec7c792eeee",
      "approvedAt": 1796210142741,
      "origin": "http://localhost:46087"
    },
    {
      "accountId": "272b233e-1395-4016-9040-e1e4617a154c",
      "approvedAt": 1796210143061,
      "origin": "http://localhost:46087"
    }
  ],
  "providers": [
    {
      "apiBaseUrls": [
        "http://127.0.0.1:36367/api/v1/"
      ],
      "authorizationUrl": "http://127.0.0.1:36367/oauth/authorize",
      "clientAuth": "body",
      "clientId": "readycloud-demo-app",
      "extraParams": {},
      "flow": "implicit",
      "header": {
        "name": "Authorization",
        "prefix": "Bearer"
      },
      "id": "readycloud",
      "name": "ReadyCloud",
      "pkce": true,
      "scopes": [
        "orders:read"
      ]
    },
    {
      "apiBaseUrls": [
        "http://127.0.0.1:35469/api/"
      ],
      "authorizationUrl": "http://127.0.0.1:35469/oauth/authorize",
      "clientAuth": "body",
      "clientId": "skyvault-demo-key",
      "clientSecret": "skyvault-demo-secret",
      "extraParams": {},
      "flow": "code",
      "header": {
        "name": "Authorization",
        "prefix": "Bearer"
      },
      "id": "skyvault",
      "name": "SkyVault",
      "pkce": true,
      "refreshTokenTtl": 604800,
      "revocationUrl": "http://127.0.0.1:35469/oauth/revoke",
      "scopes": [
        "public_api"
      ],
      "tokenUrl": "http://127.0.0.1:35469/oauth/token"
    }
  ]
};
