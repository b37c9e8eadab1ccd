import { describe, expect, it } from '@jest/globals';
import { canonicalJson, toHex, utf8 } from './bytes.js';
import { leafHash, merkleRoot, nodeHash } from './merkle.js';

describe('RFC 9162 Merkle tree hash', () => {
  it('matches the RFC 6962/9162 reference values', async () => {
    // Empty tree: SHA-256 of the empty string; leaf of empty data: SHA-256(0x00).
    expect(toHex(await merkleRoot([]))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(toHex(await leafHash(new Uint8Array()))).toBe(
      '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
    );
  });

  it('splits at the largest power of two below n (order and count are committed)', async () => {
    const leaves = await Promise.all(['a', 'b', 'c'].map((s) => leafHash(utf8(s))));
    const [a, b, c] = leaves as [Uint8Array, Uint8Array, Uint8Array];
    expect(toHex(await merkleRoot(leaves))).toBe(toHex(await nodeHash(await nodeHash(a, b), c)));
    expect(toHex(await merkleRoot([b, a, c]))).not.toBe(toHex(await merkleRoot(leaves)));
    expect(toHex(await merkleRoot([a, b]))).not.toBe(toHex(await merkleRoot(leaves)));
  });

  it('separates leaves from nodes (a node cannot pose as a leaf)', async () => {
    const a = await leafHash(utf8('a'));
    const b = await leafHash(utf8('b'));
    const asLeaf = await leafHash(new Uint8Array([...a, ...b]));
    expect(toHex(asLeaf)).not.toBe(toHex(await nodeHash(a, b)));
  });

  it('hashes RFC 8785 canonical JSON, independent of key order', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'] })).toBe('{"a":[true,null,"x"],"b":1}');
    expect(canonicalJson({ a: 1e21, b: 0.1 })).toBe('{"a":1e+21,"b":0.1}');
  });
});
