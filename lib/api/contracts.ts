/**
 * HTTP API contracts, shared by the route handlers (server side) and the UI's queries (client side).
 * Every request is parsed with these schemas at the edge; everything inside trusts the types.
 */
import { z } from "zod";
import { ClusterNameSchema, NamespaceNameSchema, PodNameSchema } from "../model/events-schema";

const name = z.string().min(1).max(253).regex(/^[a-zA-Z0-9]([-a-zA-Z0-9_.:]*[a-zA-Z0-9])?$/, "not a valid name");
const time = z.union(
  [z.coerce.number().int().nonnegative(), z.string().datetime({ offset: true }).transform((v) => Date.parse(v))],
  { error: "expected epoch milliseconds or an RFC 3339 time" },
);

export const TimelineQuerySchema = z
  .object({
    cluster: ClusterNameSchema.optional(),
    namespace: name.optional(),
    service: name.optional(),
    workload: name.optional(),
    episode: z.string().max(600).optional(),
    from: time.optional(),
    to: time.optional(),
  })
  .refine((q) => q.from === undefined || q.to === undefined || q.from <= q.to, { message: "from must not be after to", path: ["from"] })
  .refine((q) => q.from === undefined || q.to === undefined || q.to - q.from <= 31 * 24 * 3600 * 1000, { message: "range is limited to 31 days", path: ["to"] });
export type TimelineQuery = z.output<typeof TimelineQuerySchema>;

/**
 * Pinned pods of a view, as the timeline URL writes them (`pin=uid,uid`): an export narrows its lanes to
 * them. Uids only (letters, digits, dashes), at most 200.
 */
export const PinListSchema = z
  .string()
  .max(200 * 65)
  .transform((v) => v.split(",").filter((s) => s !== ""))
  .pipe(z.array(z.string().regex(/^[0-9a-zA-Z-]{1,64}$/, "expected pod uids (letters, digits, dashes) separated by commas")).max(200, "at most 200 pods"));

/**
 * Replacement summaries a view shows expanded, as the timeline URL writes them (`expand=rev:web:2,…`): an
 * export keeps those replacement pods' lanes (collapsed ones are a summary on screen, not pod lanes).
 */
export const ExpandListSchema = z
  .string()
  .max(50 * 520)
  .transform((v) => v.split(",").filter((s) => s !== ""))
  .pipe(z.array(z.string().regex(/^rev:[0-9a-z.-]{1,253}:[0-9a-zA-Z.—-]{1,253}$/, "expected rev:<workload>:<revision> keys separated by commas")).max(50, "at most 50 revisions"));

/** Which encoding of the timeline to send: the JSON document (API users) or the swimlane's compact format. */
export const TimelineFormatSchema = z.object({ format: z.enum(["json", "compact"]).default("json") });

export const EpisodesQuerySchema = z.object({
  cluster: ClusterNameSchema.optional(),
  namespace: name.optional(),
  service: name.optional(),
  from: time.optional(),
  to: time.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export type EpisodesQuery = z.output<typeof EpisodesQuerySchema>;

export const StreamQuerySchema = z.object({ cluster: ClusterNameSchema.optional(), namespace: name.optional() });

/** Largest ingest body accepted, in bytes. */
export const MAX_INGEST_BYTES = 1024 * 1024;

const epochOrIso = z.union([z.number().int().nonnegative(), z.string().datetime({ offset: true }).transform((v) => Date.parse(v))], {
  error: "expected epoch milliseconds or an RFC 3339 time",
});

// Ingest names follow lib/model/names.ts, like every other door (import, bundles, the CLI).
export const LbIngestSchema = z.object({
  cluster: ClusterNameSchema.optional(),
  members: z
    .array(
      z.object({
        lb: z.string().min(1).max(200),
        source: z.string().min(1).max(60),
        member: z.string().min(3).max(100).regex(/^(\[[0-9a-fA-F:]+\]|[0-9.]+|[0-9a-fA-F:]+)(:[0-9]{1,5})?$/, "member must be ip or ip:port"),
        state: z.enum(["active", "draining", "removed", "unhealthy"]),
        weight: z.number().nonnegative().optional(),
        connections: z.number().int().nonnegative().optional(),
        service: name.optional(),
        namespace: NamespaceNameSchema.optional(),
        at: epochOrIso.optional(),
        /** A poller's previous poll: the change happened in [since, at] (IPVS agent, any polling reporter). */
        since: epochOrIso.optional(),
      }),
    )
    .min(1)
    .max(1000),
});
export type LbIngest = z.output<typeof LbIngestSchema>;

export const SignalIngestSchema = z.object({
  cluster: ClusterNameSchema.optional(),
  namespace: NamespaceNameSchema,
  pod: PodNameSchema,
  /** From the downward API (metadata.uid): names are reused, UIDs are not. */
  podUid: z.string().min(1).max(64).regex(/^[0-9a-fA-F-]+$/, "podUid must be the pod's metadata.uid"),
  signal: z.enum(["prestop-start", "prestop-end", "sigterm-received", "shutdown-done"]),
  at: epochOrIso.optional(),
});
export type SignalIngest = z.output<typeof SignalIngestSchema>;

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join(".") : "body"}: ${i.message}`)
    .join("; ");
}
