/**
 * A GitHub Actions OIDC issuer under `/oidc`: discovery, JWKS and RS256 job tokens with the claims GitHub puts
 * in them (`repository`, `repository_owner`, `workflow_ref`, `ref`, `run_id`, `aud`, …). The signing key is
 * kept in the forge state so tokens verify across restarts.
 */
import { randomUUID } from 'node:crypto';
import type { JWK } from 'jose';
import { SignJWT, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { Store } from './store.js';

export interface ActionsIdTokenClaims {
  repository: string;
  repository_owner?: string;
  workflow_ref?: string;
  ref?: string;
  run_id?: string | number;
  aud?: string | string[];
  sha?: string;
  actor?: string;
  event_name?: string;
  environment?: string;
  job_workflow_ref?: string;
  [claim: string]: unknown;
}

/** GitHub's job tokens are valid for a few minutes; we use 10 minutes. */
const TOKEN_TTL_S = 600;

export class OidcIssuer {
  private key?: { privateKey: Awaited<ReturnType<typeof importJWK>>; jwk: JWK };
  /** Runtime request tokens (ACTIONS_ID_TOKEN_REQUEST_TOKEN) and the job claims each stands for. */
  private readonly requests = new Map<string, ActionsIdTokenClaims>();

  constructor(
    private readonly store: Store,
    /** `${url}/oidc`; set once the server knows its port. */
    public issuer: string,
    private readonly now: () => Date,
  ) {}

  private async signingKey() {
    if (this.key) return this.key;
    let saved = this.store.state.oidcKey;
    if (!saved) {
      const { privateKey } = await generateKeyPair('RS256', { extractable: true });
      saved = { privateJwk: (await exportJWK(privateKey)) as Record<string, unknown>, kid: randomUUID() };
      this.store.state.oidcKey = saved;
      this.store.save();
    }
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = saved.privateJwk as JWK;
    this.key = {
      privateKey: await importJWK(saved.privateJwk as JWK, 'RS256'),
      jwk: { ...pub, kid: saved.kid, alg: 'RS256', use: 'sig' },
    };
    return this.key;
  }

  /**
   * Credentials for `@actions/core`'s `getIDToken()`: set ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN to these and the
   * job gets a token with `claims` (the audience comes from the request, as on GitHub).
   */
  requestToken(claims: ActionsIdTokenClaims): { url: string; token: string } {
    const token = randomUUID();
    this.requests.set(token, claims);
    return { url: `${this.issuer}/token?api-version=2.0`, token };
  }

  claimsForRequest(token: string): ActionsIdTokenClaims | undefined {
    return this.requests.get(token);
  }

  discovery() {
    return {
      issuer: this.issuer,
      jwks_uri: `${this.issuer}/.well-known/jwks`,
      subject_types_supported: ['public', 'pairwise'],
      response_types_supported: ['id_token'],
      claims_supported: [
        'sub',
        'aud',
        'exp',
        'iat',
        'iss',
        'jti',
        'nbf',
        'ref',
        'repository',
        'repository_id',
        'repository_owner',
        'run_id',
        'workflow',
        'workflow_ref',
        'actor',
        'event_name',
        'sha',
      ],
      id_token_signing_alg_values_supported: ['RS256'],
      scopes_supported: ['openid'],
    };
  }

  async jwks() {
    return { keys: [(await this.signingKey()).jwk] };
  }

  async mint(claims: ActionsIdTokenClaims): Promise<string> {
    const { privateKey, jwk } = await this.signingKey();
    const owner = claims.repository_owner ?? claims.repository.split('/')[0];
    const ref = claims.ref ?? 'refs/heads/main';
    const workflowRef = claims.workflow_ref ?? `${claims.repository}/.github/workflows/ci.yml@${ref}`;
    const nowS = Math.floor(this.now().getTime() / 1000);
    const { aud, ...rest } = claims;
    return new SignJWT({
      sub: `repo:${claims.repository}:ref:${ref}`,
      ref,
      ref_type: 'branch',
      repository_owner: owner,
      workflow_ref: workflowRef,
      job_workflow_ref: workflowRef,
      run_id: String(claims.run_id ?? '1'),
      run_number: '1',
      run_attempt: '1',
      event_name: 'workflow_dispatch',
      runner_environment: 'self-hosted',
      ...rest,
      ...(claims.run_id !== undefined ? { run_id: String(claims.run_id) } : {}),
    })
      .setProtectedHeader({ alg: 'RS256', kid: jwk.kid!, typ: 'JWT' })
      .setIssuer(this.issuer)
      .setAudience(aud ?? `${this.issuer.replace(/\/oidc$/, '')}/${owner}`)
      .setJti(randomUUID())
      .setIssuedAt(nowS)
      .setNotBefore(nowS - 5)
      .setExpirationTime(nowS + TOKEN_TTL_S)
      .sign(privateKey);
  }
}
