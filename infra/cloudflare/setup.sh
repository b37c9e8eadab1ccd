#!/usr/bin/env bash
# Provision the edge Worker's Cloudflare resources for one wrangler environment (staging | production):
# D1 database, KV namespace, D1 migrations, Worker secrets, deploy. Idempotent: existing D1/KV are reused.
# Resource names and bindings come from edge-api/wrangler.toml (database_name per env, KV binding CACHE).
#
# Usage: infra/cloudflare/setup.sh --env staging|production [--dry-run] [--skip-secrets] [--skip-deploy]
# Needs CLOUDFLARE_API_TOKEN (Workers Scripts:Edit, D1:Edit, Workers KV Storage:Edit) and CLOUDFLARE_ACCOUNT_ID.
# Secret values are read from files (*_FILE variables) or generated; they are never echoed (wrangler reads them from stdin).
set -euo pipefail

ENVIRONMENT=""
DRY_RUN=0
SKIP_SECRETS=0
SKIP_DEPLOY=0
while [[ $# -gt 0 ]]; do
  case "$1" in
    --env) ENVIRONMENT="$2"; shift 2 ;;
    --dry-run) DRY_RUN=1; shift ;;
    --skip-secrets) SKIP_SECRETS=1; shift ;;
    --skip-deploy) SKIP_DEPLOY=1; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
case "$ENVIRONMENT" in
  staging|production) ;;
  *) echo "usage: $0 --env staging|production [--dry-run] [--skip-secrets] [--skip-deploy]" >&2; exit 2 ;;
esac

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
EDGE="$ROOT/edge-api"
D1_NAME="autocode-$ENVIRONMENT"
WRANGLER=(npx --prefix "$EDGE" wrangler)

run() {
  if [[ $DRY_RUN -eq 1 ]]; then printf 'dry-run: %s\n' "$*"; else (cd "$EDGE" && "$@"); fi
}

# `wrangler secret put` reads the value from stdin; the value never appears in argv or the log.
put_secret() {
  local name="$1" source="$2"
  if [[ $DRY_RUN -eq 1 ]]; then printf 'dry-run: wrangler secret put %s --env %s < (%s)\n' "$name" "$ENVIRONMENT" "$source"; return; fi
  case "$source" in
    generate:hex32) openssl rand -hex 32 ;;
    generate:base64-32) openssl rand -base64 32 ;;
    generate:ed25519-jwk) node -e "const {generateKeyPairSync}=require('node:crypto');const k=generateKeyPairSync('ed25519');process.stdout.write(JSON.stringify(k.privateKey.export({format:'jwk'})))" ;;
    file:*) cat "${source#file:}" ;;
  esac | (cd "$EDGE" && "${WRANGLER[@]}" secret put "$name" --env "$ENVIRONMENT")
}

echo "== D1 database $D1_NAME"
if [[ $DRY_RUN -eq 0 ]] && (cd "$EDGE" && "${WRANGLER[@]}" d1 list --json) | grep -q "\"name\": *\"$D1_NAME\""; then
  echo "exists; reusing"
else
  run "${WRANGLER[@]}" d1 create "$D1_NAME"
  echo "copy the printed database_id into edge-api/wrangler.toml [[env.$ENVIRONMENT.d1_databases]]"
fi

echo "== KV namespace CACHE ($ENVIRONMENT)"
run "${WRANGLER[@]}" kv namespace create CACHE --env "$ENVIRONMENT" || echo "already exists; keep the id in wrangler.toml"
echo "copy the printed id into edge-api/wrangler.toml [[env.$ENVIRONMENT.kv_namespaces]] (binding CACHE)"

echo "== D1 migrations"
run "${WRANGLER[@]}" d1 migrations apply DB --env "$ENVIRONMENT" --remote

if [[ $SKIP_SECRETS -eq 0 ]]; then
  echo "== Worker secrets (values from files/env or generated; never printed)"
  [[ $DRY_RUN -eq 1 ]] || : "${GITHUB_APP_PRIVATE_KEY_FILE:?set GITHUB_APP_PRIVATE_KEY_FILE to the App .pem (PKCS#8: openssl pkcs8 -topk8 -nocrypt)}"
  put_secret GITHUB_APP_PRIVATE_KEY "file:${GITHUB_APP_PRIVATE_KEY_FILE:-app.pem}"
  # The webhook secret must equal the App's webhook secret; rotate-secrets keeps both in step afterwards.
  if [[ -n "${WEBHOOK_SECRET_FILE:-}" ]]; then put_secret WEBHOOK_SECRET "file:$WEBHOOK_SECRET_FILE"; else put_secret WEBHOOK_SECRET generate:hex32; fi
  put_secret AUDIT_SIGNING_KEY generate:ed25519-jwk
  put_secret AUDIT_ENCRYPTION_KEY generate:base64-32
  put_secret METRICS_TOKEN generate:hex32
  if [[ -n "${ALERT_ROUTING_KEY_FILE:-}" ]]; then put_secret ALERT_ROUTING_KEY "file:$ALERT_ROUTING_KEY_FILE"; fi
fi

if [[ $SKIP_DEPLOY -eq 0 ]]; then
  echo "== deploy"
  run "${WRANGLER[@]}" deploy --env "$ENVIRONMENT"
fi
echo "done: $ENVIRONMENT"
