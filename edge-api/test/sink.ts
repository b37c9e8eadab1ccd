/** A loopback HTTP sink standing in for the alert webhook (PagerDuty / Slack): records every JSON body. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Sink {
  url: string;
  readonly bodies: unknown[];
  close(): Promise<void>;
}

export async function startSink(): Promise<Sink> {
  const bodies: unknown[] = [];
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      bodies.push(JSON.parse(raw || 'null'));
      res.writeHead(202, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/alert`,
    bodies,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
