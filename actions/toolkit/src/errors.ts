/**
 * The one error type of autocode. Every failure a user can act on is an AutocodeError with a stable `code`
 * (callers `switch` on it), a message that says what to do next, and the original `cause` kept.
 * Action entries, the CLI and the edge Worker each map it in exactly one place.
 */
export const ErrorCodes = {
  /** Bad user input: flags, action inputs, request bodies. */
  INVALID_INPUT: 'INVALID_INPUT',
  /** A config file could not be parsed or failed its schema. */
  CONFIG_INVALID: 'CONFIG_INVALID',
  /** Credentials missing, malformed, expired or refused (HTTP 401). */
  AUTH_FAILED: 'AUTH_FAILED',
  /** Authenticated but not allowed (HTTP 403 without rate-limit headers). */
  FORBIDDEN: 'FORBIDDEN',
  /** A resource that must exist does not (HTTP 404). */
  NOT_FOUND: 'NOT_FOUND',
  /** A write conflicts with existing state (HTTP 409/422). */
  CONFLICT: 'CONFLICT',
  /** A request body exceeds the size limit (HTTP 413). */
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  /** Rate limits exhausted even after the bounded retries. */
  RATE_LIMITED: 'RATE_LIMITED',
  /** An upstream service failed (5xx, network) after retries. */
  UPSTREAM_FAILED: 'UPSTREAM_FAILED',
  /** The kill switch is active (or its state is unknown and we fail closed). */
  KILL_SWITCH_ACTIVE: 'KILL_SWITCH_ACTIVE',
  /** A policy decision denied the change. */
  POLICY_DENIED: 'POLICY_DENIED',
  /** A path escapes the repository or is otherwise unsafe. */
  UNSAFE_PATH: 'UNSAFE_PATH',
  /** A required local tool (git, opa, …) is missing. */
  TOOL_MISSING: 'TOOL_MISSING',
  /** A bug: something that should not happen. */
  INTERNAL: 'INTERNAL',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Where in a file an error points (1-based line and column). */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

export interface AutocodeErrorOptions {
  cause?: unknown;
  /** What the user should do about it, appended to the message. */
  hint?: string;
  location?: SourceLocation;
  /** Extra machine-readable details (never secrets). */
  details?: Record<string, unknown>;
}

export class AutocodeError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: AutocodeErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AutocodeError';
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
    this.details = options.details;
  }

  /** Message plus location prefix and hint: what a user sees. */
  describe(): string {
    const at = this.location ? `${this.location.file}:${this.location.line}:${this.location.column}: ` : '';
    // Config errors already list every issue with its position; don't prefix the first one twice.
    const where = at && !this.message.startsWith(at) ? at : '';
    const hint = this.hint ? `\n  hint: ${this.hint}` : '';
    return `${where}${this.message}${hint}`;
  }
}

export function isAutocodeError(err: unknown): err is AutocodeError {
  return err instanceof AutocodeError;
}

/** Exit codes used by the CLI: 1 = the operation decided "no" (deny, failed checks), 2 = bad input. */
export function exitCodeFor(err: AutocodeError): number {
  switch (err.code) {
    case ErrorCodes.INVALID_INPUT:
    case ErrorCodes.CONFIG_INVALID:
    case ErrorCodes.UNSAFE_PATH:
      return 2;
    default:
      return 1;
  }
}

/** HTTP status for an error code, used by the edge Worker's single error mapper. */
export function httpStatusFor(code: ErrorCode): number {
  switch (code) {
    case ErrorCodes.INVALID_INPUT:
    case ErrorCodes.CONFIG_INVALID:
    case ErrorCodes.UNSAFE_PATH:
      return 400;
    case ErrorCodes.AUTH_FAILED:
      return 401;
    case ErrorCodes.FORBIDDEN:
    case ErrorCodes.POLICY_DENIED:
      return 403;
    case ErrorCodes.NOT_FOUND:
      return 404;
    case ErrorCodes.CONFLICT:
      return 409;
    case ErrorCodes.PAYLOAD_TOO_LARGE:
      return 413;
    case ErrorCodes.KILL_SWITCH_ACTIVE:
      return 423;
    case ErrorCodes.RATE_LIMITED:
      return 429;
    case ErrorCodes.UPSTREAM_FAILED:
      return 502;
    default:
      return 500;
  }
}

interface HttpLikeError {
  status: number;
  message: string;
  response?: { url?: string; data?: unknown };
  request?: { method?: string; url?: string };
}

function isHttpLikeError(err: unknown): err is HttpLikeError {
  return typeof err === 'object' && err !== null && typeof (err as { status?: unknown }).status === 'number';
}

/**
 * Normalise anything thrown into an AutocodeError. Octokit's RequestError (and anything with a numeric
 * `status`) maps by status so the message says what to fix.
 */
export function toAutocodeError(err: unknown): AutocodeError {
  if (isAutocodeError(err)) return err;
  if (isHttpLikeError(err)) {
    const where = err.request?.method && err.request.url ? ` (${err.request.method} ${err.request.url})` : '';
    const base = `${err.message}${where}`;
    switch (err.status) {
      case 401:
        return new AutocodeError(ErrorCodes.AUTH_FAILED, `GitHub refused the credentials: ${base}`, {
          cause: err,
          hint: 'check the token or the GitHub App id, private key and installation id; tokens expire after 1 hour',
        });
      case 403:
        return new AutocodeError(ErrorCodes.FORBIDDEN, `GitHub denied the request: ${base}`, {
          cause: err,
          hint: 'the token or App installation lacks a permission this operation needs',
        });
      case 404:
        return new AutocodeError(ErrorCodes.NOT_FOUND, `Not found: ${base}`, {
          cause: err,
          hint: 'check the owner/repo name and that the App is installed on it',
        });
      case 409:
      case 422:
        return new AutocodeError(ErrorCodes.CONFLICT, `GitHub rejected the change: ${base}`, { cause: err });
      case 429:
        return new AutocodeError(ErrorCodes.RATE_LIMITED, `Rate limited: ${base}`, { cause: err });
      default:
        if (err.status >= 500 || err.status === 0) {
          return new AutocodeError(ErrorCodes.UPSTREAM_FAILED, `Upstream failure: ${base}`, { cause: err });
        }
    }
  }
  const message = err instanceof Error ? err.message : String(err);
  return new AutocodeError(ErrorCodes.INTERNAL, message, { cause: err });
}
