// For tests: empty SQLite stores, each in its own temporary directory, closed after each test.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import { openSqliteStore } from "./sqlite";
import type { Store } from "./types";

/** Registers the `afterEach` that closes them and returns the maker; `tmpPrefix` names the directories. */
export function freshSqliteStores(tmpPrefix: string): () => Store {
  const stores: Store[] = [];
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
  });
  return () => {
    const s = openSqliteStore({ file: join(mkdtempSync(join(tmpdir(), tmpPrefix)), "drainscope.db") });
    stores.push(s);
    return s;
  };
}
