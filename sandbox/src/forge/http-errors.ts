/** Errors in GitHub's wire shape: `{ message, documentation_url, status, errors? }`. */

export const DOCS = 'https://docs.github.com/rest';

export interface FieldError {
  resource: string;
  field?: string;
  code: 'missing' | 'missing_field' | 'invalid' | 'already_exists' | 'unprocessable' | 'custom';
  message?: string;
}

export class ForgeHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly errors?: (FieldError | string)[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return {
      message: this.message,
      ...(this.errors ? { errors: this.errors } : {}),
      documentation_url: DOCS,
      status: String(this.status),
    };
  }
}

export const notFound = (): ForgeHttpError => new ForgeHttpError(404, 'Not Found');
export const badCredentials = (): ForgeHttpError => new ForgeHttpError(401, 'Bad credentials');
export const requiresAuth = (): ForgeHttpError => new ForgeHttpError(401, 'Requires authentication');
export const notAccessible = (): ForgeHttpError =>
  new ForgeHttpError(403, 'Resource not accessible by integration');

/** 422 "Validation Failed" with field errors, as GitHub answers most bad writes. */
export function validationFailed(errors: FieldError[], message = 'Validation Failed'): ForgeHttpError {
  return new ForgeHttpError(422, message, errors);
}

/** 422 with only a message (GitHub's "Invalid request.\n\n…" and friends). */
export function unprocessable(message: string): ForgeHttpError {
  return new ForgeHttpError(422, message);
}

export function secondaryRateLimit(retryAfterSeconds: number, status = 403): ForgeHttpError {
  return new ForgeHttpError(
    status,
    'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.',
    undefined,
    { 'retry-after': String(retryAfterSeconds) },
  );
}

/** GitHub's "validation-error-simple": 422 "Unprocessable Entity" with plain-string errors. */
export function unprocessableSimple(...errors: string[]): ForgeHttpError {
  return new ForgeHttpError(422, 'Unprocessable Entity', errors);
}
