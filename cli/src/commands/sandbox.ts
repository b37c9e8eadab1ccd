/**
 * `autocode sandbox up|reset`: a local GitHub (the forge: REST under /api/v3, git smart HTTP, Actions OIDC)
 * seeded with org `acme` (foundation, mvp, production) and the App installed, plus the LLM server speaking
 * the OpenAI and Anthropic wire formats. `up` prints URLs and credentials, writes them to
 * `<state-dir>/sandbox.json`, and runs until interrupted; state persists in the directory. `reset` deletes it.
 */
import type { Command } from 'commander';
import { readInteger, recordInputReader } from '@autocode/toolkit';
import type { SandboxInfo } from '@autocode/sandbox';
import { DEFAULT_SANDBOX_DIR, resetSandbox, startSandbox } from '@autocode/sandbox';

interface UpFlags {
  stateDir: string;
  port?: string;
  llmPort?: string;
}

/** Sandbox credentials are printed on purpose: they only open this loopback sandbox. */
export function describeSandbox(info: SandboxInfo, infoPath: string): string {
  const [repo] = info.repos;
  const user = info.users[0];
  return [
    'autocode sandbox is up (loopback only; credentials below open nothing else)',
    `  GitHub API      ${info.github.apiUrl}   (GHES layout: use it as the Octokit baseUrl)`,
    `  git             ${info.github.gitUrlTemplate}`,
    `  OIDC issuer     ${info.github.oidcIssuer}`,
    `  App id          ${info.app.appId} (${info.app.slug})`,
    `  App private key ${info.app.privateKeyPath}`,
    `  Installation    ${info.app.installationId} on ${info.app.org}`,
    `  Repositories    ${info.repos.join(', ')}`,
    ...info.users.map((u) => `  User token      ${u.login}: ${u.token}`),
    ...(info.llm
      ? [
          `  OpenAI          ${info.llm.openaiBaseUrl}  key ${info.llm.apiKeys.openai}`,
          `  Anthropic       ${info.llm.anthropicBaseUrl}  key ${info.llm.apiKeys.anthropic}`,
        ]
      : []),
    `  Details         ${infoPath}`,
    ...(repo && user
      ? [
          `  Try             git clone ${info.github.gitUrlTemplate.replace('://', `://x-access-token:${user.token}@`).replace('{owner}/{repo}', repo)}`,
        ]
      : []),
    'Press Ctrl+C to stop.',
  ].join('\n');
}

export function registerSandbox(program: Command): void {
  const sandbox = program
    .command('sandbox')
    .description('local GitHub (forge) and LLM server for development and tests');
  sandbox
    .command('up')
    .description(
      'start the forge and the LLM server, seed org acme, print URLs and credentials, keep running',
    )
    .option('--state-dir <dir>', 'where repositories and records persist', DEFAULT_SANDBOX_DIR)
    .option('--port <port>', 'forge port (0 = any free port)', '0')
    .option('--llm-port <port>', 'LLM server port (0 = any free port)', '0')
    .action(async (flags: UpFlags) => {
      const input = recordInputReader({ port: flags.port, 'llm-port': flags.llmPort });
      const up = await startSandbox({
        stateDir: flags.stateDir,
        port: readInteger(input, 'port', 0, { min: 0, max: 65535 }),
        llmPort: readInteger(input, 'llm-port', 0, { min: 0, max: 65535 }),
      });
      console.log(describeSandbox(up.info, up.infoPath));
      await new Promise<void>((resolve) => {
        const stop = () => void up.stop().then(resolve, resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
  sandbox
    .command('reset')
    .description('delete the sandbox state directory (repositories, records, keys)')
    .option('--state-dir <dir>', 'state directory used by `sandbox up`', DEFAULT_SANDBOX_DIR)
    .action((flags: { stateDir: string }) => {
      console.log(
        resetSandbox(flags.stateDir) ? `removed ${flags.stateDir}` : `nothing to remove at ${flags.stateDir}`,
      );
    });
}
