/**
 * The entropy check: a random-looking value assigned to a secret-sounding name (`DB_PASSWORD=…`,
 * `"apiKey": "…"`, `client_secret: …`) that no format rule recognised. Precision over recall: the name
 * must say "secret", references/placeholders/identifiers are skipped, and the value needs a digit and enough
 * entropy. Hits are `kind: entropy` and warn by default (FIELD-NOTES: generic entropy hits are warnings).
 */
import { isPlaceholder, shannonEntropy } from './text.js';
import type { RawFinding, ScanTarget, SecretScanner } from './types.js';

const ASSIGNMENT =
  /(?:^|[\s{(,;])["']?([A-Za-z][A-Za-z0-9_.-]{1,63})["']?\s*(?::=|=>|=|:)\s*(?:["'`]([^"'`\n]{8,200})["'`]|([^\s"'`,;{}()\n]{8,200}))/gm;

const SECRET_NAME =
  /(?:passw(?:or)?d|passwd|pwd|secret|secret[_.-]?key|token|api[_.-]?key|apikey|access[_.-]?key|private[_.-]?key|signing[_.-]?key|encryption[_.-]?key|master[_.-]?key|account[_.-]?key|credentials?|auth[_.-]?key)$/i;

/** Names that hold metadata about a secret, not the secret. */
const NOT_SECRET_NAME =
  /(?:_|\b|[a-z])(?:id|ids|name|names|url|uri|endpoint|file|path|env|ref|type|length|header|field|prefix|count|expir\w*)$/i;

/** Values that point at a secret instead of containing it. */
const REFERENCE =
  /^(?:\$|%[({]|\{\{|<|!|&|\*|process\.env|os\.environ|env[.(:[]|getenv|secrets?[.:/]|vault:|ref\+|arn:|var\.|config\.|settings\.|self\.|this\.|ENV\[|file:|\/|\.\/|~\/|https?:\/\/)/i;

/** Member access (`config.apiToken`, `settings.DB_PASSWORD`): code, not a value. */
const MEMBER = /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/;

export interface EntropyOptions {
  /** Bits per character a value of ≥ 20 characters needs (gitleaks' generic rule uses 3.5). */
  threshold?: number;
  /** Bits per character for shorter values (8–19 characters); they also need 3 character classes. */
  shortThreshold?: number;
}

export function looksSecret(name: string, value: string, options: EntropyOptions = {}): boolean {
  if (!SECRET_NAME.test(name) || NOT_SECRET_NAME.test(name)) return false;
  const v = value.trim();
  if (REFERENCE.test(v) || MEMBER.test(v) || isPlaceholder(v) || !/\d/.test(v)) return false;
  if (/\s/.test(v)) return false;
  const h = shannonEntropy(v);
  // Hex carries at most 4 bits per character (a random 32-digit hex key measures ≈ 3.5–3.7), so it gets a
  // proportionally lower bar.
  const hex = /^[0-9a-f-]+$/i.test(v) ? 0.85 : 1;
  if (v.length >= 20) return h >= (options.threshold ?? 3.5) * hex;
  // `_` and `-` join words (`db_password_2`); they do not make a value password-like.
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^A-Za-z0-9_-]/].filter((re) => re.test(v)).length;
  return classes >= 3 && h >= (options.shortThreshold ?? 3);
}

/** Cheap per-line filter: only lines naming a secret-ish thing run the assignment regex. */
const KEYWORD = /passw|pwd|secret|token|key|credential/i;

export function entropyScanner(options: EntropyOptions = {}): SecretScanner {
  return {
    async scan(targets: ScanTarget[]): Promise<RawFinding[]> {
      const findings: RawFinding[] = [];
      for (const target of targets) {
        target.lines.forEach((line, i) => {
          if (!KEYWORD.test(line)) return;
          ASSIGNMENT.lastIndex = 0;
          for (let m = ASSIGNMENT.exec(line); m; m = ASSIGNMENT.exec(line)) {
            const value = m[2] ?? m[3]!;
            if (!looksSecret(m[1]!, value, options)) {
              // Rescan inside the value: `"Db": "Server=…;Password=…"` nests the assignment that matters.
              ASSIGNMENT.lastIndex = m.index + m[0].indexOf(m[1]!) + m[1]!.length;
              continue;
            }
            findings.push({
              path: target.path,
              line: target.lineNumbers[i] ?? i + 1,
              rule: 'entropy',
              kind: 'entropy',
              description: `High-entropy value assigned to ${m[1]}`,
              secret: value.trim(),
            });
          }
        });
      }
      return findings;
    },
  };
}
