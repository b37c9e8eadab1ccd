// Sync suite for `npm test`: actionlint over the sync workflows (reusable sync.yml and the sync-entry.yml
// triggers), and that the published JSON Schema is valid JSON naming the config's keys. The sync code itself
// is covered by jest (actions/sync).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export default async function sync({ root, check }) {
  const workflows = ['.github/workflows/sync.yml', '.github/workflows/sync-entry.yml'];
  const results = [check('actionlint sync workflows', 'actionlint', workflows)];
  let ok = false;
  try {
    const schema = JSON.parse(readFileSync(join(root, 'actions/sync/sync-config.schema.json'), 'utf8'));
    const keys = Object.keys(schema.properties?.targets?.items?.properties ?? {});
    ok = ['repo', 'paths', 'exclude', 'branch', 'on_conflict'].every((k) => keys.includes(k));
  } catch (err) {
    console.error(`sync: sync-config.schema.json: ${err.message}`);
  }
  results.push({ name: 'sync-config.schema.json', passed: ok ? 1 : 0, failed: ok ? 0 : 1 });
  return results;
}
