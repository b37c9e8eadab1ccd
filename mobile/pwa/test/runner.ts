/**
 * Plays the autocode workflow for dispatched codegen jobs, over the forge's real REST API and the edge's real
 * callback route: report `running`, push a branch with a change, open a PR whose body carries the job marker
 * (the forge's `pull_request` webhook then moves the job to `pr_opened` in the Worker), record a policy check
 * run, and report usage. Other commands just report `running`.
 */
import type { Forge } from '@autocode/sandbox';

interface Payload {
  job_id: string;
  repo: string;
  prompt: string | null;
  callback_url: string | null;
}

async function call(
  forge: Forge,
  method: string,
  path: string,
  body?: unknown,
  token = forge.tokenForInstallation(),
): Promise<Record<string, unknown>> {
  const res = await fetch(`${forge.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `token ${token}`,
      accept: 'application/vnd.github+json',
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`forge ${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as Record<string, unknown>;
}

async function report(forge: Forge, p: Payload, event: Record<string, unknown>): Promise<void> {
  if (!p.callback_url) return;
  const token = await forge.oidc.mintActionsIdToken({ repository: p.repo, aud: 'autocode-edge' });
  const res = await fetch(p.callback_url, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ repository: p.repo, ...event }),
  });
  if (!res.ok) throw new Error(`callback ${String(event.type)}: ${res.status} ${await res.text()}`);
}

const PR_AUTHOR = 'autocode-author';
const GREETING = "export const greeting = 'hello';\nexport const farewell = 'goodbye';\n";

async function codegen(forge: Forge, p: Payload): Promise<void> {
  const r = `/repos/${p.repo}`;
  await report(forge, p, { type: 'running', run_url: `${forge.url}/${p.repo}/actions/runs/1` });
  // One commit through the Git Data API (as codegen publishes: GitHub signs App commits made this way).
  const main = (await call(forge, 'GET', `${r}/git/ref/heads/main`)) as { object: { sha: string } };
  const base = (await call(forge, 'GET', `${r}/git/commits/${main.object.sha}`)) as { tree: { sha: string } };
  const tree = await call(forge, 'POST', `${r}/git/trees`, {
    base_tree: base.tree.sha,
    tree: [
      { path: 'src/greeting.ts', mode: '100644', type: 'blob', content: GREETING },
      {
        path: 'docs/farewell.md',
        mode: '100644',
        type: 'blob',
        content: '# Farewell\n\nSay goodbye politely.\n',
      },
    ],
  });
  const commit = await call(forge, 'POST', `${r}/git/commits`, {
    message: 'feat: add farewell',
    tree: tree.sha,
    parents: [main.object.sha],
  });
  const branch = `autocode/${p.job_id.slice(0, 8)}`;
  await call(forge, 'POST', `${r}/git/refs`, { ref: `refs/heads/${branch}`, sha: commit.sha });
  // GitHub refuses a review from the PR's author ("Can not approve your own pull request"), and the edge
  // submits approvals as the App: so the PR is opened by a separate author identity, not the App.
  const pr = (await call(
    forge,
    'POST',
    `${r}/pulls`,
    {
      title: `autocode: ${(p.prompt ?? 'change').replace(/^\/\w+\s+/, '')}`.slice(0, 120),
      head: branch,
      base: 'main',
      body: `${p.prompt ?? ''}\n\nautocode-job: ${p.job_id}`,
    },
    forge.createUser(PR_AUTHOR, { orgs: [p.repo.split('/')[0]!] }).token,
  )) as { number: number; html_url: string; head: { sha: string } };
  // The Worker records check runs against a PR row it must already have: let `pull_request` land first.
  await forge.webhooks.idle();
  await call(forge, 'POST', `${r}/check-runs`, {
    name: 'autocode/policy',
    head_sha: pr.head.sha,
    status: 'completed',
    conclusion: 'success',
  });
  await report(forge, p, {
    type: 'pr_opened',
    pr_number: pr.number,
    pr_url: pr.html_url,
    usage: { input_tokens: 1200, output_tokens: 300, cost_usd: 0.42 },
  });
}

/** Start answering dispatches; returns the unsubscribe function. */
export function answerDispatches(forge: Forge): () => void {
  return forge.onDispatch((d) => {
    const p = d.clientPayload as unknown as Payload;
    if (!p.job_id) return;
    const work =
      d.eventType === 'autocode.codegen' ? codegen(forge, p) : report(forge, p, { type: 'running' });
    return work.catch((err: unknown) => console.error(`runner: job ${p.job_id}: ${(err as Error).message}`));
  });
}
