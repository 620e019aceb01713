/**
 * Fault injection for the simulated API server — the failures a real watcher must survive. Callable
 * in-process (tests) and over HTTP (`POST /__sim/faults`, token-guarded; body = `FaultRequest`).
 */
import { z } from "zod";

export const FaultRequestSchema = z.discriminatedUnion("fault", [
  z.object({ fault: z.literal("drop-watches") }),
  z.object({ fault: z.literal("expire-next"), count: z.number().int().min(1).max(1000).default(1) }),
  z.object({
    fault: z.literal("fail-next"),
    count: z.number().int().min(1).max(1000).default(1),
    code: z.union([z.literal(500), z.literal(502), z.literal(503), z.literal(504)]).default(500),
  }),
  z.object({ fault: z.literal("malformed-line") }),
  z.object({ fault: z.literal("stall-watches") }),
  z.object({
    fault: z.literal("restart"),
    /** Virtual ms during which connections are refused. */
    downtimeMs: z.number().min(0).max(600_000).default(0),
    /** How far the resourceVersion counter jumps. */
    rvJump: z.number().int().min(1).max(1_000_000_000).default(1000),
  }),
  /** RBAC revoked for a while: the next `count` requests for `resource` answer 403; its open watches are cut. */
  z.object({ fault: z.literal("forbid"), resource: z.string().regex(/^[a-z]{1,63}$/).default("endpointslices"), count: z.number().int().min(1).max(1000).default(10) }),
  /** A broken proxy: the next `count` watches answer 200 and end at once, without a line. */
  z.object({ fault: z.literal("empty-watches"), count: z.number().int().min(1).max(1000).default(10) }),
  /** One watch line of `bytes` (not JSON that ends) into every open stream: over the watcher's line cap. */
  z.object({ fault: z.literal("huge-line"), bytes: z.number().int().min(1024).max(256 * 1024 * 1024).default(12 * 1024 * 1024) }),
]);

export type FaultRequest = z.input<typeof FaultRequestSchema>;

export interface FaultState {
  readonly expireNext: number;
  readonly failNext: number;
  readonly failCode: number;
  readonly openWatches: number;
  readonly stalledWatches: number;
  readonly restarts: number;
  readonly forbidden: Readonly<Record<string, number>>;
  readonly emptyWatches: number;
}

/** What the faults act on; implemented by the API server. */
export interface FaultTarget {
  dropWatches(): number;
  stallWatches(): number;
  writeMalformedLine(): number;
  /** Write one line of `bytes` that never ends as JSON into every open stream. */
  writeHugeLine(bytes: number): number;
  /** Drop the open watches of one resource. */
  dropWatchesOf(resource: string): number;
  restart(downtimeMs: number, rvJump: number): Promise<void>;
  watchCounts(): { open: number; stalled: number };
}

export interface FaultResult {
  readonly fault: FaultRequest["fault"];
  /** Streams affected, for stream faults. */
  readonly affected?: number;
}

export class Faults {
  private expire = 0;
  private fail = 0;
  private failCode = 500;
  private restarts = 0;
  private readonly forbid = new Map<string, number>();
  private empty = 0;

  constructor(private readonly target: FaultTarget) {}

  /** Drop every open watch connection (socket destroyed, no clean end). */
  dropWatches(): number {
    return this.target.dropWatches();
  }

  /** The next `count` list or watch requests answer 410 Expired. */
  expireNext(count = 1): void {
    this.expire += count;
  }

  /** The next `count` resource requests (get, list, watch) answer `code`. */
  failNext(count = 1, code = 500): void {
    this.fail += count;
    this.failCode = code;
  }

  /** Write a line that is not JSON into every open watch stream. */
  writeMalformedLine(): number {
    return this.target.writeMalformedLine();
  }

  /** Open watch streams stop sending anything but keep their sockets open (a half-open connection). */
  stallWatches(): number {
    return this.target.stallWatches();
  }

  /** Close every connection and lose the watch history; the resourceVersion counter jumps. */
  async restart(options: { downtimeMs?: number; rvJump?: number } = {}): Promise<void> {
    this.restarts++;
    this.expire = 0;
    this.fail = 0;
    await this.target.restart(options.downtimeMs ?? 0, options.rvJump ?? 1000);
  }

  /** The next `count` requests for `resource` answer 403 (its open watches are cut now). */
  forbidNext(resource: string, count = 10): number {
    this.forbid.set(resource, (this.forbid.get(resource) ?? 0) + count);
    return this.target.dropWatchesOf(resource);
  }

  /** Consume one pending 403 for this resource, if any. */
  takeForbidden(resource: string): boolean {
    const n = this.forbid.get(resource) ?? 0;
    if (n <= 0) return false;
    if (n === 1) this.forbid.delete(resource);
    else this.forbid.set(resource, n - 1);
    return true;
  }

  /** The next `count` watches answer 200 and end at once. */
  emptyWatchesNext(count = 10): void {
    this.empty += count;
  }

  /** Consume one pending empty watch, if any. */
  takeEmptyWatch(): boolean {
    if (this.empty <= 0) return false;
    this.empty--;
    return true;
  }

