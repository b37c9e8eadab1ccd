/**
 * Credential formats secretlint's recommended preset does not cover (AWS access key ids, Stripe, Google API
 * keys, SendGrid keys with '-', GitLab, JWTs, Azure storage keys, connection-string passwords, Vault,
 * DigitalOcean, PyPI, Twilio, credentials in URIs of any scheme) plus PEM private keys. Pure JavaScript and
 * Web APIs only: in the Worker this and the entropy check are the whole scanner. Each regex runs once over a
 * file's joined added lines (global match), not once per line.
 */
import { joinTarget } from './text.js';
import type { RawFinding, ScanTarget, SecretScanner } from './types.js';

interface PatternRule {
  id: string;
  description: string;
  /** Something every match contains: the regex only runs over texts that include it (most files don't). */
  hint?: string | RegExp;
  /** Global regex; the secret is capture group 1. */
  regex: RegExp;
  /** Extra check on the secret (e.g. a JWT header must decode to JSON with "alg"). */
  accept?: (secret: string, match: RegExpExecArray) => boolean;
}

export const PATTERN_RULES: PatternRule[] = [
  {
    id: 'aws-access-key-id',
    description: 'AWS access key id',
    regex: /\b((?:AKIA|ASIA|ABIA|ACCA|A3T[A-Z0-9])[A-Z2-7]{16})\b/g,
  },
  {
    // secretlint knows the 36-character forms; refresh tokens (ghr_) are 76 and Workers lack secretlint.
    id: 'github-token',
    hint: 'gh',
    description: 'GitHub token',
    regex: /\b(gh[oprsu]_[A-Za-z0-9]{36,255})\b/g,
  },
  {
    id: 'stripe-secret-key',
    hint: 'k_',
    description: 'Stripe secret or restricted key',
    regex: /\b((?:sk|rk)_(?:live|test|prod)_[0-9A-Za-z]{20,247})\b/g,
  },
  {
    // secretlint's SendGrid pattern rejects '-' in the first segment; real keys are base64url.
    id: 'sendgrid-api-key',
    hint: 'SG.',
    description: 'SendGrid API key',
    regex: /\b(SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43})(?![A-Za-z0-9_-])/g,
  },
  {
    id: 'google-api-key',
    hint: 'AIza',
    description: 'Google API key',
    regex: /\b(AIza[0-9A-Za-z_-]{35})(?![0-9A-Za-z_-])/g,
  },
  {
    id: 'gitlab-token',
    hint: 'gl',
    description: 'GitLab token',
    regex: /\b(gl(?:pat|dt|ptt|rt|cbt|oas)-[0-9A-Za-z_-]{20,})(?![0-9A-Za-z_-])/g,
  },
  {
    id: 'jwt',
    hint: 'eyJ',
    description: 'JSON Web Token',
    regex: /\b(eyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})/g,
    accept: (jwt) => /"alg"/.test(base64UrlText(jwt.slice(0, jwt.indexOf('.')))),
  },
  {
    id: 'private-key',
    hint: 'PRIVATE KEY',
    description: 'Private key (PEM)',
    regex:
      /(-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----[\s\S]{0,16384}?-----END \2-----)/g,
  },
  {
    id: 'vault-token',
    hint: 'hv',
    description: 'HashiCorp Vault token',
    regex: /\b(hv[sb]\.[A-Za-z0-9_-]{90,})/g,
  },
  {
    id: 'digitalocean-token',
    hint: '_v1_',
    description: 'DigitalOcean token',
    regex: /\b(do[opr]_v1_[a-f0-9]{64})\b/g,
  },
  {
    id: 'pypi-token',
    hint: 'pypi-',
    description: 'PyPI upload token',
    regex: /\b(pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,})/g,
  },
  { id: 'twilio-api-key', hint: 'SK', description: 'Twilio API key', regex: /\b(SK[0-9a-f]{32})\b/g },
  {
    id: 'azure-storage-key',
    description: 'Azure storage account key',
    hint: 'AccountKey=',
    regex: /AccountKey=([A-Za-z0-9+/]{86}==)/g,
  },
  {
    // ADO.NET / ODBC style: "Server=…;User ID=…;Password=…;" (URIs are the next rule).
    id: 'connection-string-password',
    description: 'Password in a connection string',
    hint: /passw|pwd/i,
    regex:
      /(?:Server|Data Source|Host|Address)\s*=[^;\n]*;(?:[^;\n]*;)*?\s*(?:Password|Pwd)\s*=\s*([^;'"`\s]{4,128})/gi,
    accept: (password) => !/^[$%{]|\{\{|\$\{|^\*+$/.test(password),
  },
  {
    id: 'uri-credentials',
    hint: '://',
    description: 'Password in a connection URI',
    regex: /\b[a-z][a-z0-9+.-]{1,20}:\/\/[^\s:@/'"`]*:([^\s@/'"`]{4,128})@[A-Za-z0-9.-]+/gi,
    accept: (password) => !/^[$%{]|\{\{|\$\{|^\*+$/.test(password),
  },
];

/** base64url → text, '' when it does not decode. */
function base64UrlText(segment: string): string {
  try {
    return atob(
      segment
        .replace(/-/g, '+')
        .replace(/_/g, '/')
        .padEnd(Math.ceil(segment.length / 4) * 4, '='),
    );
  } catch {
    return '';
  }
}

function hinted(text: string, hint: string | RegExp): boolean {
  return typeof hint === 'string' ? text.includes(hint) : hint.test(text);
}

export function patternScanner(rules: PatternRule[] = PATTERN_RULES): SecretScanner {
  return {
    async scan(targets: ScanTarget[]): Promise<RawFinding[]> {
      const findings: RawFinding[] = [];
      for (const target of targets) {
        const joined = joinTarget(target);
        for (const rule of rules) {
          if (rule.hint && !hinted(joined.text, rule.hint)) continue;
          rule.regex.lastIndex = 0;
          for (let m = rule.regex.exec(joined.text); m; m = rule.regex.exec(joined.text)) {
            const secret = m[1]!;
            if (rule.accept && !rule.accept(secret, m)) continue;
            findings.push({
              path: target.path,
              line: joined.lineAt(m.index + m[0].indexOf(secret)),
              rule: rule.id,
              kind: 'secret',
              description: rule.description,
              secret,
            });
          }
        }
      }
      return findings;
    },
  };
}
