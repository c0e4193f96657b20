/** One field the API refused, with the reason to show next to it. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** A refusal from the console API (problem+json), carrying what a form needs to explain it. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors: FieldProblem[] = [],
  ) {
    super(detail);
    this.name = 'ApiError';
  }

  /**
   * The message for one field, when the API named it. When the refusal is about that field alone, the
   * detail says more ("That code is not right. 4 attempts left.") than the field's short message.
   */
  fieldMessage(field: string): string | undefined {
    const problem = this.errors.find((candidate) => candidate.field === field);
    if (!problem) return undefined;
    const aboutThisFieldOnly = this.errors.length === 1 && this.code !== 'invalid_request';
    return aboutThisFieldOnly ? this.detail : problem.message;
  }
}

type Door = 'user' | 'staff';

const csrfTokens: Record<Door, string> = { user: '', staff: '' };
const sessionPaths: Record<Door, string> = { user: '/api/session', staff: '/api/staff/session' };

const doorOf = (path: string): Door => (path.startsWith('/api/staff/') ? 'staff' : 'user');

/** Keeps the CSRF token of the current session of a door; sign-in steps rotate the session, so re-read it after each. */
export function rememberCsrfToken(door: Door, token: string) {
  csrfTokens[door] = token;
}

async function problemOf(response: Response): Promise<ApiError> {
  const text = await response.text();
  try {
    const problem = JSON.parse(text) as Partial<{ code: string; detail: string; errors: FieldProblem[] }>;
    return new ApiError(
      response.status,
      problem.code ?? 'error',
      problem.detail ?? `The request failed (${response.status}).`,
      problem.errors ?? [],
    );
  } catch {
    return new ApiError(
      response.status,
      'unreadable_response',
      response.status >= 500
        ? 'The server had a problem. Try again in a moment.'
        : `The request failed (${response.status}).`,
    );
  }
}

async function send(method: string, path: string, body: unknown): Promise<Response> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfTokens[doorOf(path)]) headers['x-csrf-token'] = csrfTokens[doorOf(path)];
  try {
    return await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(
      0,
      'network_error',
      'Switchboard could not be reached. Check your connection and retry.',
    );
  }
}

/** Re-reads the session's CSRF token once when the server says it was stale (another tab signed in again). */
async function refreshCsrfToken(door: Door): Promise<boolean> {
  const response = await send('GET', sessionPaths[door], undefined);
  if (!response.ok) return false;
  const session = (await response.json()) as { csrfToken?: string };
  if (!session.csrfToken) return false;
  rememberCsrfToken(door, session.csrfToken);
  return true;
}

/** Calls the console or staff API: JSON in and out, the session's CSRF token on unsafe methods, problems as ApiError. */
export async function request<T>(method: string, path: string, body?: unknown): Promise<T> {
  let response = await send(method, path, body);
  if (response.status === 403 && method !== 'GET') {
    const problem = await problemOf(response.clone());
    if (problem.code !== 'csrf_token_invalid') throw problem;
    if (await refreshCsrfToken(doorOf(path))) response = await send(method, path, body);
  }
  if (!response.ok) throw await problemOf(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string) => request<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, body),
  put: <T>(path: string, body: unknown = {}) => request<T>('PUT', path, body),
  patch: <T>(path: string, body: unknown = {}) => request<T>('PATCH', path, body),
  delete: <T>(path: string) => request<T>('DELETE', path),
};

/** The field's refusal from an error, for an input's `error` prop. */
export function fieldError(error: unknown, field: string): string | undefined {
  return error instanceof ApiError ? error.fieldMessage(field) : undefined;
}

/** The message for a form as a whole: the detail, unless every problem is already shown next to its field. */
export function formError(error: unknown, shownFields: string[] = []): string | undefined {
  if (!error) return undefined;
  if (!(error instanceof ApiError)) return error instanceof Error ? error.message : String(error);
  const unshown = error.errors.filter((problem) => !shownFields.includes(problem.field));
  if (error.errors.length > 0 && unshown.length === 0) return undefined;
  return error.detail;
}

/** Whether the API refused because the member's role may not do this (the page explains, it is not a failure). */
export function isRoleRefusal(error: unknown): error is ApiError {
  return error instanceof ApiError && error.status === 403 && error.code === 'role_not_permitted';
}
