/**
 * Query parameters of list / watch / get requests, parsed with zod at the edge. Unknown parameters are
 * ignored (kubectl and client libraries send several the simulator has no use for, e.g. `timeout`).
 */
import { z } from "zod";

const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const nonNegativeInt = z
  .string()
  .regex(/^\d+$/, "must be a non-negative integer")
  .transform(Number)
  .optional();

export const ListWatchQuerySchema = z.object({
  watch: bool,
  resourceVersion: z.string().optional(),
  resourceVersionMatch: z.enum(["NotOlderThan", "Exact", ""]).optional(),
  timeoutSeconds: nonNegativeInt,
  allowWatchBookmarks: bool,
  labelSelector: z.string().optional(),
  fieldSelector: z.string().optional(),
  limit: nonNegativeInt,
  continue: z.string().optional(),
  includeObject: z.enum(["None", "Metadata", "Object", ""]).optional(),
});

export type ListWatchQuery = z.infer<typeof ListWatchQuerySchema>;

export function queryRecord(params: URLSearchParams): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of params) out[key] = value;
  return out;
}

/** A resourceVersion as a number, or undefined for "", "0" and absent ("any" / "most recent"). */
export function parseRv(raw: string | undefined): number | undefined | "invalid" {
  if (raw === undefined || raw === "" || raw === "0") return undefined;
  return /^\d+$/.test(raw) ? Number(raw) : "invalid";
}
