/** Collaborators of the rotation core, built by main.ts (GitHub, Cloudflare, edge) or by tests. */
import type { AuditEvent, Reporter } from '@autocode/toolkit';
import type { RandomGenerator, SecretSpec, VerifySpec } from './plan.js';

/** One place a secret value lives. Writes are idempotent: writing the same value twice converges. */
export interface SecretStore {
  readonly describe: string;
  /** Whether the store keeps the old value beside the new one during the grace period. */
  readonly hasPreviousSlot: boolean;
  /** Write the new value; `previous` (when given) goes to the previous slot in the same update. */
  write(value: string, previous: string | undefined): Promise<void>;
  /** Check the store reports the secret as present and updated (values cannot be read back). */
  verify(writtenAt: Date): Promise<void>;
  /** Drop the previous slot after the grace period. */
  revokePrevious(): Promise<void>;
}

export interface IssueTracker {
  /** Open an issue identified by `key` unless one is open already. */
  ensureOpen(key: string, title: string, body: string): Promise<'created' | 'exists'>;
  /** Close the open issue for `key`, if any. */
  close(key: string, comment: string): Promise<boolean>;
}

export interface RotationDeps {
  stores(spec: SecretSpec): SecretStore[];
  /** Proves a value works end to end (e.g. a signed ping the edge must accept). */
  verify(check: VerifySpec, value: string): Promise<void>;
  generate(generator: RandomGenerator): string;
  /** The kill-switch check: throws KILL_SWITCH_ACTIVE. Called before every write. */
  guard(): Promise<void>;
  audit(event: AuditEvent): Promise<void>;
  env(name: string): string | undefined;
  issues: IssueTracker | undefined;
  now(): Date;
  reporter: Reporter;
}
