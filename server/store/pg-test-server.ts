/**
 * A throwaway PostgreSQL server for the store tests (stack-notes pitfall 11): Debian's server does not
 * start after apt and root cannot use its peer-auth socket, so the tests run their own: `initdb` and
 * `pg_ctl` as the `postgres` user in a temp dir, on a free port, trust auth on 127.0.0.1 only, fsync off
 * (the data is thrown away). Stopped and deleted by `stop()`.
 */
import { execFile } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const PG_BIN = process.env.DRAINSCOPE_PG_BIN ?? "/usr/lib/postgresql/15/bin";

export interface PgTestServer {
  readonly port: number;
  /** A URL for database `db` on this server. */
  url(db: string): string;
  /** Kills the server (immediate shutdown, as a crash would), keeping its data. */
  kill(): Promise<void>;
  /** Starts a killed server again on the same port and data. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

const isRoot = (): boolean => process.getuid?.() === 0;

function postgresUserExists(): boolean {
  try {
    return readFileSync("/etc/passwd", "utf8").split("\n").some((l) => l.startsWith("postgres:"));
  } catch {
    return false;
  }
}

/** Why the tests cannot run here, or undefined when they can. */
export function pgUnavailableReason(): string | undefined {
  for (const tool of ["initdb", "pg_ctl", "postgres"]) {
    if (!existsSync(join(PG_BIN, tool))) return `${join(PG_BIN, tool)} not found (apt-get install postgresql, or set DRAINSCOPE_PG_BIN)`;
  }
  if (isRoot() && !postgresUserExists()) return "running as root but there is no postgres user to run the server as";
  return undefined;
}

/**
 * The environment without libfaketime. CI runs the tests a second time under `faketime -f '+365d'`
 * (LD_PRELOAD, inherited by children); inside PostgreSQL it stalls concurrent transactions (a writer and a
 * pruner hung for 20 s). The server may keep the real clock: the store never reads PostgreSQL's clock —
 * every time it writes comes from Node, which stays a year ahead.
 */
function withoutFaketime(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  const preload = (env.LD_PRELOAD ?? "").split(/[:\s]+/).filter((p) => p !== "" && !p.includes("faketime"));
  if (preload.length > 0) env.LD_PRELOAD = preload.join(":");
  else delete env.LD_PRELOAD;
  return env;
}

/** Run a PostgreSQL tool, as the postgres user when we are root (initdb refuses to run as root). */
function asPostgres(tool: string, args: readonly string[]): Promise<{ stdout: string; stderr: string }> {
  const bin = join(PG_BIN, tool);
  const opts = { timeout: 60_000, env: withoutFaketime() };
  return isRoot() ? run("runuser", ["-u", "postgres", "--", bin, ...args], opts) : run(bin, [...args], opts);
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === "object" && addr ? resolve(addr.port) : reject(new Error("no port"))));
    });
  });
}

export async function startPgTestServer(): Promise<PgTestServer> {
  const dir = mkdtempSync(join(tmpdir(), "drainscope-pg-"));
  const data = join(dir, "data");
  const log = join(dir, "server.log");
  try {
    if (isRoot()) await run("chown", ["postgres:", dir]);
    chmodSync(dir, 0o700);
    await asPostgres("initdb", ["-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C", "--no-sync"]);
    const port = await freePort();
    const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    await asPostgres("pg_ctl", ["-D", data, "-o", opts, "-l", log, "-w", "-t", "30", "start"]);
    return {
      port,
      url: (db) => `postgres://postgres@127.0.0.1:${port}/${db}`,
      kill: async () => void (await asPostgres("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"])),
      restart: async () => void (await asPostgres("pg_ctl", ["-D", data, "-o", opts, "-l", log, "-w", "-t", "30", "start"])),
      stop: async () => {
        await asPostgres("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]).catch(() => undefined);
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    const tail = existsSync(log) ? readFileSync(log, "utf8").slice(-2000) : "";
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start a test PostgreSQL: ${err instanceof Error ? err.message : String(err)}\n${tail}`);
  }
}
