#!/usr/bin/env node
// Idempotent setup used by `npm test` and `npm start` on a fresh clone: npm packages, pinned Go tools into
// .tools/bin, and (when asked) Debian's chromium. Each step is skipped when already satisfied.
// Usage: node scripts/setup.mjs [--for test|start|bench] [--quiet]
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const purpose = args.includes('--for') ? args[args.indexOf('--for') + 1] : 'test';
const quiet = args.includes('--quiet');
const say = (m) => {
  if (!quiet) console.error(`setup: ${m}`);
};
const toolsDir = join(root, '.tools');
const binDir = join(toolsDir, 'bin');
const tools = JSON.parse(readFileSync(join(root, 'tools.json'), 'utf8'));

function run(cmd, argv, opts = {}) {
  const r = spawnSync(cmd, argv, {
    stdio: quiet ? 'pipe' : ['ignore', 'inherit', 'inherit'],
    cwd: root,
    ...opts,
  });
  if (r.status !== 0) {
    const out = quiet ? `\n${r.stdout ?? ''}${r.stderr ?? ''}` : '';
    throw new Error(`${cmd} ${argv.join(' ')} failed with exit code ${r.status}${out}`);
  }
}

function npmDeps() {
  const lock = readFileSync(join(root, 'package-lock.json'));
  const hash = createHash('sha256').update(lock).digest('hex');
  const marker = join(root, 'node_modules', '.autocode-lock-hash');
  if (existsSync(marker) && readFileSync(marker, 'utf8') === hash) return say('npm packages up to date');
  say('installing npm packages (npm ci)…');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  writeFileSync(marker, hash);
}

function goTools() {
  mkdirSync(binDir, { recursive: true });
  for (const [name, t] of Object.entries(tools.go)) {
    if (t.for !== purpose && !(purpose === 'bench' || t.for === 'test')) continue;
    const stamp = join(toolsDir, `${name}.version`);
    // Build tags are part of the stamp, so adding one (e.g. opa_wasm) reinstalls the tool once.
    const want = t.tags ? `${t.version}+${t.tags}` : t.version;
    if (existsSync(join(binDir, name)) && existsSync(stamp) && readFileSync(stamp, 'utf8') === want) continue;
    say(`go install ${t.module}@${t.version} (first run only; this can take a few minutes)…`);
    run('go', ['install', ...(t.tags ? [`-tags=${t.tags}`] : []), `${t.module}@${t.version}`], {
      env: { ...process.env, GOBIN: binDir, CGO_ENABLED: '0', GOFLAGS: '-trimpath' },
    });
    writeFileSync(stamp, want);
  }
  say(`Go tools ready in ${binDir}`);
}

function chromium() {
  const c = tools.apt.chromium;
  if (existsSync(c.binary)) return say('chromium present');
  say('installing chromium from Debian (apt-get)…');
  const sudo = process.getuid?.() === 0 ? [] : ['sudo'];
  const apt = (a) =>
    run(sudo[0] ?? 'apt-get', sudo.length ? ['apt-get', ...a] : a, {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
  try {
    apt(['install', '-y', '--no-install-recommends', c.package]);
  } catch {
    apt(['update']);
    apt(['install', '-y', '--no-install-recommends', c.package]);
  }
}

try {
  execFileSync('go', ['version'], { stdio: 'ignore' });
} catch {
  console.error(
    'setup: Go is required to install opa/actionlint/act (https://go.dev/dl/); install Go and rerun',
  );
  process.exit(2);
}
npmDeps();
goTools();
if (args.includes('--chromium') || purpose === 'test' || purpose === 'start') chromium();
