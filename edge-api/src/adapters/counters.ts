/** Monotonic counters for /metrics (policy denials, webhook deliveries, outbox failures), atomic in D1. */
export function bumpStatement(db: D1Database, name: string, label = '', by = 1): D1PreparedStatement {
  return db
    .prepare(
      'INSERT INTO counters (name, label, value) VALUES (?, ?, ?) ON CONFLICT (name, label) DO UPDATE SET value = value + excluded.value',
    )
    .bind(name, label, by);
}

export async function bump(db: D1Database, name: string, label = '', by = 1): Promise<void> {
  await bumpStatement(db, name, label, by).run();
}
