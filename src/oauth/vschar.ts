// Which characters OAuth lets a credential have: one answer for codes, tokens and client credentials.

/**
 * VSCHAR, printable ASCII (RFC 6749 Appendix A): client_id and client_secret (A.1, A.2), code
 * (A.11), access_token (A.12) and refresh_token (A.17). Anything else cannot go into a header.
 */
export const VSCHARS = /^[\x20-\x7E]+$/;
