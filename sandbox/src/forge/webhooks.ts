/**
 * Webhook delivery: every event goes to the matching repository hooks, organization hooks and the App's own
 * webhook (with `installation` added), POSTed with `X-GitHub-Event`, `X-GitHub-Delivery` and
 * `X-Hub-Signature-256` (HMAC-SHA256 of the exact body bytes, which is what receivers must verify).
 */
import { createHmac, randomUUID } from 'node:crypto';
import { iso, nodeId } from './core.js';
import type { Store } from './store.js';

export interface Delivery {
  id: number;
  guid: string;
  /** 'app', or the hook id. */
  hook: 'app' | number;
  event: string;
  action: string | null;
  url: string;
  payload: Record<string, unknown>;
  headers: Record<string, string>;
  statusCode: number | null;
  error: string | null;
  deliveredAt: string;
}

export interface EmitTarget {
  /** 'owner/name' (lower-case key) of the repository the event concerns. */
  repoKey?: string;
  /** Organization (or user) login that owns it. */
  owner: string;
}

export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

export class Webhooks {
  readonly deliveries: Delivery[] = [];
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly now: () => Date,
  ) {}

  emit(event: string, payload: Record<string, unknown>, target: EmitTarget): void {
    const { state } = this.store;
    const owner = target.owner.toLowerCase();
    const wants = (events: string[]) => events.includes('*') || events.includes(event);
    for (const hook of state.hooks) {
      const scoped =
        (target.repoKey && hook.scope === `repo:${target.repoKey}`) || hook.scope === `org:${owner}`;
      if (scoped && hook.active && wants(hook.events)) {
        this.send(hook.id, hook.config.url, hook.config.secret, hook.config.contentType, event, payload);
      }
    }
    const app = state.app;
    const inst = state.installations.find((i) => i.account.toLowerCase() === owner && i.appId === undefined);
    if (app?.webhook.active && app.webhook.url && inst && (wants(inst.events) || event === 'installation')) {
      const withInst = {
        ...payload,
        installation: { id: inst.id, node_id: nodeId('Installation', inst.id) },
      };
      this.send('app', app.webhook.url, app.webhook.secret, app.webhook.contentType, event, withInst);
    }
  }

  /** Resolve once every delivery started so far has finished (tests await this). */
  async idle(): Promise<void> {
    while (this.pending.size) await Promise.all([...this.pending]);
  }

  private send(
    hook: 'app' | number,
    url: string,
    secret: string,
    contentType: 'json' | 'form',
    event: string,
    payload: Record<string, unknown>,
  ): void {
    const guid = randomUUID();
    const json = JSON.stringify(payload);
    const body = contentType === 'form' ? new URLSearchParams({ payload: json }).toString() : json;
    const headers: Record<string, string> = {
      'content-type': contentType === 'form' ? 'application/x-www-form-urlencoded' : 'application/json',
      'user-agent': 'GitHub-Hookshot/forge',
      'x-github-event': event,
      'x-github-delivery': guid,
      'x-github-hook-id': String(hook === 'app' ? 0 : hook),
    };
    if (secret) {
      headers['x-hub-signature-256'] = signBody(secret, body);
      headers['x-hub-signature'] = `sha1=${createHmac('sha1', secret).update(body).digest('hex')}`;
    }
    const delivery: Delivery = {
      id: this.store.id(),
      guid,
      hook,
      event,
      action: typeof payload.action === 'string' ? payload.action : null,
      url,
      payload,
      headers,
      statusCode: null,
      error: null,
      deliveredAt: iso(this.now()),
    };
    this.deliveries.push(delivery);
    const attempt = fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(10_000) })
      .then(async (res) => {
        delivery.statusCode = res.status;
        await res.arrayBuffer().catch(() => undefined);
      })
      .catch((err: unknown) => {
        delivery.error = err instanceof Error ? err.message : String(err);
      })
      .finally(() => this.pending.delete(attempt));
    this.pending.add(attempt);
  }
}
