import { describe, expect, it } from 'vitest';
import { ApiClient, ApiError, parseErrorBody } from './client';

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: string | undefined;
}

function fakeFetch(responses: (Response | Error)[]) {
  const calls: Call[] = [];
  const impl = (async (url: string, init: RequestInit) => {
    calls.push({
      url,
      method: init.method ?? 'GET',
      headers: init.headers as Record<string, string>,
      body: init.body as string | undefined,
    });
    const next = responses.shift();
    if (!next) throw new Error('no more responses');
    if (next instanceof Error) throw next;
    return next;
  }) as unknown as typeof fetch;
  return { impl, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json', ...headers } });

describe('ApiClient', () => {
  it('reads a text answer (CSV) with the token, and its errors in the error shape', async () => {
    const { impl, calls } = fakeFetch([
      new Response('bcu,incidents\r\nAW,40\r\n', { status: 200, headers: { 'Content-Type': 'text/csv' } }),
      json(400, { error: { code: 'invalid_argument', message: 'no table x', field: 'table' } }),
    ]);
    const api = new ApiClient({ fetchImpl: impl, getToken: () => 'abc' });
    expect(await api.getText('/api/reports/response?format=csv&table=by_bcu')).toBe('bcu,incidents\r\nAW,40\r\n');
    expect(calls[0].headers.Authorization).toBe('Bearer abc');
    await expect(api.getText('/api/reports/response?format=csv&table=x')).rejects.toMatchObject({ status: 400, field: 'table' });
  });

  it('sends the bearer token on API calls but not on sign-in', async () => {
    const { impl, calls } = fakeFetch([json(200, { token: 't', user: {}, expires_at: '' }), json(200, {})]);
    const api = new ApiClient({ fetchImpl: impl, getToken: () => 'abc' });
    await api.login('controller', 'pw');
    await api.get('/api/board');
    expect(calls[0].headers.Authorization).toBeUndefined();
    expect(JSON.parse(calls[0].body ?? '')).toEqual({ username: 'controller', password: 'pw' });
    expect(calls[1].headers.Authorization).toBe('Bearer abc');
  });

  it('turns the error shape into ApiError and calls the 401 handler', async () => {
    let expired = 0;
    const { impl } = fakeFetch([
      json(401, { error: { code: 'unauthenticated', message: 'Session expired' } }),
    ]);
    const api = new ApiClient({ fetchImpl: impl, getToken: () => 'abc', onUnauthenticated: () => expired++ });
    const err = await api.get('/api/board').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('unauthenticated');
    expect((err as ApiError).message).toBe('Session expired');
    expect(expired).toBe(1);
  });

  it('does not treat a failed sign-in or sign-out as an expired session', async () => {
    let expired = 0;
    const { impl } = fakeFetch([
      json(401, { error: { code: 'unauthenticated', message: 'Wrong username or password' } }),
      json(401, { error: { code: 'unauthenticated', message: 'gone' } }),
    ]);
    const api = new ApiClient({ fetchImpl: impl, getToken: () => 'abc', onUnauthenticated: () => expired++ });
    await expect(api.login('a', 'b')).rejects.toMatchObject({ status: 401, message: 'Wrong username or password' });
    await expect(api.logout()).rejects.toMatchObject({ status: 401 });
    expect(expired).toBe(0);
  });

  it('ignores a late 401 for a session that has already been replaced', async () => {
    let expired = 0;
    let token = 'old';
    const { impl, calls } = fakeFetch([json(401, { error: { code: 'unauthenticated', message: 'x' } })]);
    const slowFetch = (async (url: string, init: RequestInit) => {
      token = 'new'; // the user signed out and in again while this request was out
      return impl(url, init);
    }) as unknown as typeof fetch;
    const api = new ApiClient({ fetchImpl: slowFetch, getToken: () => token, onUnauthenticated: () => expired++ });
    await expect(api.get('/api/board')).rejects.toMatchObject({ status: 401 });
    expect(calls[0].headers.Authorization).toBe('Bearer old');
    expect(expired).toBe(0);
  });

  it('reads Retry-After on 429', async () => {
    const { impl } = fakeFetch([
      json(429, { error: { code: 'resource_exhausted', message: 'Too many attempts' } }, { 'Retry-After': '60' }),
    ]);
    const api = new ApiClient({ fetchImpl: impl, getToken: () => null });
    await expect(api.login('a', 'b')).rejects.toMatchObject({
      code: 'resource_exhausted',
      retryAfterSeconds: 60,
    });
  });

  it('retries a command after a network failure or 503 with the same Idempotency-Key', async () => {
    const { impl, calls } = fakeFetch([
      new TypeError('Failed to fetch'),
      json(503, { error: { code: 'unavailable', message: 'busy' } }),
      json(200, { ok: true }),
    ]);
    const slept: number[] = [];
    const api = new ApiClient({
      fetchImpl: impl,
      getToken: () => 'abc',
      sleep: async (ms) => void slept.push(ms),
      retryDelaysMs: [10, 20],
    });
    await expect(api.send('POST', '/api/alerts/a1/acknowledge')).resolves.toEqual({ ok: true });
    expect(calls).toHaveLength(3);
    const keys = calls.map((c) => c.headers['Idempotency-Key']);
    expect(keys[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(new Set(keys).size).toBe(1);
    expect(slept).toEqual([10, 20]);
  });

  it('uses a new key for each user action and does not retry a refusal', async () => {
    const { impl, calls } = fakeFetch([
      json(409, { error: { code: 'conflict', message: 'already acknowledged' } }),
      json(200, {}),
    ]);
    const api = new ApiClient({ fetchImpl: impl, getToken: () => 'abc', sleep: async () => undefined });
    await expect(api.send('POST', '/x')).rejects.toMatchObject({ code: 'conflict' });
    await api.send('POST', '/x');
    expect(calls).toHaveLength(2);
    expect(calls[0].headers['Idempotency-Key']).not.toBe(calls[1].headers['Idempotency-Key']);
  });

  it('reports a network failure as unavailable', async () => {
    const { impl } = fakeFetch([new TypeError('Failed to fetch')]);
    const api = new ApiClient({ fetchImpl: impl, getToken: () => 'abc' });
    await expect(api.get('/api/board')).rejects.toMatchObject({ status: 0, code: 'unavailable' });
  });
});

describe('parseErrorBody', () => {
  it('keeps the field of a validation error', () => {
    expect(parseErrorBody(400, '{"error":{"code":"invalid_argument","message":"Required","field":"username"}}')).toEqual({
      code: 'invalid_argument',
      message: 'Required',
      field: 'username',
    });
  });
  it('makes do with a body that is not the error shape', () => {
    expect(parseErrorBody(502, '<html>Bad gateway</html>')).toEqual({
      code: 'internal',
      message: 'The server answered HTTP 502.',
    });
    expect(parseErrorBody(429, '')).toMatchObject({ code: 'resource_exhausted' });
  });
});
