/**
 * Seeds a forge with the sandbox org: the repositories under `sandbox/seed/<repo>/` (one initial commit each,
 * executable bits kept), the teams `.sync-config.yaml` names as reviewers, and two human users. Idempotent:
 * what already exists is left alone, so a restart on kept state changes nothing.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SeedFile } from './admin.js';
import type { Forge } from './index.js';

export const DEFAULT_SEED_DIR = fileURLToPath(new URL('../../seed/', import.meta.url));

export interface SeedResult {
  org: string;
  repos: string[];
  users: { login: string; token: string }[];
}

function readTree(root: string, dir = root, out: Record<string, SeedFile> = {}): Record<string, SeedFile> {
  for (const name of readdirSync(dir)) {
    if (name === '__pycache__' || name === 'node_modules') continue;
    const path = join(dir, name);
    const stat = statSync(path);
    if (stat.isDirectory()) readTree(root, path, out);
    else
      out[relative(root, path)] = {
        content: readFileSync(path),
        mode: stat.mode & 0o111 ? '100755' : '100644',
      };
  }
  return out;
}

export async function seedSandbox(
  forge: Forge,
  opts: { seedDir?: string; org?: string } = {},
): Promise<SeedResult> {
  const seedDir = opts.seedDir ?? DEFAULT_SEED_DIR;
  const org = opts.org ?? 'acme';
  const repos = readdirSync(seedDir).filter((name) => statSync(join(seedDir, name)).isDirectory());
  for (const name of repos) {
    if (forge.state.repos[`${org}/${name}`.toLowerCase()]) continue;
    await forge.createRepo(org, name, {
      files: readTree(join(seedDir, name)),
      message: `Initial commit of ${name}`,
      description: `${name} (autocode sandbox seed)`,
    });
  }
  const users = [
    forge.createUser('dev', { name: 'Dana Developer', email: 'dev@acme.example' }),
    forge.createUser('ops', { name: 'Olu Operator', email: 'ops@acme.example' }),
  ];
  forge.createTeam(org, 'mvp-team', ['dev']);
  forge.createTeam(org, 'infra', ['ops']);
  forge.createTeam(org, 'security', ['ops']);
  return { org, repos, users: users.map((u) => ({ login: u.login, token: u.token })) };
}
