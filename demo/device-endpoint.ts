// The device authorization grant (RFC 8628) on the demo kit: the device authorization answer, the
// verification page where the user types (or finds) the user code and signs in, and the token
// endpoint's answers to polls. What a provider issues stays in its own file.
import { randomInt, randomUUID } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import { AUTH_PAGE_HEADERS, escapeHtml } from './html';
import { sendHtml, sendJson, type DemoRequest } from './http';
import { sendTokenError } from './oauth';
import type { ProviderPages } from './provider-site';

/** RFC 8628 3.4's grant type. */
export const DEVICE_CODE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
/** Where the user approves: the path of the verification page. */
export const VERIFICATION_PATH = '/device';
/** RFC 8628 6.1: consonants only, so no word is spelled and none is mistaken for another. */
const USER_CODE_LETTERS = 'BCDFGHJKLMNPQRSTVWXZ';

export interface DeviceGrantOptions {
  pages: ProviderPages;
  /** The provider's origin, once it listens. */
  origin: () => string;
  /** Seconds a device code lives. */
  lifetimeSeconds: () => number;
  /** Seconds the client must wait between polls (RFC 8628 3.2). */
  intervalSeconds: number;
  /** What the user signs in with on the verification page. */
  fieldsHtml: string;
  /** The user who signed in with the page's form, or undefined when the credentials are wrong. */
  signIn: (form: URLSearchParams) => string | undefined;
}

interface DeviceCode {
  clientId: string;
  userCode: string;
  expiresAt: number;
  intervalMs: number;
  lastPollAt: number | undefined;
  outcome: { kind: 'pending' } | { kind: 'denied' } | { kind: 'approved'; userId: string };
}

export interface DeviceGrant {
  /** Answers a device authorization request of an authenticated client (RFC 8628 3.2). */
  authorize(res: ServerResponse, clientId: string): void;
  /** The verification page: GET shows it (the code filled in from `user_code`), POST approves or denies. */
  verificationPage(req: DemoRequest, res: ServerResponse): void;
  /** Answers a poll (RFC 8628 3.5); the approving user when tokens are due, once. */
  poll(res: ServerResponse, clientId: string, deviceCode: string | null): { userId: string } | undefined;
}

export function deviceGrant(options: DeviceGrantOptions): DeviceGrant {
  const codes = new Map<string, DeviceCode>();
  const byUserCode = (typed: string) => {
    const wanted = typed.toUpperCase().replace(/[^A-Z]/g, '');
    return [...codes.values()].find((code) => code.userCode.replace('-', '') === wanted);
  };

  const page = (res: ServerResponse, status: number, userCode: string, alert = '') =>
    sendHtml(
      res,
      status,
      options.pages.page({
        title: 'Connect a device',
        body: `<p>Enter the code your device shows, then sign in to allow it.</p>${alert && `<p role="alert" class="alert">${escapeHtml(alert)}</p>`}
  <form method="post" action="${VERIFICATION_PATH}">
    <label for="user_code">User code</label>
    <input type="text" id="user_code" name="user_code" autocomplete="off" required value="${escapeHtml(userCode)}">
    ${options.fieldsHtml}
    <div class="actions">
      <button type="submit" class="primary" name="decision" value="allow">Sign in and allow</button>
      <button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
    </div>
  </form>`,
      }),
      AUTH_PAGE_HEADERS,
    );

  return {
    authorize(res, clientId) {
      const deviceCode = randomUUID();
      const letters = Array.from({ length: 8 }, () => USER_CODE_LETTERS[randomInt(USER_CODE_LETTERS.length)]).join('');
      const userCode = `${letters.slice(0, 4)}-${letters.slice(4)}`;
      const lifetime = options.lifetimeSeconds();
      codes.set(deviceCode, {
        clientId,
        userCode,
        expiresAt: Date.now() + lifetime * 1000,
        intervalMs: options.intervalSeconds * 1000,
        lastPollAt: undefined,
        outcome: { kind: 'pending' },
      });
      const verificationUri = `${options.origin()}${VERIFICATION_PATH}`;
      sendJson(
        res,
        200,
        {
          device_code: deviceCode,
          user_code: userCode,
          verification_uri: verificationUri,
          verification_uri_complete: `${verificationUri}?user_code=${userCode}`,
          expires_in: lifetime,
          interval: options.intervalSeconds,
        },
        { 'Cache-Control': 'no-store' },
      );
    },

    verificationPage(req, res) {
      if (req.method !== 'POST') return page(res, 200, req.url.searchParams.get('user_code') ?? '');
      const typed = req.form.get('user_code') ?? '';
      const code = byUserCode(typed);
      if (code === undefined || code.outcome.kind !== 'pending' || Date.now() >= code.expiresAt) {
        return page(res, 400, typed, 'That code is not one waiting for approval (it may have expired). Check it against your device.');
      }
      if (req.form.get('decision') === 'deny') {
        code.outcome = { kind: 'denied' };
        return sendHtml(res, 200, options.pages.page({ title: 'Access denied', body: '<p role="status">The device was not allowed.</p>' }));
      }
      const userId = options.signIn(req.form);
      if (userId === undefined) return page(res, 200, typed, 'Wrong user ID or password.');
      code.outcome = { kind: 'approved', userId };
      sendHtml(
        res,
        200,
        options.pages.page({ title: 'Device connected', body: '<p role="status">The device is connected. You can close this page.</p>' }),
      );
    },

    poll(res, clientId, deviceCode) {
      const code = deviceCode === null ? undefined : codes.get(deviceCode);
      if (deviceCode === null || code === undefined || code.clientId !== clientId) {
        sendTokenError(res, 400, 'invalid_grant', 'The device code is invalid.');
        return undefined;
      }
      const now = Date.now();
      if (now >= code.expiresAt) {
        codes.delete(deviceCode);
        sendTokenError(res, 400, 'expired_token', 'The device code expired.');
        return undefined;
      }
      const tooSoon = code.lastPollAt !== undefined && now - code.lastPollAt < code.intervalMs;
      code.lastPollAt = now;
      switch (code.outcome.kind) {
        case 'denied':
          codes.delete(deviceCode);
          sendTokenError(res, 400, 'access_denied', 'The user denied the device.');
          return undefined;
        case 'approved':
          codes.delete(deviceCode);
          return { userId: code.outcome.userId };
        case 'pending':
          if (tooSoon) {
            // RFC 8628 3.5: every later poll must wait 5 seconds more.
            code.intervalMs += 5000;
            sendTokenError(res, 400, 'slow_down', 'Polling too fast: wait 5 seconds more between polls.');
          } else sendTokenError(res, 400, 'authorization_pending', 'The user has not approved the device yet.');
          return undefined;
      }
    },
  };
}
