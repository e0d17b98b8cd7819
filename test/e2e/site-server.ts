import { createListener, listen, sendHtml, type RecordedRequest } from '../../demo/http';

/**
 * A plain web page server standing in for the developer's app. It listens on localhost (both
 * loopback addresses), so one server is two sites to the browser: http://localhost:P and
 * http://127.0.0.1:P. It records every request it receives.
 */
export async function startSiteServer(): Promise<{ port: number; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const page = '<!doctype html><html lang="en"><title>Site under test</title><h1>Site under test</h1></html>';
  const server = await listen(createListener(requests, (_req, res) => sendHtml(res, 200, page)), 'localhost', 0);
  return { port: server.port, requests, close: () => server.close() };
}
