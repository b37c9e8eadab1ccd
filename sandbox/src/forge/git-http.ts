/**
 * git smart HTTP at `/<owner>/<repo>.git/...` through `git http-backend` (CGI). Auth is HTTP Basic with an
 * installation or user token as the password (`x-access-token:<token>`), checked by the forge before git runs.
 * After a push the forge diffs the refs to send `push` webhooks and refresh pull request heads.
 */
import { spawn } from 'node:child_process';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { actorLogin, authenticate, canSee, requireRepoAccess } from './auth.js';
import type { ForgeCore } from './core.js';
import { repoKey } from './core.js';
import { emitPush } from './events.js';
import { ForgeHttpError } from './http-errors.js';

export const GIT_PATH =
  /^\/([^/]+)\/([^/]+?)(?:\.git)?(\/(?:info\/refs|git-upload-pack|git-receive-pack|HEAD|objects\/.+))$/;

/** Route template used by the request log and the fault matcher. */
export function gitTemplate(service: string): string {
  return `/{owner}/{repo}.git${service.startsWith('/objects/') ? '/objects/{path}' : service}`;
}

function deny(res: ServerResponse, status: number, message: string): number {
  const headers: Record<string, string> = { 'content-type': 'text/plain' };
  if (status === 401) headers['www-authenticate'] = 'Basic realm="GitHub"';
  res.writeHead(status, headers).end(`${message}\n`);
  return status;
}

/** Serve one git request; resolves with the HTTP status sent. */
export async function serveGit(
  core: ForgeCore,
  req: IncomingMessage,
  res: ServerResponse,
  match: RegExpExecArray,
  query: string,
): Promise<number> {
  const [, owner = '', name = '', service = ''] = match;
  const repo = core.store.repo(owner, name);
  const push = service === '/git-receive-pack' || /service=git-receive-pack/.test(query);
  let actor;
  try {
    actor = await authenticate(core, req.headers.authorization);
  } catch {
    return deny(
      res,
      401,
      'Invalid username or token. Password authentication is not supported for Git operations.',
    );
  }
  if (!repo || (actor.kind === 'anonymous' && (repo.private || push))) {
    if (actor.kind === 'anonymous') return deny(res, 401, 'Authentication required');
    return deny(res, 404, 'Repository not found.');
  }
  if (!canSee(core, actor, repo)) return deny(res, 404, 'Repository not found.');
  try {
    requireRepoAccess(core, actor, repo, 'contents', push ? 'write' : 'read');
  } catch (err) {
    const msg = err instanceof ForgeHttpError ? err.message : 'denied';
    return deny(res, 403, `Permission to ${repo.owner}/${repo.name}.git denied: ${msg}`);
  }
  const git = core.git(repo);
  const before = push ? new Map((await git.refs()).map((r) => [r.ref, r.sha])) : null;
  const status = await runBackend(
    core,
    req,
    res,
    `/${repoKey(repo)}.git${service}`,
    query,
    actorLogin(core, actor),
  );
  if (before) await afterPush(core, repo, before, actorLogin(core, actor));
  return status;
}

async function afterPush(
  core: ForgeCore,
  repo: NonNullable<ReturnType<ForgeCore['store']['repo']>>,
  before: Map<string, string>,
  pusher: string,
): Promise<void> {
  const after = new Map((await core.git(repo).refs()).map((r) => [r.ref, r.sha]));
  const refs = new Set([...before.keys(), ...after.keys()]);
  let changed = false;
  for (const ref of refs) {
    const old = before.get(ref) ?? null;
    const now = after.get(ref) ?? null;
    if (old === now) continue;
    changed = true;
    await emitPush(core, repo, ref, old, now, pusher);
    await core.afterRefMove?.(repo, ref, pusher);
  }
  if (changed) {
    repo.pushedAt = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
    core.store.save();
  }
}

function runBackend(
  core: ForgeCore,
  req: IncomingMessage,
  res: ServerResponse,
  pathInfo: string,
  query: string,
  user: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const env: Record<string, string> = {
      ...(process.env as Record<string, string>),
      GIT_PROJECT_ROOT: `${core.store.dir}/repos`,
      GIT_HTTP_EXPORT_ALL: '1',
      PATH_INFO: pathInfo,
      QUERY_STRING: query,
      REQUEST_METHOD: req.method ?? 'GET',
      CONTENT_TYPE: req.headers['content-type'] ?? '',
      REMOTE_USER: user,
      REMOTE_ADDR: req.socket.remoteAddress ?? '127.0.0.1',
      GIT_HTTP_MAX_REQUEST_BUFFER: '100M',
    };
    if (req.headers['content-length']) env.CONTENT_LENGTH = req.headers['content-length'];
    if (req.headers['content-encoding']) env.HTTP_CONTENT_ENCODING = req.headers['content-encoding'];
    if (req.headers['git-protocol']) env.GIT_PROTOCOL = String(req.headers['git-protocol']);
    const child = spawn('git', ['http-backend'], { env, stdio: ['pipe', 'pipe', 'pipe'] });
    req.pipe(child.stdin);
    child.stdin.on('error', () => {});
    let head = Buffer.alloc(0);
    let status = 200;
    let headersSent = false;
    child.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n') >= 0 ? head.indexOf('\r\n\r\n') : head.indexOf('\n\n');
      if (end < 0) return;
      const sep = head[end] === 13 ? 4 : 2;
      const headers: Record<string, string> = {};
      for (const line of head.subarray(0, end).toString('latin1').split(/\r?\n/)) {
        const i = line.indexOf(':');
        if (i < 0) continue;
        const key = line.slice(0, i).trim();
        const value = line.slice(i + 1).trim();
        if (key.toLowerCase() === 'status') status = Number(value.split(' ')[0]) || 200;
        else headers[key] = value;
      }
      res.writeHead(status, headers);
      headersSent = true;
      res.write(head.subarray(end + sep));
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (!headersSent) {
        res.writeHead(code === 0 ? 200 : 500, { 'content-type': 'text/plain' });
        res.write(stderr);
        status = code === 0 ? 200 : 500;
      }
      res.end();
      resolve(status);
    });
  });
}
