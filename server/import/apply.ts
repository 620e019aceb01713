/**
 * Import of texts already in memory (tests, small callers): size checks, then the pure plan (lib/import),
 * then ONE store append — the store commits a call in one transaction, so an import lands whole or not at
 * all. Files on disk and uploads are streamed instead (stream.ts): the CLI and POST /api/import use that.
 */
import { readFile, stat } from "node:fs/promises";
import { resolve } from "node:path";
import { ImportError, planImport, type ImportFile, type ImportPlan } from "../../lib/import";
import { StoreRejectedError, type Store } from "../store/types";

/** Default per-file limit; DRAINSCOPE_MAX_INPUT_BYTES overrides (the same knob `analyze` reads). */
export const DEFAULT_MAX_IMPORT_BYTES = 512 * 1024 * 1024;

export function maxImportBytes(env: Readonly<Record<string, string | undefined>>): number {
  const n = Number(env.DRAINSCOPE_MAX_INPUT_BYTES);
  return Number.isFinite(n) && n > 0 ? n : DEFAULT_MAX_IMPORT_BYTES;
}

export function tooLarge(name: string, bytes: number, max: number): ImportError {
  return new ImportError(name, 0, `${bytes} bytes is over the ${max}-byte import limit (DRAINSCOPE_MAX_INPUT_BYTES)`);
}

export interface ImportOutcome extends Omit<ImportPlan, "events"> {
  readonly observations: number;
  readonly inserted: number;
  readonly duplicates: number;
}

export async function importIntoStore(store: Store, files: readonly ImportFile[], opts: { readonly cluster?: string; readonly maxBytes?: number } = {}): Promise<ImportOutcome> {
  const max = opts.maxBytes ?? DEFAULT_MAX_IMPORT_BYTES;
  for (const f of files) {
    const bytes = Buffer.byteLength(f.text, "utf8");
    if (bytes > max) throw tooLarge(f.name, bytes, max);
  }
  const plan = planImport(files, opts.cluster !== undefined ? { cluster: opts.cluster } : {});
  return commitPlan(store, plan, files[0]?.name ?? "(import)");
}

/** Writes a checked plan: importEvents is all or nothing (it refuses before writing, or commits all in one transaction). */
export async function commitPlan(store: Store, plan: ImportPlan, firstName: string): Promise<ImportOutcome> {
  const res = await store.importEvents(plan.events).catch((e: unknown) => {
    throw e instanceof StoreRejectedError ? new ImportError(firstName, 0, e.message) : e;
  });
  const { events, ...rest } = plan;
  return { ...rest, observations: events.length, inserted: res.inserted, duplicates: res.duplicates };
}

/** Reads files for the CLI, refusing ones over the limit before reading them. */
export async function readImportFiles(paths: readonly string[], maxBytes: number): Promise<ImportFile[]> {
  const out: ImportFile[] = [];
  for (const p of paths) {
    let size: number;
    try {
      const info = await stat(p);
      if (!info.isFile()) throw new ImportError(p, 0, "not a regular file");
      size = info.size;
    } catch (e) {
      if (e instanceof ImportError) throw e;
      const code = e instanceof Error && "code" in e ? String(e.code) : "";
      throw new ImportError(p, 0, code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : `cannot read: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (size > maxBytes) throw tooLarge(p, size, maxBytes);
    // The absolute path names the cluster after the folder even for `drainscope import pods.jsonl …` run inside it.
    out.push({ name: p, text: await readFile(p, "utf8"), path: resolve(p) });
  }
  return out;
}
