/**
 * The PWA's pure parts: GitHub patch parsing, push payloads → notifications, routes, role claims, prompt
 * template front matter, the CSP and site config, the first-load size measure.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parsePatch } from '../src/components/diff.js';
import { toNotification } from '../src/notifications.js';
import { href, parseRoute } from '../src/router.js';
import { isCacheableRead } from '../src/api/paths.js';
import { roleOf } from '../src/auth/session.js';
import { templateMeta } from '../plugins/prompt-templates.js';
// @ts-expect-error plain JavaScript
import { contentSecurityPolicy, headersFile, siteConfig } from '../scripts/configure.mjs';
// @ts-expect-error plain JavaScript
import { measure } from '../scripts/size.mjs';

describe('parsePatch', () => {
  it('numbers old and new lines across hunks', () => {
    const lines = parsePatch('@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n@@ -10,1 +10,2 @@ fn\n x\n+y');
    expect(lines.map((l) => [l.kind, l.oldNo ?? null, l.newNo ?? null, l.text])).toEqual([
      ['hunk', null, null, '@@ -1,3 +1,3 @@'],
      ['ctx', 1, 1, 'a'],
      ['del', 2, null, 'b'],
      ['add', null, 2, 'B'],
      ['ctx', 3, 3, 'c'],
      ['hunk', null, null, '@@ -10,1 +10,2 @@ fn'],
      ['ctx', 10, 10, 'x'],
      ['add', null, 11, 'y'],
    ]);
  });

  it('keeps "no newline" notes and drops the phantom line of a trailing newline', () => {
    const lines = parsePatch('@@ -0,0 +1 @@\n+only\n\\ No newline at end of file\n');
    expect(lines.map((l) => l.kind)).toEqual(['hunk', 'add', 'note']);
    expect(lines[2]?.text).toBe('No newline at end of file');
  });
});

describe('toNotification', () => {
  it('maps the three kinds to titles and in-app routes', () => {
    expect(toNotification({ kind: 'pr.opened', repo: 'o/r', number: 3, pr_id: 99 })).toMatchObject({
      title: 'PR ready',
      body: 'o/r#3 is ready for review.',
      url: '/#/prs/99',
    });
    const id = '0f8fad5b-d9cb-469f-a165-70867728950e';
    expect(toNotification({ kind: 'job.failed', repo: 'o/r', job_id: id, message: 'boom' })).toMatchObject({
      title: 'Job failed',
      body: 'o/r: boom',
      url: `/#/jobs/${id}`,
    });
    expect(toNotification({ kind: 'approval.requested', repo: 'o/r', number: 3 }).title).toBe(
      'Approval requested',
    );
  });

  it('never links outside the app, whatever the payload says', () => {
    const n = toNotification({ kind: 'job.failed', job_id: 'https://evil.example/x' });
    expect(n.url).toBe('/#/history');
    expect(toNotification('garbage').url).toBe('/');
  });
});

describe('routes', () => {
  it('round-trips every route through its hash', () => {
    for (const r of [
      { name: 'command' },
      { name: 'job', id: 'abc' },
      { name: 'pr', id: 12 },
      { name: 'prs' },
      { name: 'admin' },
    ] as const) {
      expect(parseRoute(href(r))).toEqual(r);
    }
    expect(parseRoute('#/prs/not-a-number')).toEqual({ name: 'prs' });
    expect(parseRoute('#/unknown')).toEqual({ name: 'command' });
  });

  it('caches reads only: never approvals, WebAuthn, push or other origins', () => {
    const o = 'https://app.example';
    const ok = (m: string, p: string, origin = o) => isCacheableRead(m, new URL(p, origin), o);
    expect(ok('GET', '/v1/prs?state=open')).toBe(true);
    expect(ok('GET', '/config.json')).toBe(true);
    expect(ok('POST', '/v1/commands')).toBe(false);
    expect(ok('GET', '/v1/approvals/x')).toBe(false);
    expect(ok('GET', '/v1/webauthn/register/options')).toBe(false);
    expect(ok('GET', '/v1/prs', 'https://elsewhere.example')).toBe(false);
    expect(ok('GET', '/health')).toBe(false);
  });
});

describe('roleOf', () => {
  it('takes the highest role from arrays or separated strings, as the edge does', () => {
    expect(roleOf(['member', 'admin'])).toBe('admin');
    expect(roleOf('member approver')).toBe('approver');
    expect(roleOf('owner')).toBeUndefined();
    expect(roleOf(undefined)).toBeUndefined();
  });
});

describe('prompt templates', () => {
  it('lists selectable codegen templates by name; inputs are render variables, not questions', () => {
    const md = `---\nname: add_tests\ndescription: Add tests\ninputs: [command, files]\nedit_format: unified-diff\n---\nBody`;
    expect(templateMeta('add_tests.md', md)).toEqual({
      id: 'add_tests',
      name: 'add tests',
      description: 'Add tests',
      command: 'codegen',
    });
    expect(templateMeta('fix.md', '---\nname: fix\nselectable: false\n---\n')).toBeUndefined();
    expect(templateMeta('README.md', '# no front matter')).toBeUndefined();
  });
});

describe('site configuration', () => {
  it('allows nothing inline and only the issuer beyond self', () => {
    const csp = contentSecurityPolicy({ issuer: 'https://login.example.com/tenant' }) as string;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("connect-src 'self' https://login.example.com;");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(headersFile({ issuer: 'https://login.example.com' })).toMatch(
      /^\/\*\n {2}Content-Security-Policy: /,
    );
    expect(siteConfig({ issuer: 'https://i', clientId: 'c' })).toEqual({
      oidc: { issuer: 'https://i', client_id: 'c', roles_claim: 'autocode_roles' },
    });
  });
});

describe('first-load size', () => {
  it('follows static imports from index.html, not dynamic ones, and flags inline scripts', () => {
    const dist = mkdtempSync(join(tmpdir(), 'pwa-size-'));
    try {
      mkdirSync(join(dist, 'assets'));
      writeFileSync(join(dist, 'index.html'), '<script type="module" src="/assets/a.js"></script>');
      writeFileSync(join(dist, 'assets/a.js'), 'import{x}from"./b.js";const l=()=>import("./lazy.js");');
      writeFileSync(join(dist, 'assets/b.js'), 'export const x=1;');
      writeFileSync(join(dist, 'assets/lazy.js'), 'x'.repeat(300_000));
      const r = measure(dist) as { files: { path: string }[]; ok: boolean; inlineScripts: number };
      expect(r.files.map((f) => f.path).sort()).toEqual(['/assets/a.js', '/assets/b.js']);
      expect(r.ok).toBe(true);
      writeFileSync(
        join(dist, 'index.html'),
        '<script>alert(1)</script><script type="module" src="/assets/a.js"></script>',
      );
      expect((measure(dist) as { ok: boolean; inlineScripts: number }).inlineScripts).toBe(1);
    } finally {
      rmSync(dist, { recursive: true, force: true });
    }
  });
});
