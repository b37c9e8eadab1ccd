/**
 * Cloudflare Worker secrets through the official `cloudflare` SDK. The new value and the old one (in the
 * `previous_name` binding) are written in one merge-patch request (`secrets-bulk`), which Cloudflare turns into
 * a single new Worker version: there is no moment where the Worker knows only one of them.
 */
import Cloudflare from 'cloudflare';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { StoreSpec } from './plan.js';
import { describeStore } from './plan.js';
import type { SecretStore } from './ports.js';

type WorkerSpec = Extract<StoreSpec, { type: 'cloudflare-worker' }>;

export interface CloudflareOptions {
  apiToken: string;
  /** API root; default https://api.cloudflare.com/client/v4 (tests point it at a loopback stand-in). */
  baseURL?: string;
  fetch?: typeof fetch;
}

export function cloudflareClient(options: CloudflareOptions): Cloudflare {
  return new Cloudflare({
    apiToken: options.apiToken,
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    ...(options.fetch ? { fetch: options.fetch } : {}),
    maxRetries: 3,
  });
}

const text = (name: string, value: string) => ({ name, text: value, type: 'secret_text' as const });

export function workerSecretStore(client: Cloudflare, s: WorkerSpec, secret: string): SecretStore {
  const name = s.name ?? secret;
  const params = { account_id: s.account_id };
  return {
    describe: describeStore(s, secret),
    hasPreviousSlot: !!s.previous_name,
    async write(value, previous) {
      const secrets: Record<string, ReturnType<typeof text>> = { [name]: text(name, value) };
      if (s.previous_name && previous !== undefined)
        secrets[s.previous_name] = text(s.previous_name, previous);
      await client.workers.scripts.secrets.bulkUpdate(s.script, { ...params, secrets });
    },
    async verify() {
      const names: string[] = [];
      for await (const b of client.workers.scripts.secrets.list(s.script, params)) names.push(b.name);
      if (!names.includes(name)) {
        throw new AutocodeError(
          ErrorCodes.UPSTREAM_FAILED,
          `Worker ${s.script} does not list secret ${name}`,
        );
      }
    },
    async revokePrevious() {
      if (!s.previous_name) return;
      // null deletes in a merge patch; deleting an absent binding is a no-op, so a rerun converges.
      await client.workers.scripts.secrets.bulkUpdate(s.script, {
        ...params,
        secrets: { [s.previous_name]: null },
      });
    },
  };
}
