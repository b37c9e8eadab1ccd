/**
 * `autocode sandbox up` as a library: the forge (seeded with org `acme`) and the LLM server, state under one
 * directory (`<stateDir>/forge` holds repositories and records; `<stateDir>/sandbox.json` the URLs and
 * credentials other tools read). A restart on the same directory keeps repositories, tokens and LLM keys.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { Forge } from './forge/index.js';
import { startForge } from './forge/index.js';
import { seedSandbox } from './forge/seed.js';
import type { LlmServer, LlmServerOptions } from './llm/index.js';
import { startLlmServer } from './llm/index.js';

export const DEFAULT_SANDBOX_DIR = '.autocode/sandbox';

export interface SandboxInfo {
  github: { url: string; apiUrl: string; gitUrlTemplate: string; oidcIssuer: string };
  app: { appId: number; slug: string; privateKeyPath: string; installationId: number; org: string };
  repos: string[];
  users: { login: string; token: string }[];
  /** A short-lived installation token minted at start-up (the App key is the durable credential). */
  installationToken: string;
  /** Absent when started with `llm: false`. */
  llm?: {
    url: string;
    openaiBaseUrl: string;
    anthropicBaseUrl: string;
    apiKeys: { openai: string; anthropic: string };
  };
}

export interface Sandbox {
  forge: Forge;
  llm?: LlmServer;
  info: SandboxInfo;
  /** Where `info` was written. */
  infoPath: string;
  stop(): Promise<void>;
}

export interface SandboxOptions {
  stateDir?: string;
  port?: number;
  llmPort?: number;
  /** `false`: no LLM server; otherwise options for it (rules, default reply), default none. */
  llm?: false | Omit<LlmServerOptions, 'port' | 'apiKeys'>;
  seedDir?: string;
}

export async function startSandbox(opts: SandboxOptions = {}): Promise<Sandbox> {
  const stateDir = resolve(opts.stateDir ?? DEFAULT_SANDBOX_DIR);
  mkdirSync(stateDir, { recursive: true });
  const infoPath = join(stateDir, 'sandbox.json');
  const previous = existsSync(infoPath)
    ? (JSON.parse(readFileSync(infoPath, 'utf8')) as Partial<SandboxInfo>)
    : {};
  const forge = await startForge({
    stateDir: join(stateDir, 'forge'),
    ...(opts.port !== undefined ? { port: opts.port } : {}),
  });
  const llm =
    opts.llm === false
      ? undefined
      : await startLlmServer({
          ...(opts.llm ?? {}),
          ...(opts.llmPort !== undefined ? { port: opts.llmPort } : {}),
          ...(previous.llm?.apiKeys ? { apiKeys: previous.llm.apiKeys } : {}),
        });
  const stopAll = () => Promise.all([forge.stop(), llm?.stop()]);
  try {
    const seed = await seedSandbox(forge, { ...(opts.seedDir ? { seedDir: opts.seedDir } : {}) });
    const info: SandboxInfo = {
      github: {
        url: forge.url,
        apiUrl: forge.apiUrl,
        gitUrlTemplate: `${forge.url}/{owner}/{repo}.git`,
        oidcIssuer: forge.oidc.issuer,
      },
      app: {
        appId: forge.app.appId,
        slug: forge.app.slug,
        privateKeyPath: forge.app.privateKeyPath,
        installationId: forge.app.installationId,
        org: seed.org,
      },
      repos: seed.repos.map((r) => `${seed.org}/${r}`),
      users: seed.users,
      installationToken: forge.tokenForInstallation(),
      ...(llm
        ? {
            llm: {
              url: llm.url,
              openaiBaseUrl: llm.openaiBaseUrl,
              anthropicBaseUrl: llm.anthropicBaseUrl,
              apiKeys: llm.apiKeys,
            },
          }
        : {}),
    };
    writeFileSync(infoPath, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
    return {
      forge,
      llm,
      info,
      infoPath,
      stop: async () => {
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** Delete a sandbox state directory; refuses anything that does not look like one. */
export function resetSandbox(stateDir = DEFAULT_SANDBOX_DIR): boolean {
  const dir = resolve(stateDir);
  if (!existsSync(dir)) return false;
  if (!existsSync(join(dir, 'sandbox.json')) && !existsSync(join(dir, 'forge', 'state.json'))) {
    throw new AutocodeError(ErrorCodes.UNSAFE_PATH, `${dir} does not look like a sandbox state directory`, {
      hint: 'pass the --state-dir used with `autocode sandbox up` (it holds sandbox.json)',
    });
  }
  rmSync(dir, { recursive: true, force: true });
  return true;
}
