import { describe, expect, it } from '@jest/globals';
import { ALNUM, Fakes, p } from './testing/random.js';
import { changeFromDiff } from './facts.js';
import { defaultScanner, loadPolicyEngine } from './node.js';

const f = new Fakes(11);
const token = p('gh', 'p_', f.chars(ALNUM, 36));

/** A change that adds a secret and a TODO, and removes an old secret and an old TODO. */
const diff = [
  'diff --git a/src/client.ts b/src/client.ts',
  '--- a/src/client.ts',
  '+++ b/src/client.ts',
  '@@ -10,4 +10,4 @@ export function client() {',
  `-  const auth = '${p('gh', 'p_', f.chars(ALNUM, 36))}'; // TODO rotate`,
  '-  // FIXME: hard-coded',
  `+  const auth = '${token}';`,
  '+  // TODO: read from the environment',
  '   return new Octokit({ auth });',
  ' }',
  '',
].join('\n');

describe('changeFromDiff', () => {
  it('reports markers and secrets from added lines only, at new-file lines', async () => {
    const change = await changeFromDiff(diff, { origin: 'llm', scanner: defaultScanner() });
    expect(change.markers).toEqual([{ path: 'src/client.ts', line: 11, marker: 'TODO' }]);
    expect(change.findings).toHaveLength(1);
    expect(change.findings[0]).toMatchObject({ path: 'src/client.ts', line: 10, kind: 'secret' });
    expect(change.totals).toEqual({ files: 1, additions: 2, deletions: 2, bytes: change.totals.bytes });
  });

  it('never puts a secret or a raw patch into the input', async () => {
    const change = await changeFromDiff(diff, { origin: 'llm', scanner: defaultScanner() });
    const json = JSON.stringify(change);
    expect(json).not.toContain(token);
    expect(json).not.toContain('Octokit');
  });

  it('matches markers as whole words and honours configured words', async () => {
    const words = ['+TODOS are fine', '+xXXXx neither', '+HACK here', '+x = 1 // XXX'].join('\n');
    const d = `--- a/a.ts\n+++ b/a.ts\n@@ -0,0 +1,4 @@\n${words}\n`;
    expect((await changeFromDiff(d)).markers.map((m) => m.marker)).toEqual(['XXX']);
    expect((await changeFromDiff(d, { markers: ['HACK'] })).markers.map((m) => m.line)).toEqual([3]);
  });

  it('caps markers and findings and says how many were omitted', async () => {
    const lines = Array.from({ length: 5 }, (_, i) => `+// TODO ${i}`).join('\n');
    const d = `--- a/a.ts\n+++ b/a.ts\n@@ -0,0 +1,5 @@\n${lines}\n`;
    const change = await changeFromDiff(d, { maxItems: 2 });
    expect(change.markers).toHaveLength(2);
    expect(change.omitted).toEqual({ markers: 3, findings: 0 });
  });

  it('feeds the engine: the secret denies, the TODO denies only automation', async () => {
    const engine = await loadPolicyEngine();
    const scanner = defaultScanner();
    const asBot = engine.evaluate({
      operation: 'write',
      change: await changeFromDiff(diff, { origin: 'llm', scanner }),
    });
    expect(asBot.deny.map((v) => v.rule)).toEqual(['no-secrets', 'no-todo-markers']);
    const asHuman = engine.evaluate({ operation: 'write', change: await changeFromDiff(diff, { scanner }) });
    expect(asHuman.deny.map((v) => v.rule)).toEqual(['no-secrets']);
  });
});
