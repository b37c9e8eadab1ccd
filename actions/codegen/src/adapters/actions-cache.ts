/**
 * The response cache on `@actions/cache`: one cache entry per prompt hash (`autocode-llm-<hex>`), holding one
 * small JSON file. Entries are immutable, like the cache service's keys; a miss or any service error is a
 * miss, never a failure (the run just calls the model).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as cache from '@actions/cache';
import type { Logger } from '@autocode/toolkit';
import type { CachedReply, ResponseCache } from '../llm/cache.js';

export class ActionsResponseCache implements ResponseCache {
  constructor(
    private readonly dir: string,
    private readonly log: Logger,
  ) {}

  private entry(key: string) {
    const hex = key.replace(/^sha256:/, '');
    const dir = join(this.dir, hex.slice(0, 16));
    return { dir, file: join(dir, 'reply.json'), key: `autocode-llm-${hex}` };
  }

  async get(key: string): Promise<CachedReply | undefined> {
    const e = this.entry(key);
    try {
      if (!(await cache.restoreCache([e.dir], e.key))) return undefined;
      return JSON.parse(readFileSync(e.file, 'utf8')) as CachedReply;
    } catch (err) {
      this.log.debug(`LLM cache restore failed: ${(err as Error).message}`);
      return undefined;
    }
  }

  async set(key: string, value: CachedReply): Promise<void> {
    const e = this.entry(key);
    mkdirSync(e.dir, { recursive: true });
    writeFileSync(e.file, JSON.stringify(value));
    try {
      await cache.saveCache([e.dir], e.key);
    } catch (err) {
      // ReserveCacheError: another job saved the same prompt first — equally good.
      this.log.debug(`LLM cache save skipped: ${(err as Error).message}`);
    }
  }
}
