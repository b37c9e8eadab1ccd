/**
 * The labelled secret-scanning corpus used by the benchmark (bench/policy) and the scanner tests: realistic
 * files with fake credentials across providers, and tricky non-secrets (documentation examples, references,
 * hashes, public keys, placeholders). Generated at runtime — see ./random.ts for why nothing is stored.
 * Node only (PEM keys come from node:crypto).
 */
import { generateKeyPairSync } from 'node:crypto';
import { ALNUM, B64, B64URL, Fakes, HEX, SYMBOLS, UPPER32, p } from './random.js';

export interface CorpusItem {
  id: string;
  label: 'secret' | 'clean';
  /** Provider or kind, for the per-category table. */
  kind: string;
  file: string;
  content: string;
}

function pem(type: 'rsa' | 'ec' | 'ed25519', format: 'pkcs1' | 'pkcs8' | 'sec1'): string {
  const opts =
    type === 'rsa'
      ? { modulusLength: 2048 }
      : type === 'ec'
        ? { namedCurve: 'prime256v1' }
        : ({} as Record<string, never>);
  const { privateKey } = generateKeyPairSync(type as 'rsa', opts as { modulusLength: number });
  return privateKey.export({ type: format, format: 'pem' }) as string;
}

function openssh(f: Fakes): string {
  const body = f
    .chars(B64, 70 * 6)
    .match(/.{1,70}/g)!
    .join('\n');
  const tag = 'OPENSSH PRIVATE KEY';
  return `-----BEGIN ${tag}-----\nb3BlbnNzaC1rZXktdjEAAAAA${body}\n-----END ${tag}-----\n`;
}

/** Number the items `s01…` (secrets) or `n01…` (non-secrets). */
function labelled(items: [string, string, string][], label: CorpusItem['label']): CorpusItem[] {
  const prefix = label === 'secret' ? 's' : 'n';
  return items.map(([kind, file, content], i) => ({
    id: `${prefix}${String(i + 1).padStart(2, '0')}`,
    label,
    kind,
    file,
    content,
  }));
}

