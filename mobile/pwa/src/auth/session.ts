/**
 * The signed-in session: the access token and who it names, kept in sessionStorage (tab-scoped, gone when the
 * tab closes; never localStorage). A session ends after 15 minutes without interaction (the seed's timeout) or
 * when the token expires, whichever is first.
 */
export const IDLE_TIMEOUT_MS = 15 * 60 * 1000;
const KEY = 'autocode.session';
const ACTIVITY_KEY = 'autocode.activity';

export type Role = 'member' | 'approver' | 'admin';
const ROLES: Role[] = ['member', 'approver', 'admin'];

export interface Session {
  accessToken: string;
  idToken?: string;
  /** Epoch ms. */
  expiresAt: number;
  sub: string;
  name: string;
  role: Role | undefined;
}

export function readSession(now = Date.now()): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return undefined;
  const s = JSON.parse(raw) as Session;
  const lastActivity = Number(sessionStorage.getItem(ACTIVITY_KEY) ?? 0);
  if (s.expiresAt <= now || now - lastActivity >= IDLE_TIMEOUT_MS) {
    clearSession();
    return undefined;
  }
  return s;
}

export function saveSession(s: Session, now = Date.now()): void {
  sessionStorage.setItem(KEY, JSON.stringify(s));
  touch(now);
}

export function touch(now = Date.now()): void {
  sessionStorage.setItem(ACTIVITY_KEY, String(now));
}

export function clearSession(): void {
  sessionStorage.removeItem(KEY);
  sessionStorage.removeItem(ACTIVITY_KEY);
}

/** Milliseconds until the session ends on its own (idle or token expiry). */
export function remainingMs(s: Session, now = Date.now()): number {
  const lastActivity = Number(sessionStorage.getItem(ACTIVITY_KEY) ?? 0);
  return Math.min(s.expiresAt - now, lastActivity + IDLE_TIMEOUT_MS - now);
}

/** Claims of a JWT, unverified: the edge verifies every token; the app only reads names and roles for display. */
export function jwtClaims(token: string): Record<string, unknown> {
  const part = token.split('.')[1];
  if (!part) return {};
  try {
    const bin = atob(part.replace(/-/g, '+').replace(/_/g, '/'));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  } catch {
    return {};
  }
}

/** Highest role named in the claim (string, space/comma separated, or array), as the edge reads it. */
export function roleOf(claim: unknown): Role | undefined {
  const names = Array.isArray(claim) ? claim : typeof claim === 'string' ? claim.split(/[\s,]+/) : [];
  let best = -1;
  for (const n of names)
    if (typeof n === 'string') best = Math.max(best, ROLES.indexOf(n.toLowerCase() as Role));
  return best >= 0 ? ROLES[best] : undefined;
}

export function hasRole(s: Session | undefined, needed: Role): boolean {
  return !!s?.role && ROLES.indexOf(s.role) >= ROLES.indexOf(needed);
}

/** A stable per-install device id for the edge's per-device rate limit (not a secret). */
export function deviceId(): string {
  let id = localStorage.getItem('autocode.device');
  if (!id) {
    id = crypto.randomUUID();
    localStorage.setItem('autocode.device', id);
  }
  return id;
}
