/**
 * secretlint with its recommended preset (AWS secret keys, GCP service accounts, GitHub, Slack, npm, OpenAI,
 * Anthropic, SendGrid, Shopify, Linear, 1Password, private keys, basic auth and database URIs). Node only:
 * the preset bundles node:path and node:crypto. One lintSource call per file over its joined added lines.
 */
import { lintSource } from '@secretlint/core';
import { secretLintProfiler } from '@secretlint/profiler';
import { creator as recommended } from '@secretlint/secretlint-rule-preset-recommend';
import { joinTarget } from './text.js';
import type { RawFinding, ScanTarget, SecretScanner } from './types.js';

const config = { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: recommended }] };

/**
 * secretlint's process-wide profiler records a performance mark per rule per file, and its observer searches
 * every mark recorded so far for each new one: quadratic in the number of files linted by the process (a
 * 400-file diff spent seconds there, against tens of ms of actual scanning). Nothing here reads the
 * profile, so its marks are switched off once, for the one shared profiler instance.
 */
(secretLintProfiler as unknown as { mark: (marker: unknown) => void }).mark = () => {};

/** The preset reads `.p12` files from disk by path; a diff's text is all we scan, so never claim that type. */
function extOf(path: string): string {
  const ext = /\.[^./]+$/.exec(path)?.[0] ?? '';
  return ext.toLowerCase() === '.p12' ? '.txt' : ext;
}

export function secretlintScanner(): SecretScanner {
  return {
    async scan(targets: ScanTarget[]): Promise<RawFinding[]> {
      const findings: RawFinding[] = [];
      for (const target of targets) {
        const joined = joinTarget(target);
        if (!joined.text) continue;
        const ext = extOf(target.path);
        const result = await lintSource({
          source: { content: joined.text, filePath: target.path, ext, contentType: 'text' },
          options: { config, noPhysicFilePath: true },
        });
        for (const m of result.messages) {
          const [start, end] = m.range;
          findings.push({
            path: target.path,
            line: joined.lineAt(start),
            rule: `secretlint/${m.ruleId.replace(/^@secretlint\/secretlint-rule-/, '')}`,
            kind: 'secret',
            description: describe(m.messageId, m.ruleId),
            secret: joined.text.slice(start, end),
          });
        }
      }
      return findings;
    },
  };
}

/** "GITHUB_TOKEN" → "GitHub token (secretlint)": the message itself contains the secret, so it is not used. */
function describe(messageId: string, ruleId: string): string {
  const words = messageId
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
  return `${words.charAt(0).toUpperCase()}${words.slice(1)} (${ruleId.replace(/^@secretlint\/secretlint-rule-/, '')})`;
}
