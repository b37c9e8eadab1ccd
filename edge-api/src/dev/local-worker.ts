/**
 * The Worker on this machine: bundled from `src/` with esbuild (what wrangler deploys), run in workerd through
 * Miniflare with a local D1 (migrations applied idempotently) and KV, optionally persisted in a folder so a
 * restart keeps every job, approval and audit entry, optionally serving a built site as static assets from the
 * same origin, and with the cron trigger fired on an interval as Cloudflare would. Used by the tests' harness,
 * the benchmarks and `autocode up`.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Miniflare } from 'miniflare';
import type { MiniflareOptions } from 'miniflare';
// @ts-expect-error build.mjs is plain JavaScript
import { buildWorker } from '../../build.mjs';
import { applyMigrations } from './migrations.js';

export type LocalD1 = Awaited<ReturnType<Miniflare['getD1Database']>>;

export interface LocalWorkerOptions {
  /** Vars and secrets (names as in wrangler.toml and the README). */
  bindings: Record<string, string>;
  /** Where local D1 keeps its SQLite files (default: Miniflare's temporary storage). */
  d1Persist?: string;
  /** Where local KV keeps its data (default: in memory). */
  kvPersist?: string;
  /** A built site served as Workers static assets (its `_headers` apply); unmatched paths reach the Worker. */
  assetsDir?: string;
  /** Where the bundle is written (default: a temporary directory, removed on close). */
  buildDir?: string;
  host?: string;
  /** 0 = any free port. */
  port?: number;
  /** Fire the `scheduled` handler this often (Cloudflare's `* * * * *` cron is 60 000); 0 = never. */
  cronIntervalMs?: number;
  /** Answer the Worker's outbound `fetch` in Node (tests: stand-ins for hosts such as push services). */
  outboundService?: MiniflareOptions['outboundService'];
}

export interface LocalWorker {
  mf: Miniflare;
  /** Origin without a trailing slash, e.g. http://127.0.0.1:8787 */
  url: string;
  db(): Promise<LocalD1>;
  /** Migrations applied by this start (empty when the persisted database was up to date). */
  migrationsApplied: string[];
  scheduled(): Promise<void>;
  close(): Promise<void>;
}

export async function startLocalWorker(opts: LocalWorkerOptions): Promise<LocalWorker> {
  const temp = opts.buildDir ? undefined : mkdtempSync(join(tmpdir(), 'edge-worker-'));
  const out = opts.buildDir ?? temp!;
  mkdirSync(out, { recursive: true });
  const scriptPath = (await buildWorker(join(out, 'worker.js'))) as string;
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    modulesRoot: dirname(scriptPath),
    // The policy bundle is imported as a precompiled wasm module (workerd refuses to compile wasm at run time).
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    d1Databases: ['DB'],
    kvNamespaces: ['CACHE'],
    ...(opts.d1Persist ? { d1Persist: opts.d1Persist } : {}),
    ...(opts.kvPersist ? { kvPersist: opts.kvPersist } : {}),
    ...(opts.assetsDir
      ? { assets: { directory: opts.assetsDir, routerConfig: { has_user_worker: true } } }
      : {}),
    bindings: opts.bindings,
    ...(opts.outboundService ? { outboundService: opts.outboundService } : {}),
    host: opts.host ?? '127.0.0.1',
    port: opts.port ?? 0,
  });
  try {
    const url = (await mf.ready).toString().replace(/\/$/, '');
    const migrationsApplied = await applyMigrations(await mf.getD1Database('DB'));
    const scheduled = async () => {
      await (await mf.getWorker()).scheduled({ cron: '* * * * *' });
    };
    const timer =
      opts.cronIntervalMs && opts.cronIntervalMs > 0
        ? setInterval(() => void scheduled().catch(() => {}), opts.cronIntervalMs)
        : undefined;
    timer?.unref();
    return {
      mf,
      url,
      db: () => mf.getD1Database('DB'),
      migrationsApplied,
      scheduled,
      async close() {
        if (timer) clearInterval(timer);
        await mf.dispose();
        if (temp) rmSync(temp, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await mf.dispose();
    if (temp) rmSync(temp, { recursive: true, force: true });
    throw err;
  }
}
