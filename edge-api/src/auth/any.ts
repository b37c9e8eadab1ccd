/** Routes readable by both users and workflows (the kill-switch state): pick the verifier by the token's issuer. */
import { decodeJwt } from 'jose';
import type { Ctx } from '../context.js';
import { bearer } from './jwks.js';
import type { User } from './user.js';
import { authenticateUser } from './user.js';
import type { Workflow } from './workflow.js';
import { authenticateWorkflow } from './workflow.js';

export async function authenticateAny(request: Request, ctx: Ctx): Promise<User | Workflow> {
  let iss: string | undefined;
  try {
    iss = decodeJwt(bearer(request)).iss;
  } catch {
    iss = undefined; // the user verifier below produces the precise 401
  }
  if (iss === ctx.config.actions.issuer) return authenticateWorkflow(request, ctx.config, ctx.env.CACHE);
  return authenticateUser(request, ctx.config, ctx.env.CACHE);
}
