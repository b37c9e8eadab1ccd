/**
 * The response cache: a reply stored under the hash of its prompt, so a rerun of the same task (same repo
 * state, same command, same template) costs zero tokens. A port with two adapters: the filesystem (CLI,
 * local) here, `@actions/cache` in ../adapters/actions-cache.ts. The cache is best effort: a failing cache
 * never fails a run.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LlmCall } from './types.js';

export interface CachedReply {
  text: string;
  provider: string;
  model: string;
  createdAt: string;
}

export interface ResponseCache {
  get(key: string): Promise<CachedReply | undefined>;
  set(key: string, value: CachedReply): Promise<void>;
}

/** sha256 over what the model sees (system, messages, output allowance), as `sha256:<hex>`. */
export function promptHash(call: LlmCall): string {
  const canonical = JSON.stringify([
    call.system,
    call.messages.map((m) => [m.role, m.content]),
    call.maxOutputTokens,
  ]);
  return `sha256:${createHash('sha256').update(canonical).digest('hex')}`;
}

const fileName = (key: string) => `${key.replace(/[^a-z0-9]/gi, '_')}.json`;

export class FsResponseCache implements ResponseCache {
  constructor(private readonly dir: string) {}

  async get(key: string): Promise<CachedReply | undefined> {
    try {
      const value = JSON.parse(readFileSync(join(this.dir, fileName(key)), 'utf8')) as CachedReply;
      return typeof value.text === 'string' ? value : undefined;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: CachedReply): Promise<void> {
    mkdirSync(this.dir, { recursive: true });
    const file = join(this.dir, fileName(key));
    // Write then rename: a concurrent reader never sees half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify(value));
    renameSync(`${file}.tmp`, file);
  }
}

export const noCache: ResponseCache = { get: async () => undefined, set: async () => undefined };
