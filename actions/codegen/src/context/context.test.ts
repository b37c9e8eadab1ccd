import { describe, expect, it } from '@jest/globals';
import { defaultScanner } from '@autocode/policies/node';
import { approximateCounter } from '../llm/tokens.js';
import { gatherContext } from './index.js';
import { redactText } from './redact.js';
import { packMap } from './pack.js';
import { rankFiles } from './rank.js';
import { extractSymbols } from './repo-map.js';

// Assembled at run time so the repository itself carries no scannable token.
const AWS_KEY = ['AKIA', 'QYLPMN5HHHFPZAM2'].join('');
const GH_TOKEN = ['ghp_', 'x7Yb2Qk9LmN4pR8sT1vW3zA6cE0gJ5hK2dF9'].join('');

const REPO: Record<string, string> = {
  'src/routes/users.ts':
    'export function listUsers() { return db.users.all(); }\nexport const userRouter = {};\n',
  'src/services/user-service.ts': 'export class UserService { find(id: string) { return id; } }\n',
  'src/config.ts': `export const aws = { accessKeyId: "${AWS_KEY}" };\nexport const github = "${GH_TOKEN}";\n// user settings\n`,
  'src/math.ts': 'export const add = (a: number, b: number) => a + b;\n',
  'app.py': 'def create_app():\n    pass\n\nclass _Hidden:\n    pass\n',
};

const deps = {
  listFiles: () => Object.keys(REPO),
  read: (p: string) => REPO[p],
  scanner: defaultScanner(),
  counter: approximateCounter,
};

describe('context', () => {
  it('extracts exported symbols per language', () => {
    expect(
      extractSymbols('a.ts', 'export async function f() {}\nexport { a, b as c };\nconst x = 1;'),
    ).toEqual(['f', 'a', 'c']);
    expect(extractSymbols('a.py', REPO['app.py']!)).toEqual(['create_app']);
    expect(
      extractSymbols(
        'a.go',
        'func Handle() {}\nfunc (s *S) Serve() {}\nfunc private() {}\ntype User struct{}',
      ),
    ).toEqual(['Handle', 'Serve', 'User']);
  });

  it('ranks files named after the command first', () => {
    const ranked = rankFiles(
      'Generate API endpoint for user management',
      Object.entries(REPO).map(([path, content]) => ({
        path,
        content,
        symbols: extractSymbols(path, content),
      })),
    );
    expect(ranked[0]!.path).toBe('src/routes/users.ts');
    expect(ranked.find((r) => r.path === 'src/math.ts')!.score).toBe(0);
  });

  it('redacts secrets from files and from the command before packing', async () => {
    const ctx = await gatherContext(`update user config, old key was ${AWS_KEY}`, deps, {
      budgetTokens: 4000,
    });
    expect(ctx.included).toContain('src/config.ts');
    expect(ctx.files).not.toContain(AWS_KEY);
    expect(ctx.files).not.toContain(GH_TOKEN);
    expect(ctx.files).toMatch(/\[REDACTED:[^\]]+\]/);
    expect(ctx.command).not.toContain(AWS_KEY);
    expect(ctx.redactions.map((r) => r.path)).toEqual(expect.arrayContaining(['(command)', 'src/config.ts']));
    expect(ctx.repoMap).toContain('src/routes/users.ts: listUsers, userRouter');
  });

  it('redacts secrets a failing check printed before its output goes into a failure issue', async () => {
    const output = `FAIL src/config.test.ts\n  expected key ${AWS_KEY} to be rotated\n  token=${GH_TOKEN}\n`;
    const redacted = await redactText(output, defaultScanner());
    expect(redacted).not.toContain(AWS_KEY);
    expect(redacted).not.toContain(GH_TOKEN);
    expect(redacted).toContain('FAIL src/config.test.ts');
  });

  it('keeps within the budget and says what it left out', async () => {
    const ctx = await gatherContext('user', deps, { budgetTokens: 60 });
    expect(ctx.tokens.map + ctx.tokens.files).toBeLessThanOrEqual(60);
    expect(ctx.omitted.length).toBeGreaterThan(0);
    expect(
      packMap(
        [
          { path: 'a.ts', symbols: ['x'] },
          { path: 'b.ts', symbols: [] },
        ],
        [{ path: 'a.ts', score: 1 }],
        2,
        approximateCounter,
      ),
    ).toContain('more files not shown');
  });
});
