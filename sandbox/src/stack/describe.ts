/**
 * What `autocode up` prints once everything listens: where each part is, who can sign in, and what to try
 * first. Sandbox credentials are printed on purpose: they open only this loopback sandbox.
 */
import { NO_LLM_MESSAGE } from '../runner/index.js';
import type { Stack } from './stack.js';

const pad = (s: string, n: number) => s.padEnd(n);

function llmLine(stack: Stack): string {
  if (stack.urls.llm) return `sandbox LLM server ${stack.urls.llm} (scripted replies, no model)`;
  if (stack.providers.length)
    return stack.providers.map((p) => `${p.name} (${p.kind} ${p.model})`).join(', ');
  return `none — codegen jobs fail with "${NO_LLM_MESSAGE.split(':')[0]}" (try --llm sandbox)`;
}

export function describeStack(stack: Stack): string {
  const { urls } = stack;
  const clone =
    urls.gitTemplate && stack.cloneToken
      ? urls.gitTemplate
          .replace('://', `://x-access-token:${stack.cloneToken}@`)
          .replace('{owner}/{repo}', 'acme/foundation')
      : undefined;
  const lines = [
    'autocode is running on this machine (loopback only).',
    '',
    `  App (PWA)       ${urls.app}`,
    `  Edge API        ${urls.edge}/v1/…   health ${urls.edge}/health`,
    `  Sign-in         ${urls.signIn}${stack.users.length ? '   (development identity provider)' : ''}`,
    ...(urls.forgeApi
      ? [
          `  GitHub (forge)  ${urls.forgeApi}   web ${urls.forge}/acme`,
          `  git clone       ${clone ?? urls.gitTemplate}`,
        ]
      : ['  GitHub          the App configured in autocode.yaml (webhooks need a public URL for the edge)']),
    `  LLM             ${llmLine(stack)}`,
    `  State           ${stack.stateDir}  (kept across restarts; \`autocode up --reset\` starts fresh)`,
    '',
  ];
  if (stack.users.length) {
    lines.push('Development users (choose one on the sign-in page; no password):');
    for (const u of stack.users) lines.push(`  ${pad(u.key, 9)} ${pad(u.name, 15)} ${u.roles.join(', ')}`);
  } else {
    lines.push('Sign-in: your identity provider (OIDC_ISSUER); the development users are disabled.');
  }
  lines.push(
    '',
    'Try this first:',
    `  1. Open ${urls.app} and sign in as member (Mia Member).`,
    '  2. New command: repository acme/foundation, command sync → Submit. Watch the job go',
    '     queued → dispatched → pr_opened while the local runner runs the sync workflow.',
    '  3. Pull requests: open the sync PR in acme/mvp and read its diff.',
    '  4. Sign out; sign in as approver (Aaron Approver). Open the PR, Approve, and confirm with a passkey',
    '     (the first time, register one: Settings → Register a passkey). The requester cannot approve.',
    '  5. Sign in as admin (Ada Admin): Admin → Kill switch → trip it with a reason. Submit another',
    '     command: it is refused until an admin clears the switch.',
    '',
    'Press Ctrl+C to stop (state is kept).',
  );
  return lines.join('\n');
}
