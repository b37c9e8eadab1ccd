/**
 * RFC 9162 (Certificate Transparency v2) Merkle tree hashing with domain separation:
 * leaf = SHA-256(0x00 ‖ data), node = SHA-256(0x01 ‖ left ‖ right). MTH of n leaves splits at the largest power
 * of two smaller than n, so the root commits to the order and the count of entries.
 */
import { canonicalJson, concat, sha256, utf8 } from './bytes.js';

const LEAF = new Uint8Array([0x00]);
const NODE = new Uint8Array([0x01]);

export function leafHash(data: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(LEAF, data));
}

/** Leaf hash of a JSON entry: its RFC 8785 canonical form, UTF-8 encoded. */
export function entryLeafHash(entry: unknown): Promise<Uint8Array> {
  return leafHash(utf8(canonicalJson(entry)));
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Promise<Uint8Array> {
  return sha256(concat(NODE, left, right));
}

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** Merkle Tree Hash over leaf hashes (RFC 9162 §2.1.1). The empty tree hashes to SHA-256(""). */
export async function merkleRoot(leaves: readonly Uint8Array[]): Promise<Uint8Array> {
  if (leaves.length === 0) return sha256(new Uint8Array());
  if (leaves.length === 1) return leaves[0] as Uint8Array;
  const k = largestPowerOfTwoBelow(leaves.length);
  const [left, right] = await Promise.all([merkleRoot(leaves.slice(0, k)), merkleRoot(leaves.slice(k))]);
  return nodeHash(left, right);
}
