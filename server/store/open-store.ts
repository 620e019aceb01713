/**
 * The one way to open a store (design §6.3): PostgreSQL when a postgres:// URL is given, otherwise the
 * SQLite file in the data directory. Expected failures (nothing listening, wrong password, a read-only
 * directory, a schema from a newer Drainscope) come back as values with a one-line message for the
 * person who ran the command; no stack trace. Anything else is a bug and is thrown.
 */
import { accessSync, constants, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import type { EpochMs } from "../../lib/model/events";
import { openSqliteStore } from "./sqlite";
import { StoreOpenFailure, type OpenResult, type StoreOpenError } from "./types";

export interface OpenStoreOptions {
  /** `postgres://…` or `postgresql://…`; unset or empty means SQLite. */
  readonly databaseUrl?: string;
  /** Directory of the SQLite file; default `./data`. Created when missing. */
  readonly dataDir?: string;
  /** The store's clock: when rows are recorded (retention counts from it). Default: the system clock. */
  readonly now?: () => EpochMs;
  /** Where a skipped unreadable row is reported (default: console.warn). */
  readonly warn?: (line: string) => void;
  /** PostgreSQL connect timeout. */
  readonly connectTimeoutMs?: number;
  /** SQLite's page cache in KiB (see SqliteStoreOptions.cacheKiB); PostgreSQL ignores it. */
  readonly sqliteCacheKiB?: number;
}

export const DEFAULT_DATA_DIR = "./data";
export const SQLITE_FILE = "drainscope.db";

/** The store settings from the environment (flags, where given, override these in the CLI). */
export function storeOptionsFromEnv(env: Readonly<Record<string, string | undefined>>): OpenStoreOptions {
  return {
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.DRAINSCOPE_DATA_DIR ? { dataDir: env.DRAINSCOPE_DATA_DIR } : {}),
  };
}

const isPostgresUrl = (url: string): boolean => /^postgres(ql)?:\/\//i.test(url);

export async function openStore(opts: OpenStoreOptions = {}): Promise<OpenResult> {
  const url = opts.databaseUrl?.trim();
  if (url) {
    if (!isPostgresUrl(url)) {
      // Falling back to SQLite here would split a multi-replica deployment's history without a word.
      return fail("bad-url", `DATABASE_URL must start with postgres:// or postgresql:// (got "${url.split(":")[0] ?? ""}:…"); unset it to use the SQLite file in DRAINSCOPE_DATA_DIR`);
    }
    return openPostgres(url, opts);
  }
  return openSqlite(opts);
}

function fail(code: StoreOpenError["code"], message: string): OpenResult {
  return { ok: false, error: { code, message } };
}

function errnoOf(err: unknown): string {
  return err instanceof Error && "code" in err && typeof err.code === "string" ? err.code : "";
}

function openSqlite(opts: OpenStoreOptions): OpenResult {
  // The data directory is chosen at run time: keep the bundler from tracing the whole project for it.
  const dir = resolve(/*turbopackIgnore: true*/ opts.dataDir ?? DEFAULT_DATA_DIR);
  const hint = "set DRAINSCOPE_DATA_DIR to a writable directory";
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    const reason = errnoOf(err) || (err instanceof Error ? err.message : String(err));
    return fail("unwritable", `cannot use ${dir} as the data directory (${reason}); ${hint}`);
  }
  try {
    return { ok: true, store: openSqliteStore({ file: join(dir, SQLITE_FILE), ...(opts.now ? { now: opts.now } : {}), ...(opts.warn ? { warn: opts.warn } : {}), ...(opts.sqliteCacheKiB !== undefined ? { cacheKiB: opts.sqliteCacheKiB } : {}) }) };
  } catch (err) {
    if (err instanceof StoreOpenFailure) return fail(err.code, err.message);
    throw err;
  }
}

/** Network errors that mean "nobody answered" rather than "something is broken here". */
const UNREACHABLE_ERRNO = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET"]);
/** PostgreSQL SQLSTATEs for a rejected login or a missing database. */
const LOGIN_SQLSTATE: Readonly<Record<string, string>> = {
  "28P01": "password authentication failed",
  "28000": "login rejected",
  "3D000": "database does not exist",
  "57P03": "the server is starting up or shutting down",
};

/** Why a connection failed, in words, or undefined when the error is not a connection problem. */
export function describeConnectError(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const code = errnoOf(err);
  if (UNREACHABLE_ERRNO.has(code)) return `nothing answered (${code})`;
  const login = LOGIN_SQLSTATE[code];
  if (login) return `${login}: ${err.message}`;
  // pg reports its own connect timeout and a dropped handshake only by message.
  if (/timeout|terminated unexpectedly|Connection terminated/i.test(err.message)) return `no answer in time (${err.message})`;
  if (/SASL|password|authentication/i.test(err.message)) return `login failed: ${err.message}`;
  return undefined;
}

async function openPostgres(url: string, opts: OpenStoreOptions): Promise<OpenResult> {
  // Loaded here, not at the top: pg costs a SQLite process (`drainscope watch`) 6–8 MB RSS for nothing.
  const { openPostgresStore, redactUrl } = await import("./postgres");
  const where = redactUrl(url);
  try {
    const store = await openPostgresStore({
      url,
      ...(opts.now ? { now: opts.now } : {}),
      ...(opts.warn ? { warn: opts.warn } : {}),
      ...(opts.connectTimeoutMs !== undefined ? { connectTimeoutMs: opts.connectTimeoutMs } : {}),
    });
    return { ok: true, store };
  } catch (err) {
    if (err instanceof StoreOpenFailure) return fail(err.code, err.message);
    const why = describeConnectError(err);
    if (why) return fail("unreachable", `cannot reach PostgreSQL at ${where}: ${why}`);
    const message = err instanceof Error ? err.message : String(err);
    return fail("migration-failed", `PostgreSQL at ${where} refused the schema migration: ${message}`);
  }
}
