/**
 * Outbound secret redaction: before any file or user text goes into a prompt, the policy scanner
 * (secretlint's recommended preset + autocode's format patterns + entropy) runs over every line, and each
 * secret it finds is replaced by `[REDACTED:<rule>]` wherever it occurs in that text. Findings keep only
 * path, line and rule — the value itself is never stored or logged.
 */
import type { SecretScanner } from '@autocode/policies';

export interface Redaction {
  path: string;
  line: number;
  rule: string;
}

export interface RedactResult {
  texts: Map<string, string>;
  redactions: Redaction[];
}

/** Redact a set of named texts (file contents by path, or `command` for user text). */
export async function redactSecrets(
  texts: Map<string, string>,
  scanner: SecretScanner,
): Promise<RedactResult> {
  const targets = [...texts].map(([path, text]) => {
    const lines = text.split('\n');
    return { path, lines, lineNumbers: lines.map((_l, i) => i + 1) };
  });
  const findings = await scanner.scan(targets);
  const out = new Map(texts);
  const redactions: Redaction[] = [];
  // Longest secrets first, so a secret containing another is replaced whole.
  for (const f of [...findings].sort((a, b) => b.secret.length - a.secret.length)) {
    const text = out.get(f.path);
    if (text === undefined || !f.secret) continue;
    out.set(f.path, text.split(f.secret).join(`[REDACTED:${f.rule}]`));
    redactions.push({ path: f.path, line: f.line, rule: f.rule });
  }
  redactions.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line);
  return { texts: out, redactions };
}

/** Redact one free text (e.g. check output headed for an issue). */
export async function redactText(text: string, scanner: SecretScanner): Promise<string> {
  const { texts } = await redactSecrets(new Map([['text', text]]), scanner);
  return texts.get('text') ?? text;
}
