/**
 * Notifications are recorded in D1 for the PWA to fetch (and for a Web Push sender to deliver to the user's
 * push subscriptions); recording is part of the state change's batch.
 */
export function notifyStatement(
  db: D1Database,
  userId: string | null,
  kind: string,
  body: Record<string, unknown>,
  now: number,
): D1PreparedStatement {
  return db
    .prepare('INSERT INTO notifications (user_id, kind, body, created_at) VALUES (?, ?, ?, ?)')
    .bind(userId, kind, JSON.stringify(body), now);
}
