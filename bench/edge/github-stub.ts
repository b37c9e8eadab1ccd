/**
 * The smallest GitHub the Worker's dispatch path needs (installation token, repository_dispatch → 204), for
 * the benchmark only. The sandbox forge plays GitHub in the tests, but it persists its whole state on every
 * write, so thousands of dispatches would make the forge, not the Worker, the thing measured on this machine.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export async function startGitHubStub(): Promise<{
  apiUrl: string;
  dispatches: () => number;
  close: () => Promise<void>;
}> {
  let dispatches = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      if (req.method === 'POST' && /\/access_tokens$/.test(req.url ?? '')) {
        res.writeHead(201, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({ token: 'ghs_bench', expires_at: new Date(Date.now() + 3600_000).toISOString() }),
        );
      } else if (req.method === 'POST' && /\/dispatches$/.test(req.url ?? '')) {
        dispatches++;
        res.writeHead(204).end();
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v3`,
    dispatches: () => dispatches,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
