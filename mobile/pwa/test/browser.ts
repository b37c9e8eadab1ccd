/**
 * Browser plumbing for the PWA tests: build the app, launch Debian's Chromium through playwright-core (never a
 * downloaded browser), phone-sized screenshots, axe-core accessibility checks, CSP violation capture, and the
 * sign-in/out steps through the dev identity provider.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
export const SHOTS = join(root, '.test-results/screenshots');
export const PHONE = { width: 390, height: 844 };
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Build the current sources into a fresh directory (the test never depends on a stale `dist/`). */
export function buildApp(): string {
  const out = mkdtempSync(join(tmpdir(), 'pwa-dist-'));
  const pkg = createRequire(join(here, '../package.json')).resolve('vite/package.json');
  const vite = join(dirname(pkg), 'bin/vite.js');
  const r = spawnSync(
    process.execPath,
    [vite, 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'],
    {
      cwd: join(here, '..'),
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
  return out;
}

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // playwright-core gives every launch a fresh temporary profile (its own --user-data-dir).
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A phone-sized screenshot: the viewport, from the top unless `keepScroll`. */
export async function shot(page: Page, name: string, keepScroll = false): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  if (!keepScroll) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

/** Console messages that mean the Content-Security-Policy or Trusted Types blocked something. */
export function watchCsp(page: Page): string[] {
  const violations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Trusted ?Type/i.test(m.text())) violations.push(m.text());
  });
  return violations;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

/** WCAG 2.1 A/AA rules (labels, contrast, names, landmarks…) on the current screen; returns the violations. */
export async function axe(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const run = (window as unknown as { axe: { run: (ctx: Document, o: object) => Promise<unknown> } }).axe
      .run;
    const r = (await run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    })) as { violations: AxeViolation[] };
    return r.violations;
  });
  return violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

export async function signIn(page: Page, origin: string, user: RegExp): Promise<void> {
  await page.goto(`${origin}/`);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: user }).click();
  await page.getByRole('heading', { name: 'New command' }).waitFor();
}

export async function signOut(page: Page, origin: string): Promise<void> {
  await page.goto(`${origin}/#/settings`);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}
