/**
 * Live updates across replicas through PostgreSQL LISTEN/NOTIFY. With leader election only one replica
 * watches a cluster, and ingest requests land on any replica, yet a browser's stream may be open on any
 * of them: each replica NOTIFYs what it publishes and LISTENs for the others'. Chosen over polling the
 * store because the store has no insertion cursor to poll from (events are keyed by their own time, and
 * late or replayed events land in the past), and because NOTIFY reaches every replica within
 * milliseconds at no query cost. Payloads are capped at 8,000 bytes by PostgreSQL, so a batch goes out
 * in chunks; an event too large for one is left to the browser's next refetch. Notifications sent while
 * a listener is reconnecting are lost to it; its clients see them on their next refetch.
 *
 * Gaps still open (a watch or LB source down right now) live only in the memory of the replica that has
 * them until they close and are stored; each replica NOTIFYs its open gaps every OPEN_GAPS_EVERY_MS, and
 * the others show them while the reports keep coming, so a timeline hatches an outage on every replica.
 */
import type pg from "pg";
import type { LifecycleEvent, WatcherGap } from "../../lib/model/events";

export const LIVE_CHANNEL = "drainscope_live";
const MAX_PAYLOAD_BYTES = 7_500;

export const OPEN_GAPS_EVERY_MS = 2000;
/** A replica's open-gap report counts until three reports in a row are missing (it died or lost the DB). */
const OPEN_GAPS_STALE_MS = 3 * OPEN_GAPS_EVERY_MS;

export interface LiveRelay {
  publish(events: readonly LifecycleEvent[]): void;
  /** This replica's open gaps right now (an empty list clears its previous report). */
  publishOpenGaps(gaps: readonly WatcherGap[]): void;
  /** The other replicas' open gaps, from reports fresher than OPEN_GAPS_STALE_MS. */
  remoteOpenGaps(): WatcherGap[];
  close(): Promise<void>;
}

interface Envelope {
  readonly o: string;
  readonly e: readonly LifecycleEvent[];
}

function isEnvelope(v: unknown): v is Envelope {
  if (typeof v !== "object" || v === null || !("o" in v) || !("e" in v)) return false;
  return typeof v.o === "string" && Array.isArray(v.e) && v.e.every((x: unknown) => typeof x === "object" && x !== null && "type" in x && "cluster" in x && typeof x.cluster === "string");
}

interface GapReport {
  readonly o: string;
  readonly g: readonly WatcherGap[];
}

function isGapReport(v: unknown): v is GapReport {
  if (typeof v !== "object" || v === null || !("o" in v) || !("g" in v)) return false;
  return typeof v.o === "string" && Array.isArray(v.g) && v.g.every((x: unknown) => typeof x === "object" && x !== null && "type" in x && x.type === "watcher-gap" && "cluster" in x && typeof x.cluster === "string");
}

/** One open-gap report that fits a NOTIFY payload (the oldest gaps first, the rest dropped). */
export function gapReportPayload(origin: string, gaps: readonly WatcherGap[], maxBytes = MAX_PAYLOAD_BYTES): string {
  const sorted = [...gaps].sort((a, b) => a.from - b.from);
  const parts: string[] = [];
  let size = Buffer.byteLength(JSON.stringify({ o: origin, g: [] }));
  for (const g of sorted) {
    const text = JSON.stringify(g);
    if (size + Buffer.byteLength(text) + 1 > maxBytes) break;
    parts.push(text);
    size += Buffer.byteLength(text) + 1;
  }
  return `{"o":${JSON.stringify(origin)},"g":[${parts.join(",")}]}`;
}

