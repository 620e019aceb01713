/**
 * Test support: inside a `describe` block, one throwaway PostgreSQL server for the block (pg-test-server.ts)
 * and fresh databases on it, one per call, named here (never from input, so interpolating them is safe).
 */
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { startPgTestServer, type PgTestServer } from "./pg-test-server";

export interface PgTestDatabases {
  /** The block's server; throws when it did not start. */
  server(): PgTestServer;
  /** A new empty database and its URL; `drop` removes it. */
  fresh(): Promise<{ url: string; drop: () => Promise<void> }>;
}

export function usePgTestDatabases(prefix: string): PgTestDatabases {
  let server: PgTestServer | undefined;
  let admin: pg.Pool | undefined;
  let counter = 0;

  beforeAll(async () => {
    server = await startPgTestServer();
    admin = new pg.Pool({ connectionString: server.url("postgres"), max: 2 });
  }, 60_000);

  afterAll(async () => {
    await admin?.end();
    await server?.stop();
  }, 30_000);

  const started = (): { server: PgTestServer; admin: pg.Pool } => {
    if (!server || !admin) throw new Error("the PostgreSQL test server did not start");
    return { server, admin };
  };
  return {
    server: () => started().server,
    async fresh() {
      const { server: s, admin: pool } = started();
      const name = `${prefix}_${process.pid}_${++counter}`;
      await pool.query(`CREATE DATABASE ${name}`);
      return { url: s.url(name), drop: async () => void (await pool.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)) };
    },
  };
}
