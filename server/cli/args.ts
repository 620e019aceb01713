/**
 * Argument parsing for every command, on node's `util.parseArgs` (strict: known options only, short
 * options such as `-n shop` or `-A`, `--flag value` or `--flag=value`). This module keeps a small spec
 * format of its own so commands stay declarative. Repeatable flags also accept comma-separated values
 * (`--context a,b`). Errors are values, so commands can print usage and exit 2.
 */
import { parseArgs as nodeParseArgs } from "node:util";
import { clusterNameProblem } from "../../lib/model/names";

export interface FlagSpec {
  readonly type: "boolean" | "string";
  readonly repeat?: boolean;
  /** The short option, one letter (`n` for `-n`). */
  readonly alias?: string;
}

export interface ParsedArgs {
  readonly flags: Readonly<Record<string, string | boolean | readonly string[] | undefined>>;
  readonly positionals: readonly string[];
}

export class UsageError extends Error {
  override name = "UsageError";
}

type NodeOption = { type: "boolean" | "string"; multiple?: boolean; short?: string };

function nodeOptions(spec: Readonly<Record<string, FlagSpec>>): Record<string, NodeOption> {
  const options: Record<string, NodeOption> = {};
  for (const [name, s] of Object.entries(spec)) {
    if (s.alias !== undefined && s.alias.length !== 1) throw new Error(`flag --${name}: alias "${s.alias}" must be one letter`);
    options[name] = { type: s.type, ...(s.repeat ? { multiple: true } : {}), ...(s.alias ? { short: s.alias } : {}) };
  }
  return options;
}

function errorCode(e: unknown): string | undefined {
  return e instanceof Error && "code" in e && typeof e.code === "string" ? e.code : undefined;
}

/** node's messages are long and name both spellings; ours are short and name the long option. */
function usageErrorFrom(e: unknown, spec: Readonly<Record<string, FlagSpec>>): UsageError | undefined {
  const code = errorCode(e);
  if (!code?.startsWith("ERR_PARSE_ARGS_") || !(e instanceof Error)) return undefined;
  const quoted = /'([^']+)'/.exec(e.message)?.[1] ?? "";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") return new UsageError(`unknown option ${quoted}`);
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return new UsageError(`unexpected argument "${quoted}"`);
  // "Option '-n, --namespace <value>' argument missing" / "Option '--json' does not take an argument".
  const name = /--([A-Za-z0-9-]+)/.exec(quoted)?.[1] ?? quoted.replace(/^-+/, "");
  if (spec[name]?.type === "boolean") return new UsageError(`option --${name} takes no value`);
  if (/ambiguous/.test(e.message)) return new UsageError(`option --${name} needs a value (write --${name}=VALUE for a value that starts with "-")`);
  return new UsageError(`option --${name} needs a value`);
}

export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, FlagSpec>>): ParsedArgs {
  let parsed: ReturnType<typeof nodeParseArgs>;
  try {
    parsed = nodeParseArgs({ args: [...argv], options: nodeOptions(spec), strict: true, allowPositionals: true });
  } catch (e) {
    throw usageErrorFrom(e, spec) ?? e;
  }
  const flags: Record<string, string | boolean | string[] | undefined> = {};
  for (const [name, value] of Object.entries(parsed.values)) {
    const s = spec[name];
    if (!s || value === undefined) continue;
    if (s.repeat) {
      const values = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === "string");
      flags[name] = values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
    } else if (s.type === "boolean") flags[name] = value === true;
    else if (typeof value === "string") flags[name] = value;
  }
  return { flags, positionals: parsed.positionals };
}

export function stringFlag(a: ParsedArgs, name: string): string | undefined {
  const v = a.flags[name];
  return typeof v === "string" ? v : undefined;
}

export function listFlag(a: ParsedArgs, name: string): readonly string[] {
  const v = a.flags[name];
  return Array.isArray(v) ? v : [];
}

export function boolFlag(a: ParsedArgs, name: string): boolean {
  return a.flags[name] === true;
}

export function numberFlag(a: ParsedArgs, name: string, opts: { min?: number; max?: number } = {}): number | undefined {
  const raw = stringFlag(a, name);
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
    throw new UsageError(`option --${name} must be a number${opts.min !== undefined ? ` ≥ ${opts.min}` : ""}${opts.max !== undefined ? ` ≤ ${opts.max}` : ""}, got "${raw}"`);
  }
  return n;
}

/** `--cluster NAME`, held to the one cluster-name rule (lib/model/names.ts) like every other door. */
export function clusterFlag(a: ParsedArgs): string | undefined {
  const v = stringFlag(a, "cluster");
  const problem = v === undefined ? undefined : clusterNameProblem(v);
  if (problem) throw new UsageError(`--cluster: ${problem}`);
  return v;
}
