/**
 * The PWA for the local stack: built with the app's own Vite config when its sources changed since the last
 * build (a stamp over names, sizes and mtimes of the inputs), then copied into the site the Worker serves and
 * configured for this stack (`config.json`: identity provider, VAPID key; `_headers`: the strict CSP) by the
 * app's own `configureSite`. A failed rebuild falls back to the previous build with a warning.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
// @ts-expect-error configure.mjs is plain JavaScript (the PWA's deploy-time configuration)
import { configureSite } from '../../../mobile/pwa/scripts/configure.mjs';

export interface SiteConfig {
  issuer: string;
  clientId: string;
  audience?: string;
  rolesClaim?: string;
  vapidPublicKey?: string;
  environment: string;
}

const INPUTS = ['src', 'public', 'plugins', 'index.html', 'vite.config.ts', 'package.json'];

function walk(path: string, out: string[]): void {
  if (!existsSync(path)) return;
  const st = statSync(path);
  if (!st.isDirectory()) {
    out.push(`${path}:${st.size}:${Math.floor(st.mtimeMs)}`);
    return;
  }
  for (const name of readdirSync(path).sort()) walk(join(path, name), out);
}

/** Changes whenever an input of the build changes (the app's sources and the prompt templates it embeds). */
export function sourceStamp(root: string): string {
  const app = join(root, 'mobile/pwa');
  const files: string[] = [];
  for (const input of INPUTS) walk(join(app, input), files);
  walk(join(root, 'prompts'), files);
  return createHash('sha256').update(files.join('\n')).digest('hex');
}

function viteBuild(appDir: string, outDir: string): Promise<void> {
  const vite = join(
    dirname(createRequire(join(appDir, 'package.json')).resolve('vite/package.json')),
    'bin/vite.js',
  );
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [vite, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'],
      {
        cwd: appDir,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(out.trim().slice(-2000)))));
  });
}

/** The built app in `buildDir`, rebuilt when stale; returns whether it was rebuilt now. */
export async function ensurePwaBuild(
  root: string,
  buildDir: string,
  log: (l: string) => void,
): Promise<boolean> {
  const stamp = sourceStamp(root);
  const stampFile = join(buildDir, '.autocode-build');
  const built = existsSync(join(buildDir, 'index.html'));
  if (built && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return false;
  log(built ? 'PWA sources changed: rebuilding the app…' : 'building the app (first start only)…');
  // Build beside the old one, then swap: a concurrent reader never sees half a build.
  const next = `${buildDir}.next-${process.pid}`;
  try {
    await viteBuild(join(root, 'mobile/pwa'), next);
  } catch (err) {
    rmSync(next, { recursive: true, force: true });
    if (built) {
      log(`warning: the PWA build failed; serving the previous build\n${(err as Error).message}`);
      return false;
    }
    throw new AutocodeError(ErrorCodes.INTERNAL, `the PWA build failed: ${(err as Error).message}`, {
      hint: 'run `npm run build -w @autocode/pwa` to see the error',
    });
  }
  writeFileSync(join(next, '.autocode-build'), stamp);
  rmSync(buildDir, { recursive: true, force: true });
  renameSync(next, buildDir);
  return true;
}

/** Copy the build into `siteDir` and write this stack's `config.json` and `_headers`. */
export function prepareSite(buildDir: string, siteDir: string, config: SiteConfig): void {
  rmSync(siteDir, { recursive: true, force: true });
  cpSync(buildDir, siteDir, { recursive: true, filter: (src) => !src.endsWith('.autocode-build') });
  (configureSite as (dir: string, opts: SiteConfig) => void)(siteDir, config);
}
