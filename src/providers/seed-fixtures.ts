// Real provider documents used by the tests: PRODUCT.md's example verbatim and the two seed
// providers (seeds/readycloud-api-v1-auth.txt, seeds/skyvault-auth-code.txt) in Provider JSON.

/** The example from PRODUCT.md "Provider JSON (import and export)", character for character. */
export const PRODUCT_EXAMPLE_JSON = `{
  "providers": [
    {
      "id": "skyvault",
      "name": "SkyVault",
      "flow": "code",
      "authorizationUrl": "https://auth.skyvault.example/oauth/authorize",
      "tokenUrl": "https://auth.skyvault.example/oauth/token",
      "revocationUrl": "https://auth.skyvault.example/oauth/revoke",
      "clientId": "my-api-key",
      "clientSecret": "my-api-secret",
      "clientAuth": "body",
      "pkce": true,
      "scopes": ["public_api"],
      "extraParams": {},
      "apiBaseUrls": ["https://api.skyvault.example/"],
      "header": { "name": "Authorization", "prefix": "Bearer" }
    }
  ]
}`;

/**
 * ReadyCloud API v1: implicit grant, App Id as client_id and no secret, space-separated scopes,
 * token in the fragment. Only required fields plus scopes, so the defaults get filled.
 * SkyVault: authorization code, API key + secret, scope always public_api.
 */
export const SEED_PROVIDERS_JSON = `{
  "providers": [
    {
      "id": "readycloud",
      "name": "ReadyCloud",
      "flow": "implicit",
      "authorizationUrl": "https://www.readycloud.com/api/oauth2/authorize",
      "clientId": "burgermaker-client",
      "scopes": ["orders:read"],
      "apiBaseUrls": ["https://www.readycloud.com/api/v1/"]
    },
    {
      "id": "skyvault",
      "name": "SkyVault",
      "flow": "code",
      "authorizationUrl": "https://auth.skyvault.example/oauth/authorize",
      "tokenUrl": "https://auth.skyvault.example/oauth/token",
      "revocationUrl": "https://auth.skyvault.example/oauth/revoke",
      "clientId": "my-api-key",
      "clientSecret": "my-api-secret",
      "scopes": ["public_api"],
      "apiBaseUrls": ["https://api.skyvault.example/"]
    }
  ]
}`;

/** The token response SkyVault's document shows (seeds/skyvault-auth-code.txt). */
export const SKYVAULT_TOKEN_RESPONSE = {
  access_token: '87727764-3876-43b9-82a1-1ca917302ce5',
  token_type: 'Bearer',
  expires_in: 3600,
  refresh_token: '596f6074-f432-4aeb-a162-8196213c659c',
  scope: 'public_api',
} as const;
