/**
 * `autocode up`: the whole system on this machine — the edge API in workerd serving the PWA, the sandbox
 * forge with the local runner (unless a GitHub App is configured), a development sign-in (unless a real
 * identity provider is configured) — until Ctrl+C. The work is `startStack` in @autocode/sandbox/stack; this
 * file maps flags to its options and prints what it started.
 */
import type { Command } from 'commander';
import { readEnum, readInteger, recordInputReader } from '@autocode/toolkit';
import type { LlmChoice, StackPorts } from '@autocode/sandbox/stack';
import { DEFAULT_PORTS, describeStack, resetStack, startStack } from '@autocode/sandbox/stack';
import { repoRoot } from '../env.js';

interface UpFlags {
  stateDir?: string;
  port?: string;
  loginPort?: string;
  keysPort?: string;
  forgePort?: string;
  llmPort?: string;
  llm?: string;
  reset?: boolean;
}

const PORT_OPTIONS: [keyof StackPorts, keyof UpFlags, string][] = [
  ['app', 'port', 'app and edge API port'],
  ['login', 'loginPort', 'development sign-in port'],
  ['keys', 'keysPort', 'development issuer keys (JWKS) port'],
  ['forge', 'forgePort', 'forge (GitHub) port'],
  ['llm', 'llmPort', 'sandbox LLM server port (with --llm sandbox)'],
];

export function registerUp(program: Command): void {
  const up = program
    .command('up')
    .description(
      'run the whole system locally (edge API + PWA, sandbox GitHub + runner, dev sign-in) until Ctrl+C',
    )
    .option('--state-dir <dir>', 'where state persists (default .autocode in the checkout)')
    .option(
      '--llm <source>',
      'codegen model: config (autocode.yaml / AUTOCODE_LLM_PROVIDERS), sandbox or none',
      'config',
    )
    .option('--reset', 'delete the kept sandbox and edge state first');
  for (const [name, flag, what] of PORT_OPTIONS) {
    const dashed = flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
    up.option(`--${dashed} <port>`, `${what} (0 = any free port)`, String(DEFAULT_PORTS[name]));
  }
  up.action(async (flags: UpFlags) => {
    const input = recordInputReader({ llm: flags.llm });
    const ports = Object.fromEntries(
      PORT_OPTIONS.map(([name, flag]) => [
        name,
        readInteger(recordInputReader({ [flag]: flags[flag] as string }), flag, DEFAULT_PORTS[name], {
          min: 0,
          max: 65535,
        }),
      ]),
    ) as unknown as StackPorts;
    const stateDir = flags.stateDir ?? `${repoRoot}/.autocode`;
    if (flags.reset) for (const dir of resetStack(stateDir)) console.log(`removed ${dir}`);
    const stack = await startStack({
      root: repoRoot,
      stateDir,
      ports,
      llm: readEnum(input, 'llm', ['config', 'sandbox', 'none'] as const, 'config') as LlmChoice,
      log: (line) => console.log(line),
    });
    console.log(describeStack(stack));
    await new Promise<void>((resolve) => {
      // Miniflare's exit hook would exit(130) at once on a signal, before the forge and the Worker close:
      // this command owns its signals. A second Ctrl+C stops without waiting.
      let stopping = false;
      const stop = () => {
        if (stopping) process.exit(130);
        stopping = true;
        console.log('stopping…');
        void stack.stop().then(resolve, resolve);
      };
      for (const signal of ['SIGINT', 'SIGTERM'] as const) {
        process.removeAllListeners(signal);
        process.on(signal, stop);
      }
    });
  });
}
