/**
 * A read-only checkout of one commit without third-party actions: `git init`, a shallow fetch of the ref and
 * a detached checkout. The token travels as an `http.extraheader` through GIT_CONFIG_* environment
 * variables, so it is never written to `.git/config` where the checks (model-written code) could read it.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync } from 'node:fs';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';

export interface CheckoutOptions {
  /** https://host/owner/repo.git */
  url: string;
  token?: string;
  ref: string;
  dir: string;
}

const run = promisify(execFile);

/** Async on purpose: a synchronous git would block the event loop of a process that also serves the repo. */
export async function checkoutRepo(options: CheckoutOptions): Promise<{ sha: string }> {
  mkdirSync(options.dir, { recursive: true });
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    GIT_TERMINAL_PROMPT: '0',
  };
  if (options.token) {
    const basic = Buffer.from(`x-access-token:${options.token}`).toString('base64');
    Object.assign(env, {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'http.extraheader',
      GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}`,
    });
  }
  const git = async (args: string[]) =>
    (await run('git', args, { cwd: options.dir, env, encoding: 'utf8' })).stdout.trim();
  try {
    await git(['init', '-q']);
    await git(['fetch', '-q', '--depth=1', '--no-tags', options.url, options.ref]);
    await git(['checkout', '-q', '--detach', 'FETCH_HEAD']);
    return { sha: await git(['rev-parse', 'HEAD']) };
  } catch (err) {
    const stderr = String((err as { stderr?: unknown }).stderr ?? '');
    throw new AutocodeError(
      ErrorCodes.UPSTREAM_FAILED,
      `could not fetch ${options.ref}: ${stderr.trim() || (err as Error).message}`,
      {
        cause: err,
        hint: 'check the repository, the ref, and that the token can read contents',
      },
    );
  }
}
