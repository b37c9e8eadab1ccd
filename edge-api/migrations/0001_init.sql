-- autocode edge API schema. D1 is the system of record: every row here is strongly consistent.
-- Read-then-write happens in single statements (INSERT … ON CONFLICT, UPDATE … RETURNING) because D1 rejects
-- BEGIN; multi-statement atomicity comes from batch().

CREATE TABLE jobs (
  id TEXT PRIMARY KEY,
  requested_by TEXT NOT NULL,
  device_id TEXT,
  repo TEXT NOT NULL,
  command TEXT NOT NULL,
  body TEXT NOT NULL,
  state TEXT NOT NULL DEFAULT 'queued',
  message TEXT,
  pr_number INTEGER,
  pr_url TEXT,
  run_url TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX jobs_requested_by ON jobs (requested_by, created_at);
CREATE INDEX jobs_pr ON jobs (repo, pr_number);

CREATE TABLE idempotency_keys (
  user_id TEXT NOT NULL,
  key TEXT NOT NULL,
  body_hash TEXT NOT NULL,
  job_id TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (user_id, key)
);

-- Outbox: one row per side effect that must happen exactly once (repository_dispatch, alerts).
CREATE TABLE outbox (
  id TEXT PRIMARY KEY,
  kind TEXT NOT NULL,
  target TEXT NOT NULL,
  payload TEXT NOT NULL,
  job_id TEXT,
  state TEXT NOT NULL DEFAULT 'pending',
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  lease_until INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  created_at INTEGER NOT NULL,
  sent_at INTEGER
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at);

CREATE TABLE rate_limits (
  bucket TEXT PRIMARY KEY,
  window_start INTEGER NOT NULL,
  count INTEGER NOT NULL
);

-- Single row (id = 1): the kill switch is read from D1 on every command, never from KV.
CREATE TABLE kill_switch (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  active INTEGER NOT NULL DEFAULT 0,
  reason TEXT,
  tripped_by TEXT,
  tripped_at INTEGER,
  expires_at INTEGER,
  -- Unique per trip, so side effects (dispatches, alert) are enqueued only by the request that tripped it.
  trip_id TEXT
);
INSERT INTO kill_switch (id, active) VALUES (1, 0);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value REAL NOT NULL,
  updated_at INTEGER NOT NULL
);

CREATE TABLE spend_daily (
  day TEXT PRIMARY KEY,
  input_tokens INTEGER NOT NULL DEFAULT 0,
  output_tokens INTEGER NOT NULL DEFAULT 0,
  cost_usd REAL NOT NULL DEFAULT 0
);

CREATE TABLE counters (
  name TEXT NOT NULL,
  label TEXT NOT NULL DEFAULT '',
  value INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (name, label)
);

CREATE TABLE webhook_deliveries (
  id TEXT PRIMARY KEY,
  event TEXT NOT NULL,
  received_at INTEGER NOT NULL
);

CREATE TABLE prs (
  id INTEGER PRIMARY KEY,
  repo TEXT NOT NULL,
  number INTEGER NOT NULL,
  title TEXT NOT NULL,
  author TEXT,
  head_sha TEXT NOT NULL,
  state TEXT NOT NULL,
  html_url TEXT,
  job_id TEXT,
  review_state TEXT,
  checks TEXT,
  updated_at INTEGER NOT NULL,
  UNIQUE (repo, number)
);

CREATE TABLE webauthn_credentials (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  public_key TEXT NOT NULL,
  counter INTEGER NOT NULL,
  transports TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX webauthn_credentials_user ON webauthn_credentials (user_id);

-- Single-use challenges; approval challenges are bound to (repo, PR, head SHA, decision).
CREATE TABLE webauthn_challenges (
  challenge TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  purpose TEXT NOT NULL,
  binding TEXT NOT NULL DEFAULT '',
  expires_at INTEGER NOT NULL,
  used_at INTEGER
);

CREATE TABLE approvals (
  id TEXT PRIMARY KEY,
  repo TEXT NOT NULL,
  pr_number INTEGER NOT NULL,
  head_sha TEXT NOT NULL,
  decision TEXT NOT NULL,
  approver TEXT NOT NULL,
  review_id INTEGER,
  created_at INTEGER NOT NULL
);

CREATE TABLE billing_proposals (
  id TEXT PRIMARY KEY,
  setting TEXT NOT NULL,
  value REAL NOT NULL,
  reason TEXT NOT NULL,
  proposed_by TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'pending',
  apply_token TEXT,
  created_at INTEGER NOT NULL,
  applied_at INTEGER
);

CREATE TABLE billing_approvals (
  proposal_id TEXT NOT NULL,
  admin TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (proposal_id, admin)
);

CREATE TABLE push_subscriptions (
  endpoint TEXT PRIMARY KEY,
  user_id TEXT NOT NULL,
  p256dh TEXT NOT NULL,
  auth TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

CREATE TABLE notifications (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  user_id TEXT,
  kind TEXT NOT NULL,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);

-- Append-only Merkle log: seq orders the leaves; entry is the RFC 8785 canonical JSON that leaf_hash covers.
CREATE TABLE audit_log (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  entry TEXT NOT NULL,
  leaf_hash TEXT NOT NULL
);

CREATE TABLE audit_checkpoints (
  tree_size INTEGER PRIMARY KEY,
  body TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
