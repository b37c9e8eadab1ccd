/**
 * Fixed default ports, so the URLs `autocode up` prints (and the passkeys a browser registers for the app's
 * origin) stay the same across restarts; 0 picks a free one (tests). A taken port is a clear error naming the
 * flag that moves it, checked before anything starts.
 */
import { createServer } from 'node:net';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';

export interface StackPorts {
  /** The PWA and the edge API (one origin). */
  app: number;
  /** The development sign-in page (OpenID provider). */
  login: number;
  /** The development issuer's signing keys (JWKS). */
  keys: number;
  /** The forge (GitHub API and git). */
  forge: number;
  /** The sandbox LLM server (only with --llm sandbox). */
  llm: number;
}

export const DEFAULT_PORTS: StackPorts = { app: 8787, login: 8788, keys: 8789, forge: 8790, llm: 8791 };

export const PORT_FLAGS: Record<keyof StackPorts, string> = {
  app: '--port',
  login: '--login-port',
  keys: '--keys-port',
  forge: '--forge-port',
  llm: '--llm-port',
};

/** Bind and release `port` on 127.0.0.1; resolves with the port bound (the chosen one when 0). */
function probe(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(port, '127.0.0.1', () => {
      const bound = (srv.address() as { port: number }).port;
      srv.close(() => resolve(bound));
    });
  });
}

/** Every port free (0 → a free one); throws naming the first taken port and its flag. */
export async function resolvePorts(wanted: Partial<StackPorts>, needed: (keyof StackPorts)[]) {
  const ports = { ...DEFAULT_PORTS, ...wanted };
  for (const name of needed) {
    try {
      ports[name] = await probe(ports[name]);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new AutocodeError(
        ErrorCodes.INVALID_INPUT,
        `port ${ports[name]} (${name}) is ${code === 'EADDRINUSE' ? 'already in use' : `unavailable (${code})`}`,
        {
          hint: `stop what uses it (another \`autocode up\`?) or pass ${PORT_FLAGS[name]} <port> (0 = any free port)`,
        },
      );
    }
  }
  return ports;
}
