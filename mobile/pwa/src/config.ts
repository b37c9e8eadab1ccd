/**
 * Runtime configuration, read from `/config.json` next to the app (written at deploy time or by `npm start`;
 * see `scripts/configure.mjs`), so one build serves every environment.
 */
export interface AppConfig {
  oidc: {
    issuer: string;
    client_id: string;
    /** Default `openid profile`. */
    scope?: string;
    /** Some identity providers (Auth0, Entra) need the API audience on the authorization request. */
    audience?: string;
    /** Claim holding the user's autocode roles (the edge's OIDC_ROLES_CLAIM). */
    roles_claim?: string;
  };
  /** VAPID application server key (base64url, uncompressed P-256 point); push is offered only when set. */
  vapid_public_key?: string;
  environment?: string;
}

export async function loadConfig(): Promise<AppConfig> {
  const res = await fetch('/config.json', { headers: { accept: 'application/json' } });
  if (!res.ok) throw new Error(`could not load /config.json (${res.status})`);
  const cfg = (await res.json()) as AppConfig;
  if (!cfg.oidc?.issuer || !cfg.oidc.client_id) {
    throw new Error('/config.json must name oidc.issuer and oidc.client_id');
  }
  return cfg;
}
