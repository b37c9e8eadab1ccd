/**
 * Ranking files against the command: BM25 over file contents, plus strong weights for hits in the path
 * and in exported symbols (a command naming "user management" should find `routes/users.ts` and
 * `UserService` before a file that merely mentions users). Words are split on case and punctuation and
 * lightly stemmed so "users", "user" and "UserService" meet.
 */
import type { MapEntry } from './repo-map.js';

const STOP = new Set(
  'a an and are as at be by for from generate add create make in into is it its of on or the this that to with new please update implement write use using file files code'.split(
    ' ',
  ),
);

/** Split identifiers and prose into lowercase stems. */
export function terms(text: string): string[] {
  return (
    text
      .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .match(/[a-z][a-z0-9]+/g) ?? []
  )
    .filter((w) => !STOP.has(w))
    .map(stem);
}

function stem(w: string): string {
  if (w.length > 4 && w.endsWith('ies')) return `${w.slice(0, -3)}y`;
  if (w.length > 4 && /(?:ss|us)$/.test(w)) return w;
  if (w.length > 3 && w.endsWith('s')) return w.slice(0, -1);
  return w;
}

export interface RankedFile {
  path: string;
  score: number;
}

export interface RankInput extends MapEntry {
  content: string;
}

const K1 = 1.2;
const B = 0.75;

export function rankFiles(command: string, files: RankInput[]): RankedFile[] {
  const query = [...new Set(terms(command))];
  if (query.length === 0 || files.length === 0) return files.map((f) => ({ path: f.path, score: 0 }));
  const docs = files.map((f) => {
    const tf = new Map<string, number>();
    for (const t of terms(f.content)) tf.set(t, (tf.get(t) ?? 0) + 1);
    let length = 0;
    for (const n of tf.values()) length += n;
    return { f, tf, length, path: new Set(terms(f.path)), symbols: new Set(f.symbols.flatMap(terms)) };
  });
  const avg = docs.reduce((n, d) => n + d.length, 0) / docs.length || 1;
  const df = new Map(query.map((q) => [q, docs.filter((d) => d.tf.has(q) || d.path.has(q)).length]));
  return docs
    .map((d) => {
      let score = 0;
      for (const q of query) {
        const idf = Math.log(1 + (docs.length - df.get(q)! + 0.5) / (df.get(q)! + 0.5));
        const tf = d.tf.get(q) ?? 0;
        score += idf * ((tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * d.length) / avg)));
        if (d.path.has(q)) score += 3 * idf;
        if (d.symbols.has(q)) score += 2 * idf;
      }
      return { path: d.f.path, score };
    })
    .sort((a, b) => b.score - a.score || a.path.localeCompare(b.path));
}
