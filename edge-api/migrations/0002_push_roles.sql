-- Web Push: the subscriber's role when they subscribed, so "approval requested" reaches approvers (and admins)
-- without asking the identity provider at send time. Roles change at the next subscribe (every sign-in).
ALTER TABLE push_subscriptions ADD COLUMN role TEXT NOT NULL DEFAULT 'member';
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);