export function secrets(f: Fakes): CorpusItem[] {
  const gh = (kind: string) => p('gh', kind, '_', f.chars(ALNUM, 36));
  const slack = (kind: string) =>
    p('xox', kind, '-', f.digits(12), '-', f.digits(13), '-', f.chars(ALNUM, 24));
  const awsId = () => p('AK', 'IA', f.chars(UPPER32, 16));
  const awsSecret = () => f.chars(B64, 40);
  const stripe = (kind: string, mode = 'live') => p(kind, '_', mode, '_', f.chars(ALNUM, 24));
  const rsa = pem('rsa', 'pkcs1');
  const pk8 = pem('rsa', 'pkcs8');
  const items: [string, string, string][] = [
    ['aws', '.env', `AWS_REGION=eu-west-1\nAWS_ACCESS_KEY_ID=${awsId()}\n`],
    [
      'aws',
      'credentials',
      `[default]\naws_access_key_id = ${awsId()}\naws_secret_access_key = ${awsSecret()}\n`,
    ],
    ['aws', 'deploy.py', `import boto3\ns3 = boto3.client("s3", aws_secret_access_key="${awsSecret()}")\n`],
    ['aws', 'sts.json', `{"Credentials": {"AccessKeyId": "${p('AS', 'IA', f.chars(UPPER32, 16))}"}}\n`],
    ['aws', 'ci.sh', `export AWS_ACCESS_KEY_ID=${awsId()}\nexport AWS_SECRET_ACCESS_KEY=${awsSecret()}\n`],
    ['github', 'config.yml', `github:\n  token: ${gh('p')}\n`],
    [
      'github',
      'release.sh',
      `export GH_TOKEN=${p('github', '_pat_', f.chars(ALNUM, 22), '_', f.chars(ALNUM, 59))}\n`,
    ],
    ['github', 'oauth.js', `const client = new Octokit({ auth: '${gh('o')}' });\n`],
    ['github', 'app.test.ts', `const installationToken = '${gh('s')}';\n`],
    ['github', '.git-credentials', `https://ci:${gh('p')}@github.com\n`],
    ['github', 'refresh.json', `{"refresh_token": "${p('gh', 'r_', f.chars(ALNUM, 76))}"}\n`],
    ['slack', '.env', `SLACK_BOT_TOKEN=${slack('b')}\n`],
    ['slack', 'slack.json', `{"user_token": "${slack('p')}"}\n`],
    [
      'slack',
      'alerts.yml',
      `webhook: https://hooks.slack.com/services/T${f.chars(UPPER32, 8)}/B${f.chars(UPPER32, 10)}/${f.chars(ALNUM, 24)}\n`,
    ],
    ['stripe', 'billing.js', `const stripe = require('stripe')('${stripe('sk')}');\n`],
    ['stripe', '.env.production', `STRIPE_RESTRICTED_KEY=${stripe('rk')}\n`],
    ['stripe', 'payments.py', `stripe.api_key = "${stripe('sk', 'test')}"\n`],
    ['pem', 'server.key', rsa],
    ['pem', 'service.json', `{"type": "service_account", "private_key": ${JSON.stringify(pk8)}}\n`],
    ['pem', 'ec.pem', pem('ec', 'sec1')],
    ['pem', 'id_ed25519', openssh(f)],
    [
      'pem',
      'secret.yaml',
      `apiVersion: v1\nkind: Secret\nstringData:\n  tls.key: |\n${pem('ec', 'pkcs8').replace(/^/gm, '    ')}`,
    ],
    ['jwt', 'request.http', `GET /api/me\nAuthorization: Bearer ${f.jwt({ scope: 'admin' })}\n`],
    ['jwt', 'session.json', `{"id_token": "${f.jwt({ email: 'ops@acme.io' })}"}\n`],
    ['jwt', 'client.ts', `const serviceJwt = "${f.jwt({ role: 'service' })}";\n`],
    ['connection-string', '.env', `DATABASE_URL=postgres://app:${f.password(18)}@db.internal:5432/app\n`],
    [
      'connection-string',
      'database.yml',
      `production:\n  url: mysql://root:${f.password(16)}@10.0.3.7:3306/shop\n`,
    ],
    [
      'connection-string',
      'db.js',
      `mongoose.connect("mongodb+srv://svc:${f.chars(ALNUM, 20)}@cluster0.ab1cd.mongodb.net/prod");\n`,
    ],
    ['connection-string', 'cache.py', `REDIS_URL = "redis://:${f.chars(ALNUM, 24)}@cache.internal:6379/0"\n`],
    [
      'connection-string',
      'queue.env',
      `AMQP_URL=amqps://worker:${f.chars(ALNUM, 22)}@mq.internal:5671/jobs\n`,
    ],
    [
      'connection-string',
      'appsettings.json',
      `{"ConnectionStrings": {"Db": "Server=tcp:sql-prod.database.windows.net;Database=app;User ID=admin;Password=${f.password(16)};"}}\n`,
    ],
    [
      'connection-string',
      'deploy.sh',
      `git clone https://deploy:${f.password(20)}@git.internal.acme.io/platform/app.git\n`,
    ],
    ['google', 'maps.js', `const MAPS_KEY = "${p('AI', 'za', f.chars(B64URL, 35))}";\n`],
    [
      'openai',
      '.env',
      `OPENAI_API_KEY=${p('sk', '-proj-', f.chars(B64URL, 74), 'T3Blbk', 'FJ', f.chars(B64URL, 74))}\n`,
    ],
    [
      'anthropic',
      'llm.py',
      `client = Anthropic(api_key="${p('sk', '-ant-api03-', f.chars(B64URL, 93), 'AA')}")\n`,
    ],
    [
      'sendgrid',
      'mail.rb',
      `SENDGRID_KEY = "${p('SG', '.', f.chars(B64URL, 22), '.', f.chars(B64URL, 43))}"\n`,
    ],
    ['npm', '.npmrc', `//registry.npmjs.org/:_authToken=${p('npm', '_', f.chars(ALNUM, 36))}\n`],
    ['shopify', 'shop.ts', `const adminToken = '${p('shp', 'at_', f.chars(HEX, 32))}';\n`],
    ['linear', 'linear.env', `LINEAR_API_KEY=${p('lin', '_api_', f.chars(ALNUM, 40))}\n`],
    ['gitlab', '.gitlab-ci.yml', `variables:\n  GITLAB_TOKEN: ${p('gl', 'pat-', f.chars(B64URL, 20))}\n`],
    ['twilio', 'sms.js', `const twilioKey = '${p('S', 'K', f.chars(HEX, 32))}';\n`],
    ['digitalocean', 'doctl.yaml', `access-token: ${p('dop', '_v1_', f.chars(HEX, 64))}\n`],
    ['vault', 'vault.env', `VAULT_TOKEN=${p('hv', 's.', f.chars(B64URL, 92))}\n`],
    [
      'pypi',
      '.pypirc',
      `[pypi]\nusername = __token__\npassword = ${p('py', 'pi-', 'AgEIcHlwaS5vcmc', f.chars(B64URL, 70))}\n`,
    ],
    [
      'azure',
      'storage.config',
      `DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey=${f.chars(B64, 86)}==;EndpointSuffix=core.windows.net\n`,
    ],
    ['generic', '.env', `DB_PASSWORD=${f.password(20)}\n`],
    ['generic', 'oauth.json', `{"client_id": "acme-web", "client_secret": "${f.chars(ALNUM, 40)}"}\n`],
    ['generic', 'settings.py', `SECRET_KEY = '${f.chars(SYMBOLS, 50)}'\n`],
    ['generic', 'auth.yaml', `jwt_secret: ${f.chars(HEX, 64)}\n`],
    ['generic', 'metrics.py', `DATADOG_API_KEY = "${f.chars(HEX, 32)}"\n`],
    ['generic', 'heroku.env', `HEROKU_API_KEY=${f.uuid()}\n`],
    ['generic', 'mailgun.env', `MAILGUN_API_KEY=key-${f.chars(HEX, 32)}\n`],
    ['generic', 'bot.env', `TELEGRAM_BOT_TOKEN=${f.digits(10)}:AA${f.chars(B64URL, 33)}\n`],
    ['generic', 'crypto.env', `ENCRYPTION_KEY=${f.chars(B64, 43)}=\n`],
    ['generic', 'main.tf', `resource "aws_db_instance" "main" {\n  password = "${f.password(18)}"\n}\n`],
    [
      'generic',
      'docker-compose.yml',
      `services:\n  db:\n    environment:\n      POSTGRES_PASSWORD: ${f.password(16)}\n`,
    ],
    ['generic', 'application.properties', `spring.datasource.password=${f.password(14)}\n`],
  ];
  return labelled(items, 'secret');
}

