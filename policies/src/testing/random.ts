/**
 * Deterministic fake-secret material for tests and the benchmark corpus. Nothing here is a real credential:
 * every value is produced at runtime from a seeded PRNG, and provider prefixes are assembled from pieces so
 * the source files themselves never contain a token-shaped string (no push-protection or scanner hits on
 * this repository).
 */
export const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
export const UPPER32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
export const HEX = '0123456789abcdef';
export const B64 = `${ALNUM}+/`;
export const B64URL = `${ALNUM}-_`;
export const SYMBOLS = `${ALNUM}!#%^*-_+=`;

/** mulberry32: small, fast, good enough to make test values look random. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Fakes {
  private readonly next: () => number;
  constructor(seed = 20240601) {
    this.next = prng(seed);
  }
  chars(alphabet: string, n: number): string {
    let s = '';
    for (let i = 0; i < n; i++) s += alphabet[Math.floor(this.next() * alphabet.length)];
    return s;
  }
  digits(n: number): string {
    return this.chars('0123456789', n);
  }
  /** A password with every character class (what a generator would produce). */
  password(n = 16): string {
    return `${this.chars('ABCDEFGHJKLMNPQRSTUVWXYZ', 2)}${this.digits(2)}${this.chars('!#%^*', 1)}${this.chars(SYMBOLS, n - 5)}`;
  }
  uuid(): string {
    const h = (n: number) => this.chars(HEX, n);
    return `${h(8)}-${h(4)}-4${h(3)}-a${h(3)}-${h(12)}`;
  }
  base64Url(bytes: Uint8Array | string): string {
    const text = typeof bytes === 'string' ? bytes : String.fromCharCode(...bytes);
    return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  }
  /** A syntactically valid JWT (HS256 header, plausible claims, random signature). */
  jwt(claims: Record<string, unknown> = {}): string {
    const header = this.base64Url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
    const body = this.base64Url(
      JSON.stringify({ sub: this.digits(8), iat: 1717200000, exp: 1717203600, ...claims }),
    );
    return `${header}.${body}.${this.chars(B64URL, 43)}`;
  }
}

/** Join pieces: keeps token prefixes out of the source text. */
export const p = (...parts: string[]): string => parts.join('');
