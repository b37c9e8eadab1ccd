/**
 * A loopback GitHub for the Worker tests until the sandbox forge lands: App JWT → installation token (the JWT is
 * verified against the App's public key), repository_dispatch recording, pulls/files/reviews, and an alert
 * sink. Faults mirror the forge's `faults.add({ route, status, times, retryAfter })`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KeyObject } from 'node:crypto';
import { jwtVerify } from 'jose';

export interface Fault {
  route: string;
  status: number;
  times: number;
  retryAfter?: number;
}

export interface FakePr {
  number: number;
  head_sha: string;
  state?: string;
  title?: string;
  files?: { filename: string; status: string; additions: number; deletions: number; patch?: string }[];
}

export interface FakeGitHub {
  url: string;
  apiUrl: string;
  alertUrl: string;
  dispatches: { repo: string; event_type: string; client_payload: Record<string, unknown> }[];
  reviews: { repo: string; number: number; body: Record<string, unknown> }[];
  alerts: unknown[];
  tokensMinted: number;
  faults: { add(f: Fault): void; clear(): void };
  setPr(repo: string, pr: FakePr): void;
  close(): Promise<void>;
}

const template = (route: string) =>
  new RegExp(`^${route.replace(/\{[^}]+\}/g, '[^/]+').replace(/\//g, '\\/')}$`);

export async function startFakeGitHub(appPublicKey: KeyObject): Promise<FakeGitHub> {
  const faults: Fault[] = [];
  const prs = new Map<string, FakePr>();
  const state = {
    dispatches: [] as FakeGitHub['dispatches'],
    reviews: [] as FakeGitHub['reviews'],
    alerts: [] as unknown[],
    tokensMinted: 0,
  };
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      void handle(
        req.method ?? 'GET',
        (req.url ?? '').split('?')[0] ?? '',
        req.headers.authorization ?? '',
        raw,
      )
        .then(([status, body, headers]) => {
          res.writeHead(status, { 'content-type': 'application/json', ...headers });
          res.end(body === undefined ? '' : JSON.stringify(body));
        })
        .catch((err: Error) => {
          res.writeHead(500).end(err.message);
        });
    });
  });

  async function handle(
    method: string,
    path: string,
    auth: string,
    raw: string,
  ): Promise<[number, unknown?, Record<string, string>?]> {
    if (path === '/alerts') {
      state.alerts.push(JSON.parse(raw));
      return [200, { ok: true }];
    }
    if (!path.startsWith('/api/v3/')) return [404, { message: 'Not Found' }];
    const route = path.slice('/api/v3'.length);
    const fault = faults.find((f) => f.times > 0 && `${method} ${route}`.match(template(f.route)));
    if (fault) {
      fault.times--;
      return [
        fault.status,
        { message: 'injected fault' },
        fault.retryAfter ? { 'retry-after': String(fault.retryAfter) } : {},
      ];
    }
    let m: RegExpMatchArray | null;
    if ((m = route.match(/^\/app\/installations\/(\d+)\/access_tokens$/)) && method === 'POST') {
      await jwtVerify(auth.replace(/^Bearer /, ''), appPublicKey, { algorithms: ['RS256'] }).catch(() => {
        throw new Error('bad app jwt');
      });
      state.tokensMinted++;
      return [
        201,
        {
          token: `ghs_fake_${m[1]}_${state.tokensMinted}`,
          expires_at: new Date(Date.now() + 3600_000).toISOString(),
        },
      ];
    }
    if ((m = route.match(/^\/repos\/([^/]+\/[^/]+)\/installation$/))) {
      await jwtVerify(auth.replace(/^Bearer /, ''), appPublicKey, { algorithms: ['RS256'] });
      return [200, { id: 1 }];
    }
    if (!auth.startsWith('token ghs_fake_')) return [401, { message: 'Bad credentials' }];
    if ((m = route.match(/^\/repos\/([^/]+\/[^/]+)\/dispatches$/)) && method === 'POST') {
      const body = JSON.parse(raw) as { event_type: string; client_payload: Record<string, unknown> };
      state.dispatches.push({ repo: m[1] as string, ...body });
      return [204];
    }
    if ((m = route.match(/^\/repos\/([^/]+\/[^/]+)\/pulls\/(\d+)(\/files|\/reviews)?$/))) {
      const pr = prs.get(`${m[1]}#${m[2]}`);
      if (!pr) return [404, { message: 'Not Found' }];
      if (m[3] === '/files') return [200, pr.files ?? []];
      if (m[3] === '/reviews' && method === 'POST') {
        state.reviews.push({
          repo: m[1] as string,
          number: pr.number,
          body: JSON.parse(raw) as Record<string, unknown>,
        });
        return [200, { id: state.reviews.length }];
      }
      return [
        200,
        {
          number: pr.number,
          state: pr.state ?? 'open',
          title: pr.title ?? 'PR',
          html_url: `https://github.test/${m[1]}/pull/${pr.number}`,
          head: { sha: pr.head_sha },
          user: { login: 'autocode[bot]' },
        },
      ];
    }
    return [404, { message: 'Not Found' }];
  }

  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    apiUrl: `${url}/api/v3`,
    alertUrl: `${url}/alerts`,
    get dispatches() {
      return state.dispatches;
    },
    get reviews() {
      return state.reviews;
    },
    get alerts() {
      return state.alerts;
    },
    get tokensMinted() {
      return state.tokensMinted;
    },
    faults: { add: (f) => faults.push({ ...f }), clear: () => (faults.length = 0) },
    setPr: (repo, pr) => prs.set(`${repo}#${pr.number}`, pr),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
