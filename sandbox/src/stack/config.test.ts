import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStackConfig } from './config.js';
import { startDevSignIn } from './identity.js';
import { DEFAULT_PORTS } from './ports.js';

const dir = mkdtempSync(join(tmpdir(), 'stack-config-'));
const write = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('what autocode up runs on', () => {
  it('with nothing configured: sandbox GitHub, dev sign-in, no LLM', () => {
    expect(loadStackConfig(join(dir, 'absent.yaml'), {})).toEqual({ providers: [], keys: {} });
  });

  it('real GitHub App credentials from autocode.yaml (the key file relative to it)', () => {
    write('app.pem', '-----BEGIN RSA PRIVATE KEY-----\nx\n-----END RSA PRIVATE KEY-----\n');
    const file = write(
      'autocode.yaml',
      'github:\n  app_id: 42\n  private_key_file: ./app.pem\n  installation_id: 7\n',
    );
    expect(loadStackConfig(file, {}).github).toMatchObject({
      apiUrl: 'https://api.github.com',
      appId: '42',
      installationId: 7,
    });
    const missing = write('partial.yaml', 'github:\n  app_id: 42\n  private_key_file: ./app.pem\n');
    expect(() => loadStackConfig(missing, {})).toThrow(/installation_id is required/);
  });

  it('LLM providers from autocode.yaml or AUTOCODE_LLM_PROVIDERS, keys from the variables they name', () => {
    const file = write(
      'llm.yaml',
      'llm:\n  providers:\n    - { name: a, kind: anthropic, model: claude-sonnet-4-5 }\n',
    );
    expect(loadStackConfig(file, { ANTHROPIC_API_KEY: 'k1' })).toMatchObject({
      providers: [{ name: 'a', kind: 'anthropic' }],
      keys: { ANTHROPIC_API_KEY: 'k1' },
    });
    const env = {
      AUTOCODE_LLM_PROVIDERS: '- { name: b, kind: openai, model: gpt-5-mini, api_key_env: MY_KEY }\n',
      MY_KEY: 'k2',
    };
    expect(loadStackConfig(undefined, env)).toMatchObject({ keys: { MY_KEY: 'k2' } });
    expect(() => loadStackConfig(undefined, { AUTOCODE_LLM_PROVIDERS: '- { name: c }' })).toThrow(
      /AUTOCODE_LLM_PROVIDERS/,
    );
  });

  it('a real identity provider replaces the development sign-in, which is then never started', async () => {
    const config = loadStackConfig(undefined, { OIDC_ISSUER: 'https://login.example.com' });
    const signIn = await startDevSignIn({
      identity: config.identity,
      // Ports the dev sign-in would take: a real issuer must not touch them.
      ports: { ...DEFAULT_PORTS, login: -1, keys: -1 },
      appUrl: 'http://localhost:8787',
      clientId: 'autocode-app',
    });
    expect(signIn).toMatchObject({ issuer: 'https://login.example.com', users: [] });
    expect(signIn.issuerHandle).toBeUndefined();
    await signIn.stop();
  });
});