/** Splits a batch into envelopes that each fit one NOTIFY payload. */
export function chunkPayloads(origin: string, events: readonly LifecycleEvent[], maxBytes = MAX_PAYLOAD_BYTES): { payloads: string[]; skipped: number } {
  const payloads: string[] = [];
  let skipped = 0;
  let current: string[] = [];
  let size = 0;
  const overhead = Buffer.byteLength(JSON.stringify({ o: origin, e: [] }));
  const flush = () => {
    if (current.length) payloads.push(`{"o":${JSON.stringify(origin)},"e":[${current.join(",")}]}`);
    current = [];
    size = 0;
  };
  for (const ev of events) {
    const text = JSON.stringify(ev);
    const bytes = Buffer.byteLength(text) + 1;
    if (bytes + overhead > maxBytes) {
      skipped++;
      continue;
    }
    if (size + bytes + overhead > maxBytes) flush();
    current.push(text);
    size += bytes;
  }
  flush();
  return { payloads, skipped };
}

export async function startLiveRelay(databaseUrl: string, origin: string, deliver: (events: LifecycleEvent[]) => void, log: (line: string) => void): Promise<LiveRelay> {
  // Loaded here, not at the top: runtime.ts imports this module in every process, most on SQLite.
  const { default: pgLib } = await import("pg");
  const pool = new pgLib.Pool({ connectionString: databaseUrl, max: 2, idleTimeoutMillis: 10_000 });
  pool.on("error", () => undefined); // an idle connection dropped; the next query opens another
  let closed = false;
  let listener: pg.Client | undefined;
  const reports = new Map<string, { readonly gaps: readonly WatcherGap[]; readonly at: number }>();

  const listen = async (): Promise<void> => {
    for (let attempt = 0; !closed; attempt++) {
      const client = new pgLib.Client({ connectionString: databaseUrl });
      try {
        await client.connect();
        client.on("notification", (n) => {
          if (n.channel !== LIVE_CHANNEL || !n.payload) return;
          try {
            const parsed: unknown = JSON.parse(n.payload);
            if (isEnvelope(parsed) && parsed.o !== origin) deliver([...parsed.e]);
            else if (isGapReport(parsed) && parsed.o !== origin) reports.set(parsed.o, { gaps: parsed.g, at: Date.now() });
          } catch {
            // not ours: ignore
          }
        });
        client.on("error", () => undefined);
        client.on("end", () => {
          if (!closed) {
            log("live relay: the LISTEN connection to PostgreSQL closed; reconnecting");
            void listen();
          }
        });
        await client.query(`LISTEN ${LIVE_CHANNEL}`);
        listener = client;
        return;
      } catch (e) {
        await client.end().catch(() => undefined);
        if (attempt === 0) log(`live relay: cannot LISTEN on PostgreSQL (retrying): ${e instanceof Error ? e.message : String(e)}`);
        await new Promise((r) => setTimeout(r, Math.min(5000, 200 * 2 ** attempt)));
      }
    }
  };
  void listen(); // never blocks the start: until it connects, this replica only misses live pushes

  return {
    publish(events) {
      if (closed || events.length === 0) return;
      const { payloads, skipped } = chunkPayloads(origin, events);
      if (skipped) log(`live relay: ${skipped} events too large to relay live (browsers see them on refetch)`);
      for (const p of payloads) pool.query("SELECT pg_notify($1, $2)", [LIVE_CHANNEL, p]).catch((e: unknown) => log(`live relay: NOTIFY failed: ${e instanceof Error ? e.message : String(e)}`));
    },
    publishOpenGaps(gaps) {
      if (closed) return;
      pool.query("SELECT pg_notify($1, $2)", [LIVE_CHANNEL, gapReportPayload(origin, gaps)]).catch(() => undefined);
    },
    remoteOpenGaps() {
      const fresh = Date.now() - OPEN_GAPS_STALE_MS;
      const gaps: WatcherGap[] = [];
      for (const [o, r] of reports) {
        if (r.at < fresh) reports.delete(o);
        else gaps.push(...r.gaps);
      }
      return gaps;
    },
    async close() {
      closed = true;
      await listener?.end().catch(() => undefined);
      await pool.end().catch(() => undefined);
    },
  };
}
