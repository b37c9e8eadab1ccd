/**
 * Path confinement for model-proposed edits: a path is repository-relative, POSIX, with no `..`, no absolute
 * or drive prefix, no `.git` component (hooks and config there run code), no NUL, and it may not reach
 * through a symlink — an existing symlink component that resolves outside the repository, or a symlink as
 * the file itself (writing would change its target), is refused. Every refusal is UNSAFE_PATH.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { join, relative, isAbsolute, sep } from 'node:path';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';

function unsafe(path: string, why: string): AutocodeError {
  return new AutocodeError(ErrorCodes.UNSAFE_PATH, `refused path "${path}": ${why}`, {
    hint: 'edits may only touch files inside the repository, outside .git/',
    details: { path },
  });
}

/** Validate and normalise a repository-relative path ("./src//a.ts" → "src/a.ts"). Throws UNSAFE_PATH. */
export function confinePath(raw: string): string {
  const path = raw.trim();
  if (!path) throw unsafe(raw, 'empty path');
  if (path.includes('\0')) throw unsafe(raw, 'contains a NUL byte');
  if (path.includes('\\')) throw unsafe(raw, 'backslashes are not allowed (use / separators)');
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path) || path.startsWith('~')) {
    throw unsafe(raw, 'absolute paths are not allowed');
  }
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.length === 0) throw unsafe(raw, 'names the repository root');
  for (const p of parts) {
    if (p === '..') throw unsafe(raw, '`..` escapes the repository');
    // Case-insensitive: on case-insensitive filesystems `.GIT/hooks` is `.git/hooks`.
    if (p.toLowerCase() === '.git') throw unsafe(raw, '.git/ is off limits');
  }
  return parts.join('/');
}

/**
 * Refuse a write to `rel` under `root` when any existing component is a symlink leading outside the root,
 * or the file itself is a symlink. Call right before writing: the check and the write see the same tree.
 */
export function assertNoSymlinkEscape(root: string, rel: string): void {
  const realRoot = realpathSync(root);
  const parts = rel.split('/');
  let current = root;
  for (let i = 0; i < parts.length; i++) {
    current = join(current, parts[i]!);
    let stat;
    try {
      stat = lstatSync(current);
    } catch {
      return; // the rest does not exist yet: nothing to follow
    }
    if (!stat.isSymbolicLink()) continue;
    if (i === parts.length - 1) throw unsafe(rel, 'the file is a symlink; writing would change its target');
    const target = realpathSync(current);
    const inside = relative(realRoot, target);
    if (
      inside === '..' ||
      inside.startsWith(`..${sep}`) ||
      isAbsolute(inside) ||
      inside.split(sep)[0] === '.git'
    ) {
      throw unsafe(rel, `${parts.slice(0, i + 1).join('/')} is a symlink leading outside the repository`);
    }
  }
}
