/**
 * Git object hashing with WebCrypto (SHA-1, the object format GitHub repositories use): blob SHAs of local
 * files and the SHA of a whole tree built from leaf entries. Knowing the tree a sync *would* write lets a rerun
 * compare it with the sync branch and make no API writes at all when nothing changed.
 */

const encoder = new TextEncoder();

async function sha1Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-1', bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** Join byte arrays (through a Blob: WebCrypto digests want one buffer). */
async function joined(parts: Uint8Array[]): Promise<Uint8Array> {
  return new Uint8Array(await new Blob(parts).arrayBuffer());
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** `git hash-object` of these bytes. */
export async function blobSha(content: Uint8Array): Promise<string> {
  return sha1Hex(await joined([encoder.encode(`blob ${content.length}\0`), content]));
}

export interface LeafEntry {
  path: string;
  /** 100644, 100755, 120000 (blob) or 160000 (submodule commit). */
  mode: string;
  sha: string;
}

interface Dir {
  files: Map<string, LeafEntry>;
  dirs: Map<string, Dir>;
}

function build(leaves: Iterable<LeafEntry>): Dir {
  const root: Dir = { files: new Map(), dirs: new Map() };
  for (const leaf of leaves) {
    const parts = leaf.path.split('/');
    let dir = root;
    for (const name of parts.slice(0, -1)) {
      let next = dir.dirs.get(name);
      if (!next) dir.dirs.set(name, (next = { files: new Map(), dirs: new Map() }));
      dir = next;
    }
    dir.files.set(parts[parts.length - 1]!, leaf);
  }
  return root;
}

async function hashDir(dir: Dir): Promise<string> {
  const rows: { key: string; name: string; mode: string; sha: string }[] = [];
  for (const [name, leaf] of dir.files) rows.push({ key: name, name, mode: leaf.mode, sha: leaf.sha });
  for (const [name, sub] of dir.dirs) {
    // git sorts a directory as if its name ended in "/".
    rows.push({ key: `${name}/`, name, mode: '40000', sha: await hashDir(sub) });
  }
  rows.sort((a, b) => compareBytes(a.key, b.key));
  const body = await joined(
    rows.flatMap((r) => [encoder.encode(`${r.mode} ${r.name}\0`), hexToBytes(r.sha)]),
  );
  return sha1Hex(await joined([encoder.encode(`tree ${body.length}\0`), body]));
}

function compareBytes(a: string, b: string): number {
  const x = encoder.encode(a);
  const y = encoder.encode(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** The SHA of the tree holding exactly these leaves (directories implied by their paths). */
export function treeSha(leaves: Iterable<LeafEntry>): Promise<string> {
  return hashDir(build(leaves));
}
