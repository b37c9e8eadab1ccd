/**
 * TEST STAND-IN — NOT CLOUDFLARE. Cloudflare's API cannot be reached from where the tests run, so this loopback
 * server answers the few Workers-secrets routes the `cloudflare` SDK calls, with Cloudflare's response envelope
 * ({ success, errors, messages, result }) and bearer-token auth. It keeps plaintext values so tests can "deploy"
 * them into Miniflare as the Worker's bindings. Shapes follow the SDK's types (resources/workers/scripts/secrets).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CloudflareStandIn {
  /** SDK baseURL (`<url>/client/v4`). */
  baseURL: string;
  token: string;
  /** script → binding name → plaintext. */
  secrets: Map<string, Map<string, string>>;
  requests: { method: string; path: string }[];
  /** Bumped on every change, like a new Worker version. */
  versions: number;
  /** Called (and awaited before answering) on every change: tests redeploy the Worker here. */
  onChange?: (script: string) => Promise<void>;
  close(): Promise<void>;
}

const envelope = (result: unknown) => JSON.stringify({ success: true, errors: [], messages: [], result });
const failure = (code: number, message: string) =>
  JSON.stringify({ success: false, errors: [{ code, message }], messages: [], result: null });

export async function startCloudflareStandIn(token = 'cf-test-token'): Promise<CloudflareStandIn> {
  const secrets = new Map<string, Map<string, string>>();
  const requests: { method: string; path: string }[] = [];
  const standIn = { secrets, requests, versions: 0 } as CloudflareStandIn;
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? '/', 'http://x');
    requests.push({ method: req.method ?? 'GET', path: url.pathname });
    const send = (status: number, body: string) =>
      res.writeHead(status, { 'content-type': 'application/json' }).end(body);
    if (req.headers.authorization !== `Bearer ${token}`)
      return send(403, failure(10000, 'Authentication error'));
    const m =
      /^\/client\/v4\/accounts\/([0-9a-f]{32})\/workers\/scripts\/([^/]+)\/(secrets|secrets-bulk)(?:\/([^/]+))?$/.exec(
        url.pathname,
      );
    if (!m) return send(404, failure(7003, 'Could not route to this path'));
    const script = decodeURIComponent(m[2]!);
    const bindings = secrets.get(script) ?? new Map<string, string>();
    secrets.set(script, bindings);
    const body = chunks.length
      ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>)
      : {};
    const binding = (name: string) => ({ name, type: 'secret_text' });
    if (m[3] === 'secrets-bulk' && req.method === 'PATCH') {
      for (const [name, v] of Object.entries(
        (body.secrets ?? {}) as Record<string, { text?: string } | null>,
      )) {
        if (v === null) bindings.delete(name);
        else bindings.set(name, String(v.text ?? ''));
      }
      standIn.versions++;
      await standIn.onChange?.(script);
      return send(200, envelope({ secrets: [...bindings.keys()].map(binding) }));
    }
    if (m[3] === 'secrets' && !m[4] && req.method === 'PUT') {
      bindings.set(String(body.name), String(body.text ?? ''));
      standIn.versions++;
      await standIn.onChange?.(script);
      return send(200, envelope(binding(String(body.name))));
    }
    if (m[3] === 'secrets' && !m[4] && req.method === 'GET')
      return send(200, envelope([...bindings.keys()].map(binding)));
    if (m[3] === 'secrets' && m[4] && req.method === 'DELETE') {
      bindings.delete(decodeURIComponent(m[4]));
      standIn.versions++;
      await standIn.onChange?.(script);
      return send(200, envelope(null));
    }
    return send(405, failure(10405, 'Method not allowed'));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  standIn.baseURL = `http://127.0.0.1:${port}/client/v4`;
  standIn.token = token;
  standIn.close = () => new Promise<void>((r) => server.close(() => r()));
  return standIn;
}
