import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@autocode/toolkit';
import { createCheckRunner, failingOutput, probeSandbox } from './run.js';

const plan = probeSandbox();
const cwd = mkdtempSync(join(tmpdir(), 'codegen-checks-'));
let server: Server;
let url: string;

beforeAll(async () => {
  server = createServer((_req, res) => res.end('reachable'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

const run = (cmd: string, opts: { timeoutMs?: number; memoryBytes?: number } = {}) =>
  createCheckRunner({ plan, log: silentLogger, echo: false, ...opts })([{ name: 'c', run: cmd }], cwd).then(
    (r) => r[0]!,
  );

describe('checks', () => {
  it('passes and fails by exit code, keeping the output', async () => {
    expect(await run('echo hello')).toMatchObject({ passed: true, exitCode: 0, output: 'hello\n' });
    const bad = await run('echo broken >&2; exit 3');
    expect(bad).toMatchObject({ passed: false, exitCode: 3 });
    expect(failingOutput([bad])).toContain('broken');
  });

  it('never shows the job environment (tokens, keys) to a check', async () => {
    process.env.GITHUB_TOKEN_FOR_TEST = 'ghs_secret';
    const r = await run('env');
    delete process.env.GITHUB_TOKEN_FOR_TEST;
    expect(r.output).not.toContain('ghs_secret');
    expect(r.output).toContain('CI=true');
  });

  it('stops a check at its time limit', async () => {
    const r = await run('sleep 30', { timeoutMs: 1000 });
    expect(r).toMatchObject({ passed: false, timedOut: true });
    expect(r.durationMs).toBeLessThan(10_000);
  });

  it('caps memory', async () => {
    const r = await run(
      `node -e "const a=[];for(let i=0;i<20;i++)a.push(Buffer.alloc(64*1024*1024,1));console.log('allocated')"`,
      {
        memoryBytes: 512 * 1024 ** 2,
      },
    );
    expect(r.passed).toBe(false);
    expect(r.output).not.toContain('allocated');
  });

  it('has no network where the host allows isolation', async () => {
    const r = await run(
      `node -e "fetch('${url}').then(r=>r.text()).then(t=>console.log(t),e=>{console.log('offline');process.exit(1)})"`,
    );
    if (plan.network === 'isolated') expect(r.output).toContain('offline');
    else expect(plan.notes.join()).toMatch(/network isolation unavailable/);
  });
});
