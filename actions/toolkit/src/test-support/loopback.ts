/**
 * A scripted loopback HTTP server for tests of HTTP clients: each request is answered by the next matching
 * handler, and every request is recorded with its arrival time.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export type Handler = (req: RecordedRequest, res: ServerResponse) => void | Promise<void>;

export interface LoopbackServer {
  url: string;
  requests: RecordedRequest[];
  /** Queue handlers answered in order; the last one repeats. */
  handle(...handlers: Handler[]): void;
  close(): Promise<void>;
}

export function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export async function startLoopback(): Promise<LoopbackServer> {
  const requests: RecordedRequest[] = [];
  let queue: Handler[] = [(_req, res) => json(res, 404, { message: 'Not Found' })];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rec: RecordedRequest = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: Date.now(),
      };
      requests.push(rec);
      const handler = queue.length > 1 ? queue.shift()! : queue[0]!;
      void Promise.resolve(handler(rec, res)).catch((err: unknown) => {
        console.error('loopback handler failed:', err);
        json(res, 500, { message: String(err) });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    handle: (...handlers) => {
      queue = handlers;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
