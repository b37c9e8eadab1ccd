/**
 * Apply `migrations/*.sql` to a local D1 the way `wrangler d1 migrations apply` does: in name order, each file
 * once, recorded in wrangler's own `d1_migrations` table, so a persisted database is migrated idempotently on
 * every start. D1's exec() splits on newlines, so statements are split here and each file runs as one batch
 * (atomic: a failing file leaves no half-applied schema and is not recorded).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));

/** The part of D1's binding this needs (Miniflare's `getD1Database()` and a Worker's `env.DB` both fit). */
export interface MigratableD1 {
  prepare(sql: string): { bind(...values: unknown[]): unknown; all(): Promise<{ results: unknown[] }> };
  batch(statements: unknown[]): Promise<unknown>;
}

const TRACKING = `CREATE TABLE IF NOT EXISTS d1_migrations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  name TEXT UNIQUE,
  applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
)`;

/** Statements of one migration file (comment lines dropped; `;` at a line end separates). */
export function splitStatements(sql: string): string[] {
  return sql
    .split('\n')
    .filter((l) => !l.trim().startsWith('--'))
    .join('\n')
    .split(/;\s*(?:\n|$)/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** Apply the migrations not yet recorded; returns the names applied now. */
export async function applyMigrations(db: MigratableD1, dir = MIGRATIONS_DIR): Promise<string[]> {
  await db.batch([db.prepare(TRACKING)]);
  const { results } = await db.prepare('SELECT name FROM d1_migrations').all();
  const done = new Set((results as { name: string }[]).map((r) => r.name));
  const applied: string[] = [];
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    if (done.has(file)) continue;
    const statements = splitStatements(readFileSync(`${dir}/${file}`, 'utf8')).map((s) => db.prepare(s));
    await db.batch([...statements, db.prepare('INSERT INTO d1_migrations (name) VALUES (?)').bind(file)]);
    applied.push(file);
  }
  return applied;
}
