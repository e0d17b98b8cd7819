import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { createListener, listen, sendHtml, type RecordedRequest } from '../../demo/http';

/**
 * A plain web page server standing in for the developer's app. It listens on localhost (both
 * loopback addresses), so one server is two sites to the browser: http://localhost:P and
 * http://127.0.0.1:P. It records every request it receives.
 */
export interface SiteServer {
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startSiteServer(): Promise<SiteServer> {
  const requests: RecordedRequest[] = [];
  const page = '<!doctype html><html lang="en"><title>Site under test</title><h1>Site under test</h1></html>';
  const server = await listen(
    createListener(requests, (_req, res) => sendHtml(res, 200, page)),
    'localhost',
    0,
  );
  return { port: server.port, requests, close: () => server.close() };
}

/**
 * An API host that records WebSocket handshakes (path and Authorization) and then drops them: all
 * a test needs to see whether the browser attached the token to the handshake.
 */
export async function startSocketRecorder(): Promise<{
  origin: string;
  handshakes: { url: string; authorization?: string }[];
  close(): Promise<void>;
}> {
  const handshakes: { url: string; authorization?: string }[] = [];
  const server = createServer((_req, res) => res.writeHead(404).end());
  server.on('upgrade', (req: IncomingMessage, socket: Duplex) => {
    handshakes.push({ url: req.url ?? '', ...(req.headers.authorization !== undefined && { authorization: req.headers.authorization }) });
    socket.destroy();
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    handshakes,
    close: () => new Promise<void>((closed) => server.close(() => closed())),
  };
}
