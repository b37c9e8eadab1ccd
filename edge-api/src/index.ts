/**
 * Worker entry: fetch → router (errors mapped once, in http.ts); scheduled → drain the outbox, sign a
 * checkpoint of the audit log.
 */
import type { Env } from './env.js';
import { createContext } from './context.js';
import { router } from './router.js';
import { errorResponse } from './http.js';
import { drainDue } from './adapters/outbox.js';

export default {
  async fetch(request: Request, env: Env, ctx: ExecutionContext): Promise<Response> {
    try {
      const c = createContext(env, (p) => ctx.waitUntil(p));
      return (await router.fetch(request, c)) as Response;
    } catch (err) {
      return errorResponse(err);
    }
  },

  async scheduled(_event: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
    const c = createContext(env, (p) => ctx.waitUntil(p));
    await drainDue(c);
    await c.audit.checkpoint();
  },
} satisfies ExportedHandler<Env>;
