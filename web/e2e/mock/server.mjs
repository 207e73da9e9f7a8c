// A stand-in for the Concordat server, written from the API contract, for
// developing and screenshotting the web app before (or without) the C++
// server. It is NOT the product: the e2e suite runs against the real server
// unless CONCORDAT_E2E_MOCK=1. Run it by hand with `npm run mock`.
//
// Test hook (mock only): POST /__mock/incident adds an incident, which is an
// event on the stream.

import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, resolve } from 'node:path';
import { demoBoard, demoUser, iso, kRoles, loadReference } from './data.mjs';
import { acceptWebSocket } from './websocket.mjs';

const kTypes = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

export async function startMockServer({ port = 0, host = '127.0.0.1', webDir }) {
  const ref = loadReference();
  const t0 = Date.now();
  const state = demoBoard(t0);
  const sessions = new Map(); // token -> user
  const failures = new Map(); // username -> failed attempts
  const log = []; // events: {seq, event_type, stream, at, data}
  const sockets = new Set();
  let seq = 100;
  let nextIncident = 47;

  function append(event_type, stream, data) {
    const ev = { type: 'event', seq: ++seq, event_type, stream, at: iso(Date.now()), data };
    log.push(ev);
    for (const s of sockets) if (s.live) s.conn.send(JSON.stringify(ev));
    return ev;
  }

  function send(res, status, body, headers = {}) {
    res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
    res.end(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body));
  }
  const error = (res, status, code, message, extra = {}) =>
    send(res, status, { error: { code, message } }, extra);

  function userOf(req) {
    const m = /^Bearer (.+)$/.exec(req.headers.authorization ?? '');
    return m ? sessions.get(m[1]) : undefined;
  }

  async function body(req) {
    let text = '';
    for await (const chunk of req) text += chunk;
    try {
      return text ? JSON.parse(text) : null; // the server rejects an empty body where it wants JSON
    } catch {
      return null;
    }
  }

  async function api(req, res, url) {
    const path = url.pathname;
    if (path === '/api/health') return send(res, 200, { status: 'ok', version: 'mock', log_seq: seq });
    if (path === '/api/auth/login' && req.method === 'POST') {
      const b = await body(req);
      if (!b || typeof b.username !== 'string') return error(res, 400, 'invalid_argument', 'Send a username and password.');
      if ((failures.get(b.username) ?? 0) >= 5) {
        return error(res, 429, 'resource_exhausted', 'too many failed sign-ins for this account; wait 15 minutes or ask an administrator');
      }
      if (!kRoles.includes(b.username) || b.password !== 'concordat-demo') {
        failures.set(b.username, (failures.get(b.username) ?? 0) + 1);
        return error(res, 401, 'unauthenticated', 'unknown user or wrong password');
      }
      const token = randomUUID();
      const user = demoUser(b.username);
      sessions.set(token, user);
      return send(res, 200, { token, user, expires_at: iso(Date.now() + 8 * 3600_000) });
    }
    const user = userOf(req);
    if (!user) return error(res, 401, 'unauthenticated', 'Sign in first.');
    if (path === '/api/auth/me') return send(res, 200, user);
    if (path === '/api/auth/logout' && req.method === 'POST') {
      sessions.delete(req.headers.authorization.slice(7));
      return send(res, 204);
    }
    if (path === '/api/board') {
      if (['clinician', 'amhp', 'ambulance', 'hub111'].includes(user.role)) {
        return error(res, 403, 'permission_denied', `the ${user.role} role may not board.read`);
      }
      const alerts = state.alerts.filter((a) => !a.acknowledged_at); // as the server: open alerts only
      return send(res, 200, { seq, now: iso(Date.now()), ...state, alerts });
    }
    if (path === '/api/reference/bcus') return send(res, 200, ref.bcus);
    if (path === '/api/reference/boroughs') return send(res, 200, ref.boroughs);
    if (path === '/api/reference/boundaries') return send(res, 200, ref.boundaries);
    const ack = /^\/api\/alerts\/([^/]+)\/acknowledge$/.exec(path);
    if (ack && req.method === 'POST') {
      if (!['call_handler', 'controller', 'supervisor', 'admin'].includes(user.role)) {
        return error(res, 403, 'permission_denied', `the ${user.role} role may not alert.acknowledge`);
      }
      const b = await body(req);
      if (!b || typeof b !== 'object' || Array.isArray(b)) {
        return error(res, 400, 'invalid_argument', 'the body must be a JSON object');
      }
      const alert = state.alerts.find((a) => a.id === decodeURIComponent(ack[1]));
      if (!alert) return error(res, 404, 'not_found', 'No such alert.');
      if (!alert.acknowledged_at) {
        alert.acknowledged_at = iso(Date.now());
        alert.acknowledged_by = user.name;
        append('alert.acknowledged', `alert-${alert.id}`, { alert_id: alert.id });
      }
      return send(res, 200, alert);
    }
    return error(res, 404, 'not_found', `No route for ${req.method} ${path}.`);
  }

  function hooks(req, res, url) {
    if (url.pathname === '/__mock/incident') {
      const n = nextIncident++;
      const incident = {
        ...state.incidents[1],
        id: `inc-${n}`,
        reference: `CAD ${n}/04Jan25`,
        grade: 'I',
        created_at: iso(Date.now()),
        target_at: iso(Date.now() + 15 * 60_000),
        assigned_count: 0,
        status: 'open',
        description: `Test incident ${n}`,
      };
      state.incidents.push(incident);
      append('incident.created', `incident-${incident.id}`, { id: incident.id });
      return send(res, 200, incident);
    }
    return error(res, 404, 'not_found', 'No such hook.');
  }

  function serveStatic(req, res, url) {
    const root = resolve(webDir);
    let file = normalize(join(root, decodeURIComponent(url.pathname)));
    if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) {
      file = join(root, 'index.html');
    }
    if (!existsSync(file)) return error(res, 404, 'not_found', 'Build the web app first.');
    res.writeHead(200, { 'Content-Type': kTypes[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://mock');
    const route = url.pathname.startsWith('/api/')
      ? api(req, res, url)
      : url.pathname.startsWith('/__mock/')
        ? hooks(req, res, url)
        : serveStatic(req, res, url);
    Promise.resolve(route).catch((e) => error(res, 500, 'internal', String(e)));
  });

  server.on('upgrade', (req, socket) => {
    if (!req.url.startsWith('/api/stream')) {
      socket.end('HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    const conn = acceptWebSocket(req, socket);
    const entry = { conn, live: false };
    sockets.add(entry);
    conn.onclose = () => sockets.delete(entry);
    conn.onmessage = (text) => {
      let hello;
      try {
        hello = JSON.parse(text);
      } catch {
        hello = null;
      }
      if (!hello || hello.type !== 'hello' || !sessions.has(hello.token)) {
        conn.send(JSON.stringify({ type: 'error', error: { code: 'unauthenticated', message: 'Sign in first.' } }));
        conn.close();
        return;
      }
      for (const ev of log) if (ev.seq > (hello.since ?? 0)) conn.send(JSON.stringify(ev));
      conn.send(JSON.stringify({ type: 'ready', head: seq }));
      entry.live = true;
    };
  });

  await new Promise((r) => server.listen(port, host, r));
  const actual = server.address().port;
  return {
    url: `http://${host}:${actual}`,
    close: () =>
      new Promise((r) => {
        for (const s of sockets) s.conn.destroy();
        server.close(r);
      }),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const arg = (name, fallback) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? process.argv[i + 1] : fallback;
  };
  const webDir = arg('--web', new URL('../../dist', import.meta.url).pathname);
  const s = await startMockServer({ port: Number(arg('--port', 8080)), webDir });
  console.log(`Mock Concordat server on ${s.url} serving ${webDir} (demo password concordat-demo)`);
}
