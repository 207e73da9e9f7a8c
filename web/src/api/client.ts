// HTTP client for the Concordat API.
//
// - Adds `Authorization: Bearer <token>` to every call except sign-in.
// - Turns the server's error shape {"error":{code,message,field}} into ApiError;
//   a network failure becomes ApiError with status 0 and code "unavailable".
// - A 401 on any authenticated call runs onUnauthenticated (the app returns to
//   sign-in) before the promise rejects, unless the token has changed since.
// - send() carries an Idempotency-Key and retries network failures and 503s
//   with the same key, so a retried command is applied at most once.

import type { ErrorBody, LoginResponse } from './types';
import { timeOrderedUuid } from '../lib/uuid';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  /** The error body's `details`, when the server sent any. */
  readonly details: Record<string, unknown> | undefined;
  /** Seconds from a Retry-After header, when the server sent one. */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, body: ErrorBody, retryAfterSeconds?: number) {
    super(body.message);
    this.name = 'ApiError';
    this.status = status;
    this.code = body.code;
    this.field = body.field;
    this.details = body.details;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

const kCodeByStatus: Record<number, string> = {
  400: 'invalid_argument',
  401: 'unauthenticated',
  403: 'permission_denied',
  404: 'not_found',
  409: 'conflict',
  422: 'failed_precondition',
  429: 'resource_exhausted',
  503: 'unavailable',
};

export interface ApiClientOptions {
  baseUrl?: string;
  fetchImpl?: typeof fetch;
  getToken: () => string | null;
  onUnauthenticated?: () => void;
  sleep?: (ms: number) => Promise<void>;
  /** Delays before each retry of send(); its length is the number of retries. */
  retryDelaysMs?: number[];
}

export interface SendOptions {
  idempotencyKey?: string;
}

export class ApiClient {
  private readonly opts: ApiClientOptions;

  constructor(opts: ApiClientOptions) {
    this.opts = opts;
  }

  setUnauthenticatedHandler(handler: () => void): void {
    this.opts.onUnauthenticated = handler;
  }

  async login(username: string, password: string): Promise<LoginResponse> {
    return this.request<LoginResponse>('POST', '/api/auth/login', { username, password }, {
      auth: false,
    });
  }

  /** Ends the session on the server. A 401 here is not "expired": it is the goal. */
  async logout(): Promise<void> {
    await this.request<unknown>('POST', '/api/auth/logout', undefined, {
      auth: true,
      idempotencyKey: timeOrderedUuid(),
      quiet401: true,
    });
  }

  get<T>(path: string): Promise<T> {
    return this.request<T>('GET', path, undefined, { auth: true });
  }

  /** A GET whose answer is text (a CSV download), not JSON. */
  getText(path: string): Promise<string> {
    return this.request<string>('GET', path, undefined, { auth: true, text: true });
  }

  /** A state-changing call. One key per user action; retries reuse it. */
  async send<T>(method: string, path: string, body?: unknown, options: SendOptions = {}): Promise<T> {
    const key = options.idempotencyKey ?? timeOrderedUuid();
    const delays = this.opts.retryDelaysMs ?? [300, 1000];
    const sleep = this.opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.request<T>(method, path, body, { auth: true, idempotencyKey: key });
      } catch (err) {
        const retriable = err instanceof ApiError && (err.status === 0 || err.status === 503);
        if (!retriable || attempt >= delays.length) throw err;
        await sleep(delays[attempt]);
      }
    }
  }

  private async request<T>(
    method: string,
    path: string,
    body: unknown,
    how: { auth: boolean; idempotencyKey?: string; quiet401?: boolean; text?: boolean },
  ): Promise<T> {
    const headers: Record<string, string> = { Accept: how.text ? 'text/csv, text/plain, application/json' : 'application/json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    if (how.idempotencyKey) headers['Idempotency-Key'] = how.idempotencyKey;
    const token = how.auth ? this.opts.getToken() : null;
    if (token) headers.Authorization = `Bearer ${token}`;
    const fetchImpl = this.opts.fetchImpl ?? globalThis.fetch.bind(globalThis);
    let res: Response;
    try {
      res = await fetchImpl((this.opts.baseUrl ?? '') + path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      throw new ApiError(0, {
        code: 'unavailable',
        message: 'Cannot reach the Concordat server. Check the connection and try again.',
      });
    }
    const text = await res.text();
    if (res.ok) return (how.text ? text : text ? JSON.parse(text) : undefined) as T;

    const error = new ApiError(res.status, parseErrorBody(res.status, text), retryAfter(res));
    // Only if the session that was refused is still the current one: a late answer to a
    // request from before a sign-out (or a new sign-in) must not end the new state.
    if (res.status === 401 && how.auth && !how.quiet401 && this.opts.getToken() === token) {
      this.opts.onUnauthenticated?.();
    }
    throw error;
  }
}

/** The server's error body, or a stand-in when the body is not the error shape. */
export function parseErrorBody(status: number, text: string): ErrorBody {
  try {
    const parsed = JSON.parse(text) as { error?: Partial<ErrorBody> };
    const e = parsed?.error;
    if (e && typeof e.code === 'string' && typeof e.message === 'string') {
      const details =
        e.details && typeof e.details === 'object' && !Array.isArray(e.details) ? e.details : undefined;
      return { code: e.code, message: e.message, field: e.field, details };
    }
  } catch {
    // Not JSON: fall through to the generic error.
  }
  return {
    code: kCodeByStatus[status] ?? (status >= 500 ? 'internal' : 'invalid_argument'),
    message: `The server answered HTTP ${status}.`,
  };
}

function retryAfter(res: Response): number | undefined {
  const v = res.headers.get('Retry-After');
  if (!v) return undefined;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : undefined;
}
