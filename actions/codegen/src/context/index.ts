/**
 * Building the prompt context for a command: list candidate files, map their exported symbols, rank them
 * against the command, redact secrets from the candidates (and from the command itself), and pack the
 * result into the token budget. Collaborators (file access, scanner, tokenizer) are injected.
 */
import type { SecretScanner } from '@autocode/policies';
import type { TokenCounter } from '../llm/tokens.js';
import type { PackedContext } from './pack.js';
import { packContext } from './pack.js';
import { rankFiles } from './rank.js';
import type { Redaction } from './redact.js';
import { redactSecrets } from './redact.js';
import { buildRepoMap } from './repo-map.js';

export interface ContextDeps {
  listFiles(): string[];
  read(path: string): string | undefined;
  scanner: SecretScanner;
  counter: TokenCounter;
}

export interface ContextOptions {
  budgetTokens: number;
  maxFiles?: number;
}

export interface GatheredContext extends PackedContext {
  /** The command with any secret in it redacted too. */
  command: string;
  redactions: Redaction[];
  fileCount: number;
}

/** The key the command travels under through the scanner (cannot collide with a repository path). */
const COMMAND_KEY = '(command)';

export async function gatherContext(
  command: string,
  deps: ContextDeps,
  options: ContextOptions,
): Promise<GatheredContext> {
  const files = deps
    .listFiles()
    .map((path) => ({ path, content: deps.read(path) }))
    .filter((f): f is { path: string; content: string } => f.content !== undefined);
  const entries = buildRepoMap(files);
  const ranked = rankFiles(
    command,
    files.map((f, i) => ({ ...entries[i]!, content: f.content })),
  );
  const maxFiles = options.maxFiles ?? 12;
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  const candidates = new Map<string, string>([[COMMAND_KEY, command]]);
  for (const r of ranked.filter((r) => r.score > 0).slice(0, maxFiles * 2)) {
    candidates.set(r.path, byPath.get(r.path)!);
  }
  const { texts, redactions } = await redactSecrets(candidates, deps.scanner);
  const safeCommand = texts.get(COMMAND_KEY)!;
  texts.delete(COMMAND_KEY);
  const packed = packContext(entries, ranked, texts, deps.counter, {
    budgetTokens: options.budgetTokens,
    maxFiles,
  });
  return { ...packed, command: safeCommand, redactions, fileCount: files.length };
}
