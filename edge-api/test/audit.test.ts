import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { entryLeafHash, toHex, verifyAuditExport } from '../src/audit/index.js';
import type { AuditExport, Checkpoint, Ed25519PublicJwk, ExportedEntry } from '../src/audit/index.js';
import { eventually, REPO, startHarness } from './harness.js';
import type { Harness } from './harness.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
let h: Harness;
let exported: AuditExport;
let checkpoint: Checkpoint;
let publicKey: Ed25519PublicJwk;

beforeAll(async () => {
  h = await startHarness();
  const member = await h.user('member');
  for (let i = 0; i < 4; i++) {
    await h.request('POST', '/v1/commands', {
      token: member,
      json: { repo: REPO, command: 'sync' },
      headers: { 'x-device-id': 'phone-1' },
    });
  }
  await h.request('POST', '/v1/killswitch', {
    token: await h.user('admin'),
    json: { reason: 'drill', duration_minutes: 1 },
  });
  await h.request('POST', '/v1/killswitch', {
    token: await h.user('admin'),
    json: { active: false, reason: 'drill over' },
  });
  await eventually(async () => {
    const row = await h.db
      .prepare(`SELECT COUNT(*) AS n FROM outbox WHERE state != 'sent'`)
      .first<{ n: number }>();
    return row?.n === 0;
  });
  const admin = await h.user('admin');
  expect((await h.request('POST', '/v1/audit/checkpoint', { token: admin })).status).toBe(201);
  exported = (await h.request('GET', '/v1/audit', { token: admin })).body as unknown as AuditExport;
  checkpoint = (await h.request('GET', '/v1/audit/checkpoint', { token: member }))
    .body as unknown as Checkpoint;
  publicKey = (await h.request('GET', '/v1/audit/public-key')).body as unknown as Ed25519PublicJwk;
});
afterAll(async () => h?.close());

const clone = (): ExportedEntry[] => structuredClone(exported.entries);
const verify = (entries: ExportedEntry[], cps: Checkpoint[] = [checkpoint], key = publicKey) =>
  verifyAuditExport({ entries }, cps, key);
const kinds = async (entries: ExportedEntry[], cps?: Checkpoint[]) =>
  (await verify(entries, cps)).problems.map((p) => p.kind);

describe('audit log', () => {
  it('exports entries with the seed fields and encrypted PII, covered by a signed checkpoint', async () => {
    expect(exported.entries.length).toBeGreaterThanOrEqual(6);
    expect(checkpoint.tree_size).toBe(exported.entries.length);
    const submit = exported.entries.find((e) => e.entry.action === 'submit_command')?.entry ?? {};
    expect(submit).toMatchObject({
      action: 'submit_command',
      resource_type: 'job',
      success: true,
      error_message: null,
    });
    expect(typeof submit.trace_id).toBe('string');
    expect(String(submit.user_id)).toMatch(/^aesgcm:/);
    expect(String(submit.device_id)).toMatch(/^aesgcm:/);
    expect(JSON.stringify(exported)).not.toContain('dev-member');
    expect(JSON.stringify(exported)).not.toContain('phone-1');
    const result = await verify(clone());
    expect(result).toMatchObject({ ok: true, anchored: checkpoint.tree_size });
  });

  it('detects an edited entry, even when the attacker recomputes its leaf hash', async () => {
    const edited = clone();
    (edited[2] as ExportedEntry).entry.success = false;
    expect(await kinds(edited)).toContain('edit');
    (edited[2] as ExportedEntry).leaf_hash = toHex(await entryLeafHash((edited[2] as ExportedEntry).entry));
    expect((await verify(edited)).ok).toBe(false);
    expect(await kinds(edited)).toEqual(['edit']);
  });

  it('detects a deleted entry, with or without renumbering', async () => {
    const deleted = clone();
    deleted.splice(3, 1);
    expect(await kinds(deleted)).toContain('deletion');
    const renumbered = deleted.map((e, i) => ({ ...e, seq: i + 1 }));
    expect(await kinds(renumbered)).toContain('truncation');
  });

  it('detects reordering, with or without swapped sequence numbers', async () => {
    const swapped = clone();
    [swapped[1], swapped[2]] = [swapped[2] as ExportedEntry, swapped[1] as ExportedEntry];
    expect(await kinds(swapped)).toContain('reorder');
    const resequenced = swapped.map((e, i) => ({ ...e, seq: i + 1 }));
    expect((await verify(resequenced)).ok).toBe(false);
  });

  it('detects truncation', async () => {
    expect(await kinds(clone().slice(0, -1))).toContain('truncation');
  });

  it('detects a forged checkpoint and a wrong key', async () => {
    const forged = { ...checkpoint, root_hash: '00'.repeat(32) };
    expect(await kinds(clone(), [forged])).toEqual(['signature']);
    const other = { ...publicKey, x: 'A'.repeat(43) };
    expect((await verify(clone(), [checkpoint], other)).problems.map((p) => p.kind)).toContain('signature');
  });

  it('entries appended after the checkpoint verify as not yet anchored', async () => {
    await h.request('POST', '/v1/commands', {
      token: await h.user('member'),
      json: { repo: REPO, command: 'sync' },
    });
    const more = (await h.request('GET', '/v1/audit', { token: await h.user('admin') }))
      .body as unknown as AuditExport;
    const result = await verify(more.entries);
    expect(result.ok).toBe(true);
    expect(result.entries).toBeGreaterThan(result.anchored);
  });

  it('`autocode audit verify` passes the export and fails a tampered one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'audit-'));
    const files = {
      export: join(dir, 'export.json'),
      checkpoint: join(dir, 'cp.json'),
      key: join(dir, 'key.json'),
    };
    writeFileSync(files.export, JSON.stringify(exported));
    writeFileSync(files.checkpoint, JSON.stringify(checkpoint));
    writeFileSync(files.key, JSON.stringify(publicKey));
    const run = () =>
      spawnSync(
        process.execPath,
        [
          'cli/bin/autocode.js',
          'audit',
          'verify',
          '--export',
          files.export,
          '--checkpoint',
          files.checkpoint,
          '--public-key',
          files.key,
        ],
        { cwd: root, encoding: 'utf8' },
      );
    const ok = run();
    expect(ok.stdout).toContain('audit log verified');
    expect(ok.status).toBe(0);
    const tampered = clone();
    tampered.pop();
    writeFileSync(files.export, JSON.stringify({ entries: tampered }));
    const bad = run();
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('truncation');
  });
});
