/**
 * Workflow callbacks authenticate with a GitHub Actions OIDC token whose audience is this API and whose
 * `repository_owner` is in the configured allow-list.
 */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Config } from '../env.js';
import { bearer, verifyJwt } from './jwks.js';

export interface Workflow {
  repository: string;
  owner: string;
  runId: string | undefined;
  workflowRef: string | undefined;
}

export async function authenticateWorkflow(
  request: Request,
  config: Config,
  kv: KVNamespace,
): Promise<Workflow> {
  const payload = await verifyJwt(bearer(request), config.actions.jwksUrl, kv, {
    issuer: config.actions.issuer,
    audience: config.actions.audience,
    algorithms: ['RS256'],
    clockTolerance: 30,
  });
  const owner = typeof payload.repository_owner === 'string' ? payload.repository_owner : '';
  const repository = typeof payload.repository === 'string' ? payload.repository : '';
  if (!owner || !config.allowedOwners.includes(owner.toLowerCase())) {
    throw new AutocodeError(
      ErrorCodes.FORBIDDEN,
      `repository owner "${owner}" is not allowed to call this API`,
    );
  }
  return {
    repository,
    owner,
    runId: typeof payload.run_id === 'string' ? payload.run_id : undefined,
    workflowRef: typeof payload.workflow_ref === 'string' ? payload.workflow_ref : undefined,
  };
}
