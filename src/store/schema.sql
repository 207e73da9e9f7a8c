-- Concordat's embedded store. One file: the event log, command outcomes, snapshots, accounts.
-- The log format and its hash chain are described in docs/LOG_FORMAT.md.

CREATE TABLE IF NOT EXISTS events (
  seq            INTEGER PRIMARY KEY,       -- gapless from 1
  at_us          INTEGER NOT NULL,          -- UTC microseconds
  stream         TEXT    NOT NULL,
  type           TEXT    NOT NULL,
  actor_user     TEXT    NOT NULL,
  actor_role     TEXT    NOT NULL,
  actor_agency   TEXT    NOT NULL,
  command_id     TEXT    NOT NULL,
  classification TEXT    NOT NULL,
  payload        TEXT    NOT NULL,          -- JSON, exactly as hashed
  prev_hash      TEXT    NOT NULL,
  hash           TEXT    NOT NULL
);

-- Which events belong to a stream (an incident's timeline), written in batches: the log's writer
-- adds the entries of every event after log_meta.indexed_upto once stream_index_every events have
-- gathered, in (stream, seq) order, in the same transaction as that commit. Events after
-- indexed_upto are found by scanning that tail. (An index on events (stream, seq) cost a write of
-- one page per hot stream per commit: two thirds of the bytes of each commit.)
CREATE TABLE IF NOT EXISTS stream_index (
  stream TEXT    NOT NULL,
  seq    INTEGER NOT NULL,
  PRIMARY KEY (stream, seq)
) WITHOUT ROWID;

CREATE TABLE IF NOT EXISTS log_meta (
  key   TEXT PRIMARY KEY,
  value INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS commands (
  command_id TEXT PRIMARY KEY,
  outcome    TEXT NOT NULL                  -- JSON: the first outcome, returned on retries
);

CREATE TABLE IF NOT EXISTS snapshots (
  seq   INTEGER PRIMARY KEY,
  state TEXT NOT NULL   -- the first part of the engine's State::ToSnapshot() bytes (a BLOB)
);

-- A snapshot's further parts, in order (SQLite holds at most 1 GB in one value; the state of a
-- force can be more). Older snapshots are one JSON text with no parts.
CREATE TABLE IF NOT EXISTS snapshot_parts (
  seq   INTEGER NOT NULL,
  part  INTEGER NOT NULL,  -- 1, 2, ...
  bytes BLOB NOT NULL,
  PRIMARY KEY (seq, part)
);

CREATE TABLE IF NOT EXISTS users (
  id            TEXT PRIMARY KEY,
  username      TEXT NOT NULL UNIQUE,
  name          TEXT NOT NULL,
  role          TEXT NOT NULL,
  agency_id     TEXT NOT NULL,
  agency_name   TEXT NOT NULL,
  collar        TEXT NOT NULL DEFAULT '',
  password_hash TEXT NOT NULL,
  disabled      INTEGER NOT NULL DEFAULT 0,
  demo          INTEGER NOT NULL DEFAULT 0,
  created_at_us INTEGER NOT NULL,
  updated_at_us INTEGER NOT NULL
);

-- Every change to an account (who, what, when), in the transaction that made it; `command_id`
-- is the API's Idempotency-Key, so a retried change is answered, not made twice. Append-only.
CREATE TABLE IF NOT EXISTS account_changes (
  id          INTEGER PRIMARY KEY,
  at_us       INTEGER NOT NULL,
  command_id  TEXT    NOT NULL UNIQUE,
  actor_user  TEXT    NOT NULL,             -- a user id, "cli" or "demo-seed"
  actor_role  TEXT    NOT NULL,
  action      TEXT    NOT NULL,             -- created | disabled | enabled | password_set
  username    TEXT    NOT NULL
);

-- Failed sign-ins per username in its current window (UsersStore::SignInLimit). Only usernames
-- that failed within the last window are kept; unknown usernames count like known ones.
CREATE TABLE IF NOT EXISTS sign_in_failures (
  username    TEXT    PRIMARY KEY,
  failures    INTEGER NOT NULL,
  first_at_us INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS sessions (
  token_hash    TEXT PRIMARY KEY,           -- SHA-256 of the bearer token; the token is never stored
  user_id       TEXT NOT NULL REFERENCES users (id),
  created_at_us INTEGER NOT NULL,
  expires_at_us INTEGER NOT NULL,
  revoked       INTEGER NOT NULL DEFAULT 0
);

-- DPA 2018 s62 logging: every consultation or disclosure of personal or health data. Append-only
-- (nothing updates or deletes rows); written before the data is returned.
CREATE TABLE IF NOT EXISTS access_log (
  id            INTEGER PRIMARY KEY,
  at_us         INTEGER NOT NULL,
  user_id       TEXT NOT NULL,
  role          TEXT NOT NULL,
  agency_id     TEXT NOT NULL,
  action        TEXT NOT NULL,             -- consultation | disclosure
  what          TEXT NOT NULL,             -- e.g. incident/inc-12, person/p-3, stream
  categories    TEXT NOT NULL,             -- data categories returned, comma-separated
  justification TEXT NOT NULL,
  recipient     TEXT NOT NULL,             -- the receiving agency, for disclosures
  route         TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS access_log_by_what ON access_log (what, at_us);
CREATE INDEX IF NOT EXISTS access_log_by_user ON access_log (user_id, at_us);
