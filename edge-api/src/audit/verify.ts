/**
 * Verify an audit export against signed checkpoints. Detects, and names, each kind of tampering:
 * - signature: a checkpoint was not signed by the pinned key;
 * - reorder: sequence numbers out of order;
 * - deletion: a sequence number is missing;
 * - truncation: the export holds fewer entries than a checkpoint covers;
 * - edit: an entry's hash differs from its recorded leaf hash, or the recomputed root differs.
 * The root comparison is the proof; the other checks only say where to look.
 */
import { fromHex, toHex } from './bytes.js';
import type { Checkpoint, Ed25519PublicJwk } from './checkpoint.js';
import { importVerifyKey, verifyCheckpoint } from './checkpoint.js';
import { entryLeafHash, merkleRoot } from './merkle.js';

export interface ExportedEntry {
  seq: number;
  leaf_hash?: string;
  entry: Record<string, unknown>;
}

export interface AuditExport {
  entries: ExportedEntry[];
}

export type ProblemKind = 'signature' | 'reorder' | 'deletion' | 'truncation' | 'edit';

export interface Problem {
  kind: ProblemKind;
  message: string;
}

export interface VerifyResult {
  ok: boolean;
  problems: Problem[];
  entries: number;
  /** Largest tree size proven by a checkpoint; entries beyond it are not yet anchored. */
  anchored: number;
}

function sequenceProblems(entries: ExportedEntry[]): Problem[] {
  const problems: Problem[] = [];
  let expected = 1;
  for (let i = 0; i < entries.length; i++) {
    const seq = (entries[i] as ExportedEntry).seq;
    const prev = i > 0 ? (entries[i - 1] as ExportedEntry).seq : 0;
    if (seq <= prev) {
      problems.push({ kind: 'reorder', message: `entry ${i} has seq ${seq} after seq ${prev}` });
    } else if (seq > expected) {
      problems.push({ kind: 'deletion', message: `seq ${expected}..${seq - 1} missing before entry ${i}` });
    }
    expected = Math.max(expected, seq + 1);
  }
  return problems;
}

export async function verifyAuditExport(
  data: AuditExport,
  checkpoints: Checkpoint[],
  publicKey: Ed25519PublicJwk,
): Promise<VerifyResult> {
  const key = await importVerifyKey(publicKey);
  const entries = data.entries;
  const problems: Problem[] = sequenceProblems(entries);
  const leaves = await Promise.all(entries.map((e) => entryLeafHash(e.entry)));
  leaves.forEach((leaf, i) => {
    const recorded = (entries[i] as ExportedEntry).leaf_hash;
    if (recorded !== undefined && recorded !== toHex(leaf)) {
      problems.push({
        kind: 'edit',
        message: `entry seq ${(entries[i] as ExportedEntry).seq} does not match its leaf hash`,
      });
    }
  });
  let anchored = 0;
  for (const cp of checkpoints) {
    if (!(await verifyCheckpoint(cp, key))) {
      problems.push({
        kind: 'signature',
        message: `checkpoint of size ${cp.tree_size} has an invalid signature`,
      });
      continue;
    }
    if (entries.length < cp.tree_size) {
      problems.push({
        kind: 'truncation',
        message: `export has ${entries.length} entries but the checkpoint covers ${cp.tree_size}`,
      });
      continue;
    }
    const root = await merkleRoot(leaves.slice(0, cp.tree_size));
    if (toHex(root) !== toHex(fromHex(cp.root_hash))) {
      const kind = problems.some((p) => p.kind !== 'edit') ? (problems[0] as Problem).kind : 'edit';
      problems.push({
        kind,
        message: `root of the first ${cp.tree_size} entries does not match the signed checkpoint (${kind})`,
      });
      continue;
    }
    anchored = Math.max(anchored, cp.tree_size);
  }
  if (checkpoints.length === 0)
    problems.push({ kind: 'signature', message: 'no checkpoint to verify against' });
  return { ok: problems.length === 0, problems, entries: entries.length, anchored };
}
