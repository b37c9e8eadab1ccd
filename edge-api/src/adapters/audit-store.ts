/**
 * The Merkle audit log in D1. Entries follow the seed's log schema; PII fields are encrypted before the entry
 * is canonicalised and hashed, so the exported log verifies without revealing identities. Appends return a
 * prepared statement so a state change and its audit entry commit in one atomic batch.
 */
import type { Env } from '../env.js';
import {
  canonicalJson,
  encryptField,
  entryLeafHash,
  importPiiKey,
  importSigningKey,
  keyIdOf,
  merkleRoot,
  PII_FIELDS,
  signCheckpoint,
  fromHex,
  toHex,
} from '../audit/index.js';
import type { Checkpoint, Ed25519PublicJwk, Jwk, WebCryptoKey } from '../audit/index.js';

export interface AuditInput {
  action: string;
  resource_type: string;
  resource_id: string;
  success: boolean;
  action_id?: string;
  error_message?: string | null;
  user_id?: string;
  device_id?: string;
  ip_address?: string;
  user_agent?: string;
  llm_provider?: string;
  llm_model?: string;
  prompt_hash?: string;
  tokens_used?: number;
  cost_estimate_usd?: number;
  duration_ms?: number;
  commit_sha?: string;
  pr_url?: string;
  details?: Record<string, unknown>;
}

export const AUDIT_ORIGIN = 'autocode-edge/audit';

/** Imported keys per secret value, for the isolate's lifetime (importKey on every request is wasted work). */
const piiKeys = new Map<string, Promise<WebCryptoKey>>();

export class AuditLog {
  constructor(
    private readonly env: Env,
    private readonly now: () => number,
  ) {}

  /** Build the stored entry: timestamp, trace id, encrypted PII, absent fields omitted. */
  async entry(input: AuditInput): Promise<Record<string, unknown>> {
    const secret = this.env.AUDIT_ENCRYPTION_KEY;
    if (!piiKeys.has(secret)) piiKeys.set(secret, importPiiKey(secret));
    const key = await (piiKeys.get(secret) as Promise<WebCryptoKey>);
    const entry: Record<string, unknown> = {
      timestamp: new Date(this.now()).toISOString(),
      trace_id: crypto.randomUUID(),
      action_id: input.action_id ?? input.action,
      error_message: input.error_message ?? null,
    };
    for (const [k, v] of Object.entries(input)) {
      if (v === undefined || k === 'action_id' || k === 'error_message') continue;
      entry[k] = (PII_FIELDS as readonly string[]).includes(k) ? await encryptField(key, k, String(v)) : v;
    }
    return entry;
  }

  /** Prepared INSERT; `when` (SQL + params) makes the append conditional on the batch's earlier effects. */
  async statement(
    input: AuditInput,
    when?: { sql: string; params: unknown[] },
  ): Promise<D1PreparedStatement> {
    const entry = await this.entry(input);
    const text = canonicalJson(entry);
    const leaf = toHex(await entryLeafHash(entry));
    if (!when)
      return this.env.DB.prepare('INSERT INTO audit_log (entry, leaf_hash) VALUES (?, ?)').bind(text, leaf);
    return this.env.DB.prepare(`INSERT INTO audit_log (entry, leaf_hash) SELECT ?, ? WHERE ${when.sql}`).bind(
      text,
      leaf,
      ...when.params,
    );
  }

  async append(input: AuditInput): Promise<void> {
    await (await this.statement(input)).run();
  }

  async export(from: number, limit: number): Promise<{ seq: number; leaf_hash: string; entry: unknown }[]> {
    const { results } = await this.env.DB.prepare(
      'SELECT seq, entry, leaf_hash FROM audit_log WHERE seq >= ? ORDER BY seq LIMIT ?',
    )
      .bind(from, limit)
      .all<{ seq: number; entry: string; leaf_hash: string }>();
    return results.map((r) => ({
      seq: r.seq,
      leaf_hash: r.leaf_hash,
      entry: JSON.parse(r.entry) as unknown,
    }));
  }

  publicKey(): Ed25519PublicJwk {
    const { kty, crv, x } = JSON.parse(this.env.AUDIT_SIGNING_KEY) as Ed25519PublicJwk;
    return { kty, crv, x };
  }

  /** Sign a checkpoint over every entry appended so far (no-op when the latest one is current). */
  async checkpoint(): Promise<Checkpoint | undefined> {
    const { results } = await this.env.DB.prepare('SELECT leaf_hash FROM audit_log ORDER BY seq').all<{
      leaf_hash: string;
    }>();
    const latest = await this.latest();
    if (latest && latest.tree_size >= results.length) return latest;
    if (results.length === 0) return undefined;
    const root = await merkleRoot(results.map((r) => fromHex(r.leaf_hash)));
    const jwk = JSON.parse(this.env.AUDIT_SIGNING_KEY) as Jwk;
    const cp = await signCheckpoint(
      {
        origin: AUDIT_ORIGIN,
        tree_size: results.length,
        root_hash: toHex(root),
        timestamp: new Date(this.now()).toISOString(),
        key_id: keyIdOf(jwk),
      },
      await importSigningKey(jwk),
    );
    await this.env.DB.prepare(
      'INSERT INTO audit_checkpoints (tree_size, body, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
    )
      .bind(cp.tree_size, JSON.stringify(cp), this.now())
      .run();
    return cp;
  }

  async latest(): Promise<Checkpoint | undefined> {
    const row = await this.env.DB.prepare(
      'SELECT body FROM audit_checkpoints ORDER BY tree_size DESC LIMIT 1',
    ).first<{ body: string }>();
    return row ? (JSON.parse(row.body) as Checkpoint) : undefined;
  }
}
