/**
 * What the local stack runs on, from `autocode.yaml` (optional) and the environment: real GitHub App
 * credentials (then no forge and no local runner), a real identity provider (then the development sign-in is
 * refused), and the LLM providers codegen may use (their API keys from the variables they name).
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  AutocodeError,
  ErrorCodes,
  autocodeConfigSchema,
  parseAutocodeConfig,
  parseConfig,
} from '@autocode/toolkit';
import type { AutocodeConfig, LlmProviderConfig } from '@autocode/toolkit';

export type LlmChoice = 'config' | 'sandbox' | 'none';

export interface RealGitHub {
  apiUrl: string;
  appId: string;
  privateKey: string;
  installationId: number;
}

export interface RealIdentity {
  issuer: string;
  clientId: string;
  audience: string;
  rolesClaim: string;
  jwksUrl?: string;
}

export interface StackConfig {
  file?: string;
  github?: RealGitHub;
  identity?: RealIdentity;
  /** Providers from configuration (empty when none); `--llm sandbox` replaces them at start. */
  providers: LlmProviderConfig[];
  /** API keys the providers name, by variable name (passed to workflows as secrets). */
  keys: Record<string, string>;
}

const DEFAULT_KEY_ENV: Record<string, string | undefined> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
};

export function providerKeys(providers: LlmProviderConfig[], env: NodeJS.ProcessEnv): Record<string, string> {
  const keys: Record<string, string> = {};
  for (const p of providers) {
    const name = p.api_key_env ?? DEFAULT_KEY_ENV[p.kind];
    if (name && env[name]) keys[name] = env[name];
  }
  return keys;
}

function realGitHub(cfg: AutocodeConfig, dir: string): RealGitHub | undefined {
  const gh = cfg.github;
  if (!gh?.app_id || !gh.private_key_file) return undefined;
  if (!gh.installation_id) {
    throw new AutocodeError(
      ErrorCodes.CONFIG_INVALID,
      'autocode.yaml: github.installation_id is required with app_id',
      {
        hint: 'the edge API dispatches with the App installation on your organization',
      },
    );
  }
  const keyFile = resolve(dir, gh.private_key_file);
  if (!existsSync(keyFile)) {
    throw new AutocodeError(
      ErrorCodes.CONFIG_INVALID,
      `autocode.yaml: github.private_key_file ${keyFile} does not exist`,
    );
  }
  return {
    apiUrl: gh.api_url ?? 'https://api.github.com',
    appId: String(gh.app_id),
    privateKey: readFileSync(keyFile, 'utf8'),
    installationId: gh.installation_id,
  };
}

/** A real OpenID provider is configured with the Worker's own variable names (OIDC_ISSUER, …). */
function realIdentity(env: NodeJS.ProcessEnv): RealIdentity | undefined {
  if (!env.OIDC_ISSUER) return undefined;
  return {
    issuer: env.OIDC_ISSUER,
    clientId: env.OIDC_CLIENT_ID ?? 'autocode-app',
    audience: env.OIDC_AUDIENCE ?? 'autocode-app',
    rolesClaim: env.OIDC_ROLES_CLAIM ?? 'autocode_roles',
    ...(env.OIDC_JWKS_URL ? { jwksUrl: env.OIDC_JWKS_URL } : {}),
  };
}

export function loadStackConfig(configFile: string | undefined, env: NodeJS.ProcessEnv): StackConfig {
  const file = configFile && existsSync(configFile) ? configFile : undefined;
  const cfg = file ? parseAutocodeConfig(readFileSync(file, 'utf8'), file) : {};
  let providers = cfg.llm?.providers ?? [];
  if (providers.length === 0 && env.AUTOCODE_LLM_PROVIDERS) {
    const schema = { ...autocodeConfigSchema.properties.llm.properties.providers, minItems: 1 };
    providers = parseConfig<LlmProviderConfig[]>(
      env.AUTOCODE_LLM_PROVIDERS,
      'AUTOCODE_LLM_PROVIDERS',
      schema,
    );
  }
  const github = file ? realGitHub(cfg, resolve(file, '..')) : undefined;
  const identity = realIdentity(env);
  return {
    ...(file ? { file } : {}),
    ...(github ? { github } : {}),
    ...(identity ? { identity } : {}),
    providers,
    keys: providerKeys(providers, env),
  };
}
