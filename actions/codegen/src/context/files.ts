/**
 * Which files of a repository may be offered to the model: tracked and untracked-but-not-ignored files when
 * it is a git checkout (`git ls-files`), else a walk that skips the usual vendored and generated folders.
 * Binary, huge and lock files never qualify (they burn tokens and say nothing about the change).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const SKIP_DIRS = new Set([
  '.git',
  'node_modules',
  'dist',
  'build',
  'out',
  'vendor',
  'target',
  '.venv',
  'venv',
  '__pycache__',
  'coverage',
  '.next',
  '.tools',
  '.autocode',
]);
const SKIP_FILES =
  /(?:^|\/)(?:package-lock\.json|yarn\.lock|pnpm-lock\.yaml|Cargo\.lock|poetry\.lock|go\.sum|composer\.lock)$/;
const BINARY_EXT =
  /\.(?:png|jpe?g|gif|webp|ico|bmp|pdf|zip|gz|tgz|bz2|xz|7z|jar|war|class|so|dylib|dll|exe|bin|wasm|woff2?|ttf|otf|mp[34]|mov|avi|sqlite|db|pyc|min\.js|map)$/i;

export function isCandidatePath(path: string): boolean {
  return !SKIP_FILES.test(path) && !BINARY_EXT.test(path) && !path.split('/').some((p) => SKIP_DIRS.has(p));
}

/** Repository-relative POSIX paths, sorted. */
export function listRepoFiles(root: string, maxFiles = 20_000): string[] {
  let files: string[];
  if (existsSync(join(root, '.git'))) {
    const out = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    files = out.split('\0').filter(Boolean);
  } else {
    files = [];
    const walk = (dir: string, prefix: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (files.length >= maxFiles) return;
        const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
        if (entry.isDirectory() && !SKIP_DIRS.has(entry.name)) walk(join(dir, entry.name), rel);
        else if (entry.isFile()) files.push(rel);
      }
    };
    walk(root, '');
  }
  return [...new Set(files)].filter(isCandidatePath).sort().slice(0, maxFiles);
}
