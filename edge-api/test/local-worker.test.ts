import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLocalWorker } from '../src/dev/local-worker.js';

const dir = mkdtempSync(join(tmpdir(), 'edge-persist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bindings = { ENVIRONMENT: 'test', OIDC_ISSUER: 'http://127.0.0.1:9', OIDC_AUDIENCE: 'x' };

describe('the Worker on a persisted local D1', () => {
  it('applies each migration once and keeps rows across restarts', async () => {
    const first = await startLocalWorker({
      bindings,
      d1Persist: join(dir, 'd1'),
      kvPersist: join(dir, 'kv'),
    });
    try {
      expect(first.migrationsApplied).toEqual(['0001_init.sql', '0002_push_roles.sql']);
      const db = await first.db();
      await db.prepare("INSERT INTO settings (key, value, updated_at) VALUES ('kept', 1, 0)").run();
      expect((await fetch(`${first.url}/health`)).status).toBe(200);
    } finally {
      await first.close();
    }
    const second = await startLocalWorker({
      bindings,
      d1Persist: join(dir, 'd1'),
      kvPersist: join(dir, 'kv'),
    });
    try {
      expect(second.migrationsApplied).toEqual([]);
      const row = await (await second.db()).prepare("SELECT value FROM settings WHERE key = 'kept'").first();
      expect(row).toEqual({ value: 1 });
    } finally {
      await second.close();
    }
  });
});
