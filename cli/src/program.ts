import type { CommanderError } from 'commander';
import { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import { commands } from './commands/index.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/** Build the `autocode` program; each capability registers its subcommands on it. */
export function buildProgram(): Command {
  const program = new Command('autocode')
    .description('autocode: AI-driven code changes across a GitHub organization, gated by policy')
    .version(pkg.version, '-v, --version')
    .showHelpAfterError()
    .exitOverride((err: CommanderError) => {
      // --help and --version "fail" with exit code 0; usage errors are bad input (exit 2).
      if (err.exitCode === 0) process.exit(0);
      throw new AutocodeError(ErrorCodes.INVALID_INPUT, err.message.replace(/^error: /, ''), {
        hint: 'run `autocode --help` or `autocode <command> --help`',
      });
    })
    .configureOutput({ outputError: () => {} });
  for (const register of commands) register(program);
  return program;
}