  /** Apply a request parsed from HTTP. */
  async apply(request: FaultRequest): Promise<FaultResult> {
    const r = FaultRequestSchema.parse(request);
    switch (r.fault) {
      case "drop-watches":
        return { fault: r.fault, affected: this.dropWatches() };
      case "expire-next":
        this.expireNext(r.count);
        return { fault: r.fault };
      case "fail-next":
        this.failNext(r.count, r.code);
        return { fault: r.fault };
      case "malformed-line":
        return { fault: r.fault, affected: this.writeMalformedLine() };
      case "stall-watches":
        return { fault: r.fault, affected: this.stallWatches() };
      case "restart":
        await this.restart({ downtimeMs: r.downtimeMs, rvJump: r.rvJump });
        return { fault: r.fault };
      case "forbid":
        return { fault: r.fault, affected: this.forbidNext(r.resource, r.count) };
      case "empty-watches":
        this.emptyWatchesNext(r.count);
        return { fault: r.fault };
      case "huge-line":
        return { fault: r.fault, affected: this.target.writeHugeLine(r.bytes) };
    }
  }

  /** Consume one pending 410, if any. */
  takeExpire(): boolean {
    if (this.expire <= 0) return false;
    this.expire--;
    return true;
  }

  /** Consume one pending failure, returning its HTTP code. */
  takeFailure(): number | undefined {
    if (this.fail <= 0) return undefined;
    this.fail--;
    return this.failCode;
  }

  state(): FaultState {
    const counts = this.target.watchCounts();
    return {
      expireNext: this.expire,
      failNext: this.fail,
      failCode: this.failCode,
      openWatches: counts.open,
      stalledWatches: counts.stalled,
      restarts: this.restarts,
      forbidden: Object.fromEntries(this.forbid),
      emptyWatches: this.empty,
    };
  }
}

/**
 * Faults on a schedule, so a user can watch each one in the UI: `drainscope simulate --faults LIST`
 * (or DRAINSCOPE_SIM_FAULTS for the dashboard's built-in simulated cluster) names faults, comma-separated;
 * every `--fault-every` seconds (DRAINSCOPE_SIM_FAULT_EVERY, default 30) the next one in the list is
 * injected. Each name maps to a request with presets that make the fault visible: `fail-next` refuses the
 * next 20 requests with 503, `restart` keeps the server down 10 virtual seconds, `forbid` refuses the next
 * 10 endpointslices requests (403), `empty-watches` ends the next 10 watches at once, `huge-line` writes a
 * 12 MiB line (over the watcher's default 8 MiB cap).
 */
export const SCHEDULED_FAULTS: Readonly<Record<FaultRequest["fault"], FaultRequest>> = {
  "drop-watches": { fault: "drop-watches" },
  "expire-next": { fault: "expire-next", count: 1 },
  "fail-next": { fault: "fail-next", count: 20, code: 503 },
  "malformed-line": { fault: "malformed-line" },
  "stall-watches": { fault: "stall-watches" },
  restart: { fault: "restart", downtimeMs: 10_000, rvJump: 1000 },
  forbid: { fault: "forbid", resource: "endpointslices", count: 10 },
  "empty-watches": { fault: "empty-watches", count: 10 },
  "huge-line": { fault: "huge-line", bytes: 12 * 1024 * 1024 },
};

const FaultNameSchema = z.enum(Object.keys(SCHEDULED_FAULTS) as [FaultRequest["fault"], ...FaultRequest["fault"][]]);

export interface FaultSchedule {
  readonly faults: readonly FaultRequest[];
  readonly everyMs: number;
}

/** Parses "drop-watches,restart" and a period in seconds; throws with the known names on a bad one. */
export function parseFaultSchedule(list: string, everySeconds: string | undefined): FaultSchedule {
  const names = list.split(",").map((n) => n.trim()).filter(Boolean);
  const faults = names.map((n) => {
    const parsed = FaultNameSchema.safeParse(n);
    if (!parsed.success) throw new Error(`unknown fault "${n}" (known: ${Object.keys(SCHEDULED_FAULTS).join(", ")})`);
    return SCHEDULED_FAULTS[parsed.data];
  });
  const every = z.coerce.number().min(1).max(86_400).safeParse(everySeconds ?? "30");
  if (!every.success) throw new Error(`fault period must be 1–86400 seconds, got "${everySeconds ?? ""}"`);
  return { faults, everyMs: every.data * 1000 };
}

/** Injects the schedule's faults in turn, one per period (wall time); returns a function that stops it. */
export function startFaultSchedule(faults: Faults, schedule: FaultSchedule, log: (line: string) => void): () => void {
  if (schedule.faults.length === 0) return () => undefined;
  let next = 0;
  const timer = setInterval(() => {
    const request = schedule.faults[next++ % schedule.faults.length];
    if (!request) return;
    faults.apply(request).then(
      (r) => log(`fault injected: ${r.fault}${r.affected !== undefined ? ` (${r.affected} streams)` : ""}`),
      (e: unknown) => log(`fault ${request.fault} failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  }, schedule.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
