import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ALNUM, Fakes, p } from '@autocode/policies/testing';

const bin = fileURLToPath(new URL('../../bin/autocode.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'autocode-policy-cli-'));

function cli(args: string[], stdin?: string) {
  const r = spawnSync(process.execPath, [bin, 'policy', ...args], {
    input: stdin,
    encoding: 'utf8',
    cwd: dir,
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

const f = new Fakes(99);
const hunk = (lines: string[]) =>
  `diff --git a/src/a.ts b/src/a.ts\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1 +1,${lines.length + 1} @@\n x\n${lines.map((l) => `+${l}`).join('\n')}\n`;

describe('autocode policy check', () => {
  it('exits 0 and prints the decision for a clean diff', () => {
    const r = cli(['check', '--diff', file('clean.diff', hunk(['const y = 2;']))]);
    expect(r).toMatchObject({ code: 0 });
    expect(r.out).toMatch(/^decision: allow/);
  });

  it('exits 1 on a secret in an added line, with the rule id and location (JSON)', () => {
    const token = p('gh', 'p_', f.chars(ALNUM, 36));
    const r = cli(['check', '--diff', '-', '--json'], hunk([`const t = '${token}';`]));
    expect(r.code).toBe(1);
    const decision = JSON.parse(r.out);
    expect(decision.deny).toMatchObject([{ rule: 'no-secrets', path: 'src/a.ts', line: 2 }]);
    expect(r.out).not.toContain(token);
  });

  it('denies TODOs only for --automation', () => {
    const diff = file('todo.diff', hunk(['// TODO later']));
    expect(cli(['check', '--diff', diff]).code).toBe(0);
    const r = cli(['check', '--diff', diff, '--automation', '--author', 'autocode[bot]']);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/deny {2}\[no-todo-markers\] src\/a.ts:2: automation added a TODO marker/);
  });

  it('exits 2 naming the line of a malformed diff', () => {
    const r = cli(
      ['check', '--diff', '-'],
      'diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1,2 +1,2 @@\n x\n?y\n',
    );
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/malformed diff: stdin line 6: expected a line starting with/);
  });

  it('exits 2 for an unreadable file and a bad flag value', () => {
    expect(cli(['check', '--diff', join(dir, 'missing.diff')])).toMatchObject({ code: 2 });
    const r = cli(['check', '--diff', file('x.diff', hunk(['x'])), '--origin', 'robot']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/flag --origin must be one of human, automation, llm/);
  });

  it('applies a policy config file and reports its errors with positions', () => {
    const diff = file('wf.diff', hunk(['x']).replace(/src\/a\.ts/g, '.github/workflows/ci.yml'));
    expect(cli(['check', '--diff', diff, '--automation']).code).toBe(1);
    const review = file('review.yaml', 'protected_paths:\n  mode: review\n');
    const r = cli(['check', '--diff', diff, '--automation', '--config', review]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/warn {2}\[protected-paths\]/);
    const bad = cli(['check', '--diff', diff, '--config', file('bad.yaml', 'limits:\n  max_files: lots\n')]);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/bad.yaml:2:14: limits.max_files: must be integer/);
  });
});

describe('autocode policy eval', () => {
  it('exits 1 on deny and 0 on allow', () => {
    expect(cli(['eval', '--input', '-'], '{"operation": "merge", "target": {"ref": "main"}}').code).toBe(1);
    expect(cli(['eval', '--input', '-'], '{"operation": "write"}').code).toBe(0);
  });

  it('exits 2 naming the JSON position or the schema key', () => {
    const syntax = cli(['eval', '--input', '-'], '{\n  "operation": "write",\n}');
    expect(syntax.code).toBe(2);
    expect(syntax.err).toMatch(/stdin is not valid JSON at line 3, column 1/);
    const schema = cli(['eval', '--input', file('in.json', '{"operation": "write", "kill_switch": {}}')]);
    expect(schema.code).toBe(2);
    expect(schema.err).toMatch(/kill_switch: missing required key "active"/);
  });
});
