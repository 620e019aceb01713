/**
 * A small, strict argument parser: known flags only, `--flag value` or `--flag=value`, repeatable
 * flags collected, positionals kept in order. Errors are values, so commands can print usage and exit 2.
 */
export interface FlagSpec {
  readonly type: "boolean" | "string";
  readonly repeat?: boolean;
  readonly alias?: string;
}

export interface ParsedArgs {
  readonly flags: Readonly<Record<string, string | boolean | readonly string[] | undefined>>;
  readonly positionals: readonly string[];
}

export class UsageError extends Error {
  override name = "UsageError";
}

export function parseArgs(argv: readonly string[], spec: Readonly<Record<string, FlagSpec>>): ParsedArgs {
  const flags: Record<string, string | boolean | string[] | undefined> = {};
  const positionals: string[] = [];
  const aliases = new Map(Object.entries(spec).flatMap(([name, s]) => (s.alias ? [[s.alias, name] as const] : [])));
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const rawName = arg.replace(/^--?/, "").slice(0, eq === -1 ? undefined : eq - (arg.startsWith("--") ? 2 : 1));
    const name = aliases.get(rawName) ?? rawName;
    const s = spec[name];
    if (!s) throw new UsageError(`unknown option ${arg.slice(0, eq === -1 ? undefined : eq)}`);
    if (s.type === "boolean") {
      if (eq !== -1) throw new UsageError(`option --${name} takes no value`);
      flags[name] = true;
      continue;
    }
    let value: string | undefined = eq === -1 ? undefined : arg.slice(eq + 1);
    if (value === undefined) {
      value = argv[i + 1];
      if (value === undefined || value.startsWith("--")) throw new UsageError(`option --${name} needs a value`);
      i++;
    }
    if (s.repeat) {
      const prev = flags[name];
      flags[name] = [...(Array.isArray(prev) ? prev : []), ...value.split(",").filter(Boolean)];
    } else flags[name] = value;
  }
  return { flags, positionals };
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
  if (!Number.isFinite(n) || (opts.min !== undefined && n < opts.min) || (opts.max !== undefined && n > opts.max)) {
    throw new UsageError(`option --${name} must be a number${opts.min !== undefined ? ` ≥ ${opts.min}` : ""}${opts.max !== undefined ? ` ≤ ${opts.max}` : ""}, got "${raw}"`);
  }
  return n;
}
