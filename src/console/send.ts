// Sending the console's request (README "Console"): the account's header attached exactly as the
// network rules attach it, and only to URLs under its API base URLs. No extension API: the page
// passes the account and provider it read.
import type { Account } from '../accounts/account';
import { accountHeader } from '../inject/account-header';
import { apiBaseUrlOf } from '../inject/rules';
import type { Provider } from '../providers/model';
import { METHODS, METHODS_WITHOUT_BODY, readBody, type ConsoleRequest, type ConsoleResponse } from './exchange';

/** A request ready for `fetch`, and what it carries of the account, in words for the page. */
export interface PreparedRequest {
  url: string;
  init: RequestInit;
  /** True when the account's header is attached. */
  withToken: boolean;
  /** Says whether the token goes and why, naming the account and base URL (never the token). */
  tokenNote: string;
}

/** A request the console refuses to send, in words that say what to change. Nothing was sent. */
export class RequestProblem extends Error {
  override readonly name = 'RequestProblem';
}

/**
 * `request` as `fetch` takes it. The account's header is set last, as the rules `set` it, so it
 * replaces a header of the same name typed in Headers; outside the API base URLs nothing of the
 * account goes. With the token, redirects are not followed: the rules match each URL afresh, so
 * a redirect elsewhere would carry no token, and `fetch` would carry a custom header along.
 */
export function prepareRequest(request: ConsoleRequest, account: Account | undefined, provider: Provider | undefined): PreparedRequest {
  let url: URL;
  try {
    url = new URL(request.url.trim());
  } catch {
    throw new RequestProblem('URL: enter a full address, such as https://api.example.com/items. Nothing was sent.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new RequestProblem(`URL: the console sends http and https requests only, not ${url.protocol}. Nothing was sent.`);
  }
  if (!(METHODS as readonly string[]).includes(request.method)) {
    throw new RequestProblem(`Method: choose one of ${METHODS.join(', ')}. Nothing was sent.`);
  }
  if (request.body !== '' && METHODS_WITHOUT_BODY.includes(request.method)) {
    throw new RequestProblem(`Body: a ${request.method} request has no body. Empty it, or choose POST, PUT or PATCH. Nothing was sent.`);
  }
  const headers = new Headers();
  for (const [name, value] of request.headers) headers.append(name, value);
  const name = account && provider ? `${provider.name} ${account.label}` : 'the account';
  const baseUrl = provider && apiBaseUrlOf(url.href, provider);
  let withToken = false;
  let tokenNote: string;
  if (!account || !provider) {
    tokenNote = 'Sent without a token: no account is selected.';
  } else if (baseUrl === undefined) {
    tokenNote = `Sent without a token: ${url.origin}${url.pathname} is outside ${provider.name}'s API base URLs (${provider.apiBaseUrls.join(', ')}).`;
  } else {
    const found = accountHeader(account, provider);
    if ('problem' in found) {
      tokenNote = `Sent without a token: ${found.problem.message}`;
    } else {
      headers.set(found.header.name, found.header.value);
      withToken = true;
      tokenNote = `Sent with ${name}'s ${found.header.name} header (the URL is under ${baseUrl}).`;
    }
  }
  return {
    url: url.href,
    withToken,
    tokenNote,
    init: {
      method: request.method,
      headers,
      ...(request.body !== '' && { body: request.body }),
      cache: 'no-store',
      credentials: 'omit',
      redirect: withToken ? 'manual' : 'follow',
    },
  };
}

const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

/** Sends `prepared` and reads the whole answer, timed from sending to the body's last byte. */
export async function sendPrepared(prepared: PreparedRequest, clock: () => number = () => performance.now()): Promise<ConsoleResponse> {
  const started = clock();
  let response: Response;
  try {
    response = await fetch(prepared.url, prepared.init);
  } catch {
    throw new RequestProblem(
      `No answer from ${new URL(prepared.url).origin}: the network failed, the host refused the connection, or the browser blocked the request.`,
    );
  }
  // Browsers hide a redirect not followed behind an opaque answer; other fetch implementations show the 3xx.
  if (response.type === 'opaqueredirect' || (prepared.init.redirect === 'manual' && REDIRECT_STATUSES.includes(response.status))) {
    throw new RequestProblem(
      'The API answered with a redirect. With a token the console does not follow redirects (the rules would not carry the token to another URL): send the request to the new address yourself.',
    );
  }
  const blob = await response.blob();
  const timeMs = clock() - started;
  const contentType = response.headers.get('content-type') ?? '';
  return {
    status: response.status,
    statusText: response.statusText,
    headers: [...response.headers.entries()],
    timeMs,
    size: blob.size,
    contentType,
    url: response.url,
    body: await readBody(blob, contentType),
  };
}
