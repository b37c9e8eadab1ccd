#!/usr/bin/env node
// Deploy-time site files for a built PWA: `config.json` (identity provider, VAPID key) and `_headers` (the strict
// Content-Security-Policy and caching rules that Workers static assets — and Miniflare — apply to every asset).
// The CSP depends on the issuer's origin (the token endpoint is called from the page), hence not at build time.
// Usage: node scripts/configure.mjs --dir dist --issuer URL --client-id ID [--audience A] [--roles-claim C]
//        [--vapid-public-key K] [--environment NAME]
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The policy the app is built to run under: no inline script or style, no eval, nothing from other origins. */
export function contentSecurityPolicy({ issuer }) {
  const idp = new URL(issuer).origin;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    `connect-src 'self' ${idp}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "frame-src 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "require-trusted-types-for 'script'",
    'trusted-types autocode',
  ].join('; ');
}

/** Response headers per path pattern (Cloudflare `_headers` semantics). */
export function headerRules(opts) {
  return {
    '/*': {
      'Content-Security-Policy': contentSecurityPolicy(opts),
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Permissions-Policy':
        'camera=(), microphone=(), geolocation=(), publickey-credentials-get=(self), publickey-credentials-create=(self)',
    },
    // Hashed file names: cache forever. The worker script and config must always be revalidated.
    '/assets/*': { 'Cache-Control': 'public, max-age=31536000, immutable' },
    '/sw.js': { 'Cache-Control': 'no-cache' },
    '/config.json': { 'Cache-Control': 'no-cache' },
    '/index.html': { 'Cache-Control': 'no-cache' },
  };
}

export function headersFile(opts) {
  return Object.entries(headerRules(opts))
    .map(([path, headers]) => [path, ...Object.entries(headers).map(([k, v]) => `  ${k}: ${v}`)].join('\n'))
    .join('\n')
    .concat('\n');
}

export function siteConfig(opts) {
  return {
    oidc: {
      issuer: opts.issuer,
      client_id: opts.clientId,
      ...(opts.scope ? { scope: opts.scope } : {}),
      ...(opts.audience ? { audience: opts.audience } : {}),
      roles_claim: opts.rolesClaim ?? 'autocode_roles',
    },
    ...(opts.vapidPublicKey ? { vapid_public_key: opts.vapidPublicKey } : {}),
    ...(opts.environment ? { environment: opts.environment } : {}),
  };
}

/** Write `config.json` and `_headers` into a built site directory. */
export function configureSite(dir, opts) {
  if (!opts.issuer || !opts.clientId) throw new Error('configure: --issuer and --client-id are required');
  writeFileSync(join(dir, 'config.json'), `${JSON.stringify(siteConfig(opts), null, 2)}\n`);
  writeFileSync(join(dir, '_headers'), headersFile(opts));
  // Miniflare reads these two when present; under jest's VM modules it also trips over their absence.
  writeFileSync(join(dir, '.assetsignore'), '# files the Worker must not serve (none)\n');
  writeFileSync(join(dir, '_redirects'), '# no redirects: the app routes in the URL hash\n');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string', default: 'dist' },
      issuer: { type: 'string' },
      'client-id': { type: 'string' },
      scope: { type: 'string' },
      audience: { type: 'string' },
      'roles-claim': { type: 'string' },
      'vapid-public-key': { type: 'string' },
      environment: { type: 'string' },
    },
  });
  configureSite(values.dir, {
    issuer: values.issuer,
    clientId: values['client-id'],
    scope: values.scope,
    audience: values.audience,
    rolesClaim: values['roles-claim'],
    vapidPublicKey: values['vapid-public-key'],
    environment: values.environment,
  });
  console.log(`configure: wrote ${join(values.dir, 'config.json')} and ${join(values.dir, '_headers')}`);
}
