import { describe, expect, it } from '@jest/globals';
import { matchTemplate, recordOpenApi, validateExchange } from './openapi-check.js';
import type { Exchange } from './server.js';

const exchange = (x: Partial<Exchange>): Exchange => ({
  method: 'GET',
  path: '/rate_limit',
  query: {},
  requestBody: undefined,
  status: 200,
  responseHeaders: {},
  responseBody: {},
  injected: false,
  ...x,
});

describe('OpenAPI check', () => {
  it('matches concrete paths to documented templates, including refs and paths with slashes', () => {
    expect(matchTemplate('/repos/a/b/git/ref/heads/feature/x', 'GET')).toBe(
      '/repos/{owner}/{repo}/git/ref/{ref}',
    );
    expect(matchTemplate('/repos/a/b/commits/main/status', 'GET')).toBe(
      '/repos/{owner}/{repo}/commits/{ref}/status',
    );
    expect(matchTemplate('/repos/a/b/contents/docs/x.md', 'PUT')).toBe(
      '/repos/{owner}/{repo}/contents/{path}',
    );
    expect(matchTemplate('/repos/a/b/contents', 'GET')).toBe('/repos/{owner}/{repo}/contents/{path}');
    expect(matchTemplate('/repos/a/b', 'GET')).toBe('/repos/{owner}/{repo}');
    expect(matchTemplate('/repos/a/b/nope', 'GET')).toBeUndefined();
  });

  it('reports a response that misses required fields', () => {
    const found = validateExchange(exchange({ path: '/repos/a/b', responseBody: { id: 1 } }));
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain("must have required property 'archive_url'");
  });

  it('reports a request body the spec rejects when the server accepted it', () => {
    const body = { event_type: 'x'.repeat(101) };
    const accepted = validateExchange(
      exchange({
        method: 'POST',
        path: '/repos/a/b/dispatches',
        requestBody: body,
        status: 204,
        responseBody: undefined,
      }),
    );
    expect(accepted.map((m) => m.where)).toEqual(['request']);
    const rejected = validateExchange(
      exchange({
        method: 'POST',
        path: '/repos/a/b/dispatches',
        requestBody: body,
        status: 422,
        responseBody: { message: 'Invalid request.', documentation_url: 'x' },
      }),
    );
    expect(rejected).toEqual([]);
  });

  it('accepts unknown routes only when they answer 404 Not Found', () => {
    expect(
      validateExchange(exchange({ path: '/nope', status: 404, responseBody: { message: 'Not Found' } })),
    ).toEqual([]);
    expect(validateExchange(exchange({ path: '/nope', status: 200 }))).toHaveLength(1);
  });

  it('fails the test through assertClean, once per mismatch', () => {
    let listener: ((x: Exchange) => void) | undefined;
    const recorder = recordOpenApi({ onExchange: (l) => ((listener = l), () => (listener = undefined)) });
    listener!(exchange({ path: '/repos/a/b', responseBody: {} }));
    expect(() => recorder.assertClean()).toThrow(/do not match GitHub's OpenAPI description/);
    expect(() => recorder.assertClean()).not.toThrow();
    recorder.stop();
    expect(listener).toBeUndefined();
  });
});
