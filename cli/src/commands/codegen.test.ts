import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startLlmServer } from '@autocode/sandbox';
import type { LlmServer } from '@autocode/sandbox';

const bin = fileURLToPath(new URL('../../bin/autocode.js', import.meta.url));
const run = promisify(execFile);
let llm: LlmServer;
let repo: string;

const REPLY = `src/greet.js
\`\`\`js
<<<<<<< SEARCH
export const greet = (name) => 'hi ' + name;
=======
export const greet = (name) => \`Hello, \${name}!\`;
>>>>>>> REPLACE
\`\`\``;

async function autocode(args: string[], env: Record<string, string> = {}) {
  try {
    const r = await run(process.execPath, [bin, ...args], {
      env: { ...process.env, ...env },
      cwd: repo,
      timeout: 120_000,
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  llm = await startLlmServer({
    rules: [
      { match: { templateName: 'refactor_code' }, reply: REPLY },
      { match: { templateName: 'review_change' }, reply: 'VERDICT: approve\nCONCERNS:\n- none\nSUMMARY: ok' },
    ],
  });
  repo = mkdtempSync(join(tmpdir(), 'cli-codegen-'));
  mkdirSync(join(repo, 'src'));
  writeFileSync(join(repo, 'src/greet.js'), "export const greet = (name) => 'hi ' + name;\n");
});
afterAll(() => llm.stop());

describe('autocode codegen', () => {
  const providers = () => `- { name: local, kind: openai, model: gpt-5.4, base_url: "${llm.openaiBaseUrl}" }`;

  it('writes the patch and report locally and leaves the repository untouched', async () => {
    const out = join(repo, 'out');
    const r = await autocode(
      [
        'codegen',
        '--repo',
        repo,
        '--command',
        'Refactor greet to use a template literal',
        '--out',
        out,
        '--check',
        'syntax: node --check src/greet.js',
        '--no-cache',
      ],
      {
        AUTOCODE_LLM_PROVIDERS: providers(),
        OPENAI_API_KEY: llm.apiKeys.openai,
      },
    );
    expect(r.stderr).not.toContain('error');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^ready: template refactor_code/m);
    expect(readFileSync(join(out, 'patch.diff'), 'utf8')).toContain(
      '+export const greet = (name) => `Hello, ${name}!`;',
    );
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toContain('Verdict: **approve**');
    expect(readFileSync(join(repo, 'src/greet.js'), 'utf8')).toContain("'hi ' + name");
  });

  it('--dry-run makes no model call and writes the prompt with an estimate', async () => {
    const before = llm.requests.length;
    const out = join(repo, 'dry');
    const r = await autocode(
      ['codegen', '--repo', repo, '--command', 'Refactor greet', '--dry-run', '--out', out],
      { AUTOCODE_LLM_PROVIDERS: providers(), OPENAI_API_KEY: 'x' },
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/dry run: ≈\d+ input tokens/);
    expect(readFileSync(join(out, 'prompt.md'), 'utf8')).toContain('### src/greet.js');
    expect(llm.requests.length).toBe(before);
  });

  it('exits 2 for an unknown template', async () => {
    const r = await autocode([
      'codegen',
      '--repo',
      repo,
      '--command',
      'x',
      '--template',
      'nope',
      '--dry-run',
    ]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown template');
  });
});