export function nonSecrets(f: Fakes): CorpusItem[] {
  const doc = (s: string) => s; // documentation values, as published by the providers
  const items: [string, string, string][] = [
    [
      'docs-example',
      'README.md',
      `Set \`AWS_ACCESS_KEY_ID=${p('AKIA', 'IOSFODNN7', 'EXAMPLE')}\` before running.\n`,
    ],
    [
      'docs-example',
      'aws.md',
      `aws_secret_access_key = ${doc(p('wJalrXUtnFEMI/K7MDENG/bPxRfiCY', 'EXAMPLEKEY'))}\n`,
    ],
    ['hash', 'release.json', `{"commit": "${f.chars(HEX, 40)}", "tag": "v1.4.2"}\n`],
    [
      'hash',
      'Dockerfile',
      `ARG NODE_SHA256=${f.chars(HEX, 64)}\nRUN echo "$NODE_SHA256  node.tar.xz" | sha256sum -c -\n`,
    ],
    ['hash', 'package-lock.json', `"integrity": "sha512-${f.chars(B64, 86)}=="\n`],
    ['hash', 'go.sum', `golang.org/x/text v0.14.0 h1:${f.chars(B64, 43)}=\n`],
    ['hash', 'index.html', `<script src="/app.js" integrity="sha384-${f.chars(B64, 64)}"></script>\n`],
    ['hash', 'compose.yml', `image: ghcr.io/acme/api@sha256:${f.chars(HEX, 64)}\n`],
    ['hash', 'yarn.lock', `  checksum: 10c0/${f.chars(HEX, 128)}\n`],
    ['hash', 'vectors.py', `expected_digest = "${f.chars(HEX, 64)}"\n`],
    ['id', 'log.ts', `logger.info({ request_id: "${f.uuid()}" });\n`],
    ['id', 'tenant.json', `{"tenant_id": "${f.uuid()}", "subscription_id": "${f.uuid()}"}\n`],
    [
      'id',
      'oauth.ts',
      `const clientId = "${f.digits(12)}-${f.chars(HEX, 32)}.apps.googleusercontent.com";\n`,
    ],
    ['id', 'iam.tf', `role_arn = "arn:aws:iam::${f.digits(12)}:role/deploy"\n`],
    ['id', 'slack.ts', `await slack.chat.postMessage({ channel: "C${f.chars(UPPER32, 8)}", text });\n`],
    ['id', 'analytics.html', `gtag('config', 'G-${f.chars(UPPER32, 10)}');\n`],
    ['id', 'wallet.ts', `const contract_address = "0x${f.chars(HEX, 40)}";\n`],
    ['id', 'keys.py', `key_id = "${f.chars(HEX, 16)}"\n`],
    ['reference', 'db.py', `password = os.environ["DB_PASSWORD"]\n`],
    [
      'reference',
      'ci.yml',
      'env:\n  GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n  NPM_TOKEN: ${{ secrets.NPM_TOKEN }}\n',
    ],
    ['reference', 'stripe.js', 'const apiKey = process.env.STRIPE_SECRET_KEY;\n'],
    ['reference', 'values.yaml', 'password: {{ .Values.db.password }}\n'],
    ['reference', 'main.tf', 'password = var.db_password\n'],
    [
      'reference',
      'deploy.yaml',
      'env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef:\n        name: db-password\n        key: password\n',
    ],
    ['reference', 'client.ts', 'const headers = { Authorization: `Bearer ${token}` };\n'],
    ['reference', 'db.env', 'DATABASE_URL=postgres://app:${DB_PASSWORD}@db.internal:5432/app\n'],
    ['reference', 'compose.env', 'POSTGRES_PASSWORD_FILE=/run/secrets/postgres_password\n'],
    ['reference', 'secrets.ts', 'const secretName = "prod/payments/stripe-api-key";\n'],
    ['reference', 'auth.ts', 'const token = await generateToken(user.id, 3600);\n'],
    ['reference', 'oauth.yml', 'token_url: https://oauth2.googleapis.com/token\n'],
    [
      'placeholder',
      '.env.example',
      `GITHUB_TOKEN=${p('gh', 'p_', 'x'.repeat(36))}\nSTRIPE_SECRET_KEY=${p('sk', '_live_', 'your_key_here')}\n`,
    ],
    ['placeholder', 'config.sample.yml', 'api_key: <your-api-key>\nsecret: <your-secret-here>\n'],
    ['placeholder', 'INSTALL.md', `Export your key: \`OPENAI_API_KEY=${p('sk', '-...')}\`\n`],
    ['placeholder', 'mask.test.ts', `expect(mask(token)).toBe("${p('gh', 'p_')}${'*'.repeat(16)}");\n`],
    ['placeholder', 'settings.ini', 'password = changeme\n'],
    ['placeholder', 'docker.env', 'REDIS_PASSWORD=\nJWT_SECRET=\n'],
    ['placeholder', 'validate.test.ts', `expect(isValidToken("${p('gh', 'p_')}short")).toBe(false);\n`],
    ['public-key', 'id_rsa.pub', `ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQ${f.chars(B64, 340)} deploy@ci\n`],
    [
      'public-key',
      'ca.crt',
      `-----BEGIN CERTIFICATE-----\n${f
        .chars(B64, 64 * 8)
        .match(/.{64}/g)!
        .join('\n')}\n-----END CERTIFICATE-----\n`,
    ],
    [
      'public-key',
      'jwks.pem',
      `-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE${f.chars(B64, 52)}==\n-----END PUBLIC KEY-----\n`,
    ],
    ['public-key', 'stripe.ts', `const stripe = Stripe("${p('pk', '_live_', f.chars(ALNUM, 24))}");\n`],
    [
      'public-key',
      'sentry.ts',
      `Sentry.init({ dsn: "https://${f.chars(HEX, 32)}@o${f.digits(6)}.ingest.sentry.io/${f.digits(7)}" });\n`,
    ],
    ['public-key', 'btc.md', `Donations: bc1q${f.chars('023456789acdefghjklmnpqrstuvwxyz', 38)}\n`],
    [
      'encoded-data',
      'logo.css',
      `.logo { background: url(data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAA${f.chars(B64, 120)}); }\n`,
    ],
    ['encoded-data', 'fixture.json', `{"payload": "${f.chars(B64, 96)}"}\n`],
    ['encoded-data', 'theme.css', ':root { --brand: #1f6feb; --accent: #d29922; --danger: #cf222e; }\n'],
    [
      'code',
      'tokenizer.ts',
      'export const tokenizerConfigurationManagerFactory = createTokenizerFactory(defaults);\n',
    ],
    ['code', 'login.tsx', '<label htmlFor="password">Enter your password</label>\n'],
    ['code', 'policy.ts', 'export const PASSWORD_MIN_LENGTH = 12;\nexport const TOKEN_TTL_SECONDS = 3600;\n'],
    [
      'code',
      'session.ts',
      'const session_token_name = "sid";\nif (token === "") throw new Error("missing token");\n',
    ],
    ['code', 'jwt.ts', 'const JWT_HEADER_PREFIX = "eyJhbGciOi";\n'],
    ['code', 'remote.sh', 'git remote add origin git@github.com:acme/platform.git\n'],
    ['code', 'contact.html', '<a href="mailto:security@acme.io">security@acme.io</a>\n'],
    ['code', 'npmrc.sh', 'npm_config_cache=/tmp/.npm npm ci\n'],
    [
      'code',
      'db-local.env',
      'DATABASE_URL=postgres://app@localhost:5432/app_dev\nREDIS_URL=redis://localhost:6379\n',
    ],
    ['code', 'secret.yaml', 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\ndata: {}\n'],
    ['code', 'crypto.go', 'const keySize = 32 // AES-256\nvar apiKeyHeader = "X-Api-Key"\n'],
  ];
  return labelled(items, 'clean');
}

/** The whole corpus, deterministic for a seed (PEM keys aside: those are fresh key pairs). */
export function corpus(seed = 20240601): CorpusItem[] {
  const f = new Fakes(seed);
  return [...secrets(f), ...nonSecrets(f)];
}
