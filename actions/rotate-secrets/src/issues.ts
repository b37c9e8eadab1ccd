/** Issue texts for overdue secrets and manually rotated credentials (the GitHub App private key). */
import type { SecretSpec } from './plan.js';

export function overdueIssue(spec: SecretSpec, age: number | undefined, maxAge: number, lastError?: string) {
  return {
    title: `Secret rotation overdue: ${spec.name}`,
    body: [
      `\`${spec.name}\` was last rotated ${age === undefined ? 'never (on record)' : `${age} days ago`}; the limit is ${maxAge} days.`,
      '',
      lastError ? `The last attempt failed: ${lastError}` : 'No successful rotation is on record.',
      '',
      'To rotate now: run the **rotate-secrets** workflow with `workflow_dispatch` and `rotate: ' +
        spec.name +
        '`.',
      'See docs/RUNBOOKS.md → "Secret rotation". This issue closes itself after the next successful rotation.',
    ].join('\n'),
  };
}

export function appKeyIssue(spec: SecretSpec, age: number | undefined, maxAge: number) {
  return {
    title: `Rotate ${spec.name} by hand (${age ?? '?'} days old)`,
    body: [
      `\`${spec.name}\` (${spec.kind ?? 'manual credential'}) was created on ${spec.created_at}, ${age ?? '?'} days ago; the limit is ${maxAge} days.`,
      'GitHub has no API to create App private keys, so this one is rotated by hand (an App can hold up to 25 keys, so there is no downtime):',
      '',
      '1. GitHub → Organization settings → Developer settings → GitHub Apps → the App → **Generate a private key**.',
      '2. Convert it for the edge Worker: `openssl pkcs8 -topk8 -nocrypt -in new.pem -out new.pkcs8.pem`.',
      '3. `wrangler secret put GITHUB_APP_PRIVATE_KEY --env production < new.pkcs8.pem` (edge-api/).',
      '4. Update the Actions secret that holds the key (e.g. `gh secret set AUTOCODE_APP_PRIVATE_KEY --env ops < new.pem`) and the ARC secret `arc-github-app` (runners/README.md).',
      '5. Run one automation workflow and check the edge `/health` and a dispatch succeed with the new key.',
      '6. Delete the old key in the App settings, then shred the local copies.',
      `7. Set \`created_at\` of \`${spec.name}\` in the rotation plan to today; the next run closes this issue.`,
      '',
      'See docs/RUNBOOKS.md → "Rotate the GitHub App private key".',
    ].join('\n'),
  };
}
