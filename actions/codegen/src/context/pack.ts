/**
 * Packing the context into a token budget: the repository map takes at most `mapShare` of it (symbols of
 * unranked files go first, then whole low-ranked entries), and the most relevant files fill the rest in rank
 * order, whole or not at all (half a file invites edits against lines the model never saw).
 */
import type { TokenCounter } from '../llm/tokens.js';
import type { RankedFile } from './rank.js';
import type { MapEntry } from './repo-map.js';
import { renderRepoMap } from './repo-map.js';

export interface PackOptions {
  budgetTokens: number;
  /** Share of the budget the map may use (default 0.25). */
  mapShare?: number;
  /** Most files included (default 12). */
  maxFiles?: number;
}

export interface PackedContext {
  repoMap: string;
  files: string;
  included: string[];
  /** Relevant (score > 0) files left out for lack of budget. */
  omitted: string[];
  tokens: { map: number; files: number };
}

/** A fenced block longer than any backtick run inside the content, so a file cannot close it early. */
export function fenceFile(path: string, content: string): string {
  const longest = Math.max(2, ...[...content.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const lang = /\.([^./]+)$/.exec(path)?.[1] ?? '';
  return `### ${path}\n${fence}${lang}\n${content.endsWith('\n') ? content : `${content}\n`}${fence}`;
}

export function packMap(
  entries: MapEntry[],
  ranked: RankedFile[],
  budget: number,
  counter: TokenCounter,
): string {
  let text = renderRepoMap(entries);
  if (counter.count(text) <= budget) return text;
  const relevant = new Set(ranked.filter((r) => r.score > 0).map((r) => r.path));
  const slim = entries.map((e) => (relevant.has(e.path) ? e : { path: e.path, symbols: [] }));
  text = renderRepoMap(slim);
  if (counter.count(text) <= budget) return text;
  // Keep entries by rank until the budget is spent; say how many were dropped.
  const byPath = new Map(slim.map((e) => [e.path, e]));
  const kept: MapEntry[] = [];
  let used = 0;
  for (const r of ranked) {
    const e = byPath.get(r.path);
    if (!e) continue;
    const cost = counter.count(renderRepoMap([e])) + 1;
    if (used + cost > budget - 16) break;
    kept.push(e);
    used += cost;
  }
  kept.sort((a, b) => a.path.localeCompare(b.path));
  return `${renderRepoMap(kept)}\n… ${entries.length - kept.length} more files not shown`;
}

export function packContext(
  entries: MapEntry[],
  ranked: RankedFile[],
  contents: Map<string, string>,
  counter: TokenCounter,
  options: PackOptions,
): PackedContext {
  const mapBudget = Math.floor(options.budgetTokens * (options.mapShare ?? 0.25));
  const repoMap = packMap(entries, ranked, mapBudget, counter);
  const mapTokens = counter.count(repoMap);
  let left = options.budgetTokens - mapTokens;
  const blocks: string[] = [];
  const included: string[] = [];
  const omitted: string[] = [];
  for (const r of ranked) {
    const content = contents.get(r.path);
    if (content === undefined || r.score <= 0) continue;
    if (included.length >= (options.maxFiles ?? 12)) {
      omitted.push(r.path);
      continue;
    }
    const block = fenceFile(r.path, content);
    const cost = counter.count(block) + 2;
    if (cost > left) {
      omitted.push(r.path);
      continue;
    }
    blocks.push(block);
    included.push(r.path);
    left -= cost;
  }
  const files = blocks.join('\n\n');
  return { repoMap, files, included, omitted, tokens: { map: mapTokens, files: counter.count(files) } };
}
