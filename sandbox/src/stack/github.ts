/**
 * GitHub for the local stack when no real App is configured: the sandbox (forge seeded with org `acme`, as
 * `autocode sandbox up`), the autocode workflows installed in its repositories, and — once the edge is up —
 * the App webhook pointed at the edge and the local runner answering dispatches. The workflows and the edge act
 * as the sandbox App, as in production; the edge submits approvals as a second App (`autocode-reviewer`,
 * GITHUB_REVIEWER_APP_*), because GitHub refuses an App's approval of a pull request that same App opened.
 */
import { join } from 'node:path';
import type { LlmProviderConfig } from '@autocode/toolkit';
import type { Forge } from '../forge/index.js';
import { installAutocodeWorkflows, startLocalRunner } from '../runner/index.js';
import type { LocalRunner } from '../runner/index.js';
import { startSandbox } from '../up.js';
import type { Sandbox } from '../up.js';
import type { LlmChoice } from './config.js';
import { demoLlm } from './demo-llm.js';
import type { StackPorts } from './ports.js';

export interface SandboxGitHub {
  forge: Forge;
  sandbox: Sandbox;
  urls: { forge: string; forgeApi: string; gitTemplate: string; llm?: string };
  /** The Worker's GitHub settings (API, App, Actions OIDC issuer, owners, repositories). */
  edgeBindings: Record<string, string>;
  /** `--llm sandbox`: codegen's provider pointing at the sandbox LLM server. */
  providers?: LlmProviderConfig[];
  cloneToken?: string;
  connect(edgeUrl: string, providers: LlmProviderConfig[], keys: Record<string, string>): LocalRunner;
  stop(): Promise<void>;
}

/** codegen.yml hands the job OPENAI_API_KEY, ANTHROPIC_API_KEY and LLM_API_KEY; the sandbox speaks OpenAI. */
const SANDBOX_KEY_ENV = 'OPENAI_API_KEY';

export async function startSandboxGitHub(opts: {
  root: string;
  stateDir: string;
  ports: StackPorts;
  llm: LlmChoice;
  webhookSecret: string;
  log: (line: string) => void;
}): Promise<SandboxGitHub> {
  const sandbox = await startSandbox({
    stateDir: join(opts.stateDir, 'sandbox'),
    port: opts.ports.forge,
    llmPort: opts.ports.llm,
    llm: opts.llm === 'sandbox' ? demoLlm : false,
  });
  try {
    const { forge, info } = sandbox;
    // No webhook while the workflows are installed: that push must not reach the edge as a foundation change.
    forge.setAppWebhook({ url: '', secret: '' });
    const reviewer = forge.createApp('autocode-reviewer', { name: 'autocode reviewer' });
    const installed = await installAutocodeWorkflows(forge, {
      homeDir: opts.root,
      repos: info.repos,
      token: forge.tokenForInstallation(),
    });
    for (const [repo, files] of Object.entries(installed)) {
      if (files.length) opts.log(`installed ${files.join(', ')} in ${repo}`);
    }
    const llm = sandbox.llm;
    return {
      forge,
      sandbox,
      urls: {
        forge: forge.url,
        forgeApi: forge.apiUrl,
        gitTemplate: info.github.gitUrlTemplate,
        ...(llm ? { llm: llm.url } : {}),
      },
      edgeBindings: {
        GITHUB_API_URL: forge.apiUrl,
        GITHUB_APP_ID: String(forge.app.appId),
        GITHUB_APP_PRIVATE_KEY: forge.app.privateKey,
        GITHUB_INSTALLATION_ID: String(forge.app.installationId),
        GITHUB_REVIEWER_APP_ID: String(reviewer.appId),
        GITHUB_REVIEWER_APP_PRIVATE_KEY: reviewer.privateKey,
        ACTIONS_OIDC_ISSUER: forge.oidc.issuer,
        ACTIONS_OIDC_JWKS_URL: `${forge.oidc.issuer}/.well-known/jwks`,
        ALLOWED_OWNERS: info.app.org,
        FOUNDATION_REPO: `${info.app.org}/foundation`,
        KILLSWITCH_REPOS: info.repos.join(','),
      },
      ...(llm
        ? {
            providers: [
              {
                name: 'sandbox',
                kind: 'openai',
                model: 'gpt-5-mini',
                base_url: llm.openaiBaseUrl,
                api_key_env: SANDBOX_KEY_ENV,
              },
            ],
          }
        : {}),
      ...(info.users[0] ? { cloneToken: info.users[0].token } : {}),
      connect(edgeUrl, providers, keys) {
        forge.setAppWebhook({ url: `${edgeUrl}/webhooks/github`, secret: opts.webhookSecret });
        return startLocalRunner({
          forge,
          homeDir: opts.root,
          app: forge.app,
          edgeUrl,
          ...(providers.length
            ? {
                llm: {
                  providers,
                  secrets: { ...keys, ...(llm ? { [SANDBOX_KEY_ENV]: llm.apiKeys.openai } : {}) },
                },
              }
            : {}),
          workDir: join(opts.stateDir, 'sandbox/runs'),
          log: opts.log,
        });
      },
      stop: () => sandbox.stop(),
    };
  } catch (err) {
    await sandbox.stop();
    throw err;
  }
}
