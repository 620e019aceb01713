/**
 * GET /api/export and POST /api/import. Export takes the timeline query plus `format`, `pin` and the lane
 * filters `q`, `node`, `risky`, `idle`, `pod` (the view on screen: visible range, pinned and shown lanes) and answers with the file (Content-Disposition: attachment). Import takes the raw file as the body (`?name=` for messages and
 * the default cluster name) or several files as multipart/form-data (import-upload.ts), `?cluster=` to
 * choose the cluster; the body is streamed (gzip or not), all of it is checked, then written in one
 * append; bad input is a 400 naming the file and line, a body over DRAINSCOPE_MAX_UPLOAD_BYTES a 413. Both need the read token, like every other read.
 */
import { z } from "zod";
import { ExpandListSchema, PinListSchema, TimelineQuerySchema, describeIssues } from "../../lib/api/contracts";
import { ExportLaneFilterSchema } from "../../lib/export/export-query";
import { EXPORT_FORMATS } from "../../lib/export/types";
import { ImportError } from "../../lib/import";
import { ClusterNameSchema } from "../../lib/model/events-schema";
import { isDisplayableTime } from "../../lib/model/time-limits";
import { AmbiguousClusterError, exportView } from "../export/export-view";
import { RenderError } from "../export/png";
import type { ImportOutcome } from "../import/apply";
import { importSources } from "../import/stream";
import { liveClusters } from "./handlers";
import { maxUploadBytes, readImportUpload } from "./import-upload";
import { HttpError, handle, json } from "./respond";

const FormatSchema = z.object({ format: z.enum(EXPORT_FORMATS as [string, ...string[]], { error: `format: expected one of ${EXPORT_FORMATS.join(", ")}` }) });
const ImportQuerySchema = z.object({
  name: z.string().min(1).max(200).default("upload"),
  cluster: ClusterNameSchema.optional(),
});

function params(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams.entries());
}

export const getExport = (req: Request) =>
  handle(req, async (rt) => {
    const { format: f, pin, expand, q: search, node, risky, idle, pod, ...rest } = params(req);
    const fmt = FormatSchema.safeParse({ format: f });
    if (!fmt.success) throw new HttpError(400, `format: expected one of ${EXPORT_FORMATS.join(", ")}`);
    const q = TimelineQuerySchema.safeParse(rest);
    if (!q.success) throw new HttpError(400, describeIssues(q.error));
    // The view on screen: `from`/`to` is the visible range (also with an episode), `pin` its pinned lanes.
    const pins = PinListSchema.safeParse(pin ?? "");
    if (!pins.success) throw new HttpError(400, `pin: ${pins.error.issues[0]?.message ?? "invalid"}`);
    const expanded = ExpandListSchema.safeParse(expand ?? "");
    if (!expanded.success) throw new HttpError(400, `expand: ${expanded.error.issues[0]?.message ?? "invalid"}`);
    // The lane filters on screen (the timeline URL's q, node, risky, idle): the export holds the lanes shown.
    const lf = ExportLaneFilterSchema.safeParse(Object.fromEntries(Object.entries({ q: search, node, risky, idle, pod }).filter(([, v]) => v !== undefined)));
    if (!lf.success) throw new HttpError(400, describeIssues(lf.error));
    const format = EXPORT_FORMATS.find((x) => x === fmt.data.format) ?? "json";
    try {
      const r = await exportView(rt.store, q.data, format, Date.now(), undefined, liveClusters(rt), rt.openGaps(), {
        pinned: pins.data,
        expanded: expanded.data,
        filter: lf.data.filter,
        ...(lf.data.selected !== undefined ? { selected: lf.data.selected } : {}),
      });
      const body = typeof r.body === "string" ? r.body : new Uint8Array(r.body);
      return new Response(body, {
        status: 200,
        headers: {
          "Content-Type": r.contentType,
          "Content-Disposition": `attachment; filename="${r.fileName}"`,
          "Cache-Control": "no-store",
          "X-Content-Type-Options": "nosniff",
          // An exported SVG opened from this origin must not run anything.
          "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
        },
      });
    } catch (e) {
      if (e instanceof AmbiguousClusterError) throw new HttpError(400, e.message);
      if (e instanceof RenderError) throw new HttpError(503, e.message);
      throw e;
    }
  });

export const postImport = (req: Request) =>
  handle(req, async (rt) => {
    // A write: a web page on another origin could POST a plain-text body here without a preflight.
    // Requiring a custom header (or a token) makes browsers ask first, and we never say yes.
    if (!req.headers.get("authorization") && req.headers.get("x-drainscope-import") !== "1") {
      throw new HttpError(403, "imports must send the header X-Drainscope-Import: 1 (or an Authorization token)");
    }
    const q = ImportQuerySchema.safeParse(params(req));
    if (!q.success) throw new HttpError(400, describeIssues(q.error));
    const upload = readImportUpload(req, q.data.name, maxUploadBytes(process.env));
    const cluster = q.data.cluster;
    let r: ImportOutcome;
    try {
      // Streamed: the body is read, checked and planned as it arrives; one transaction at the end.
      r = await importSources(rt.store, upload.sources, { ...(cluster ? { cluster } : {}), lateCluster: upload.cluster });
    } catch (e) {
      if (e instanceof ImportError) throw new HttpError(400, e.message);
      if (e instanceof HttpError) throw e;
      // The import is one transaction: a store that cannot write (disk full, PostgreSQL down) stored nothing.
      throw new HttpError(503, `the store (${rt.store.kind} at ${rt.store.location}) cannot write, nothing was imported: ${e instanceof Error ? e.message : String(e)}`);
    }
    const view = new URLSearchParams({ cluster: r.cluster });
    if (r.view?.namespace) view.set("namespace", r.view.namespace);
    if (r.view?.service) view.set("service", r.view.service);
    if (r.view?.episode) view.set("episode", r.view.episode);
    // The import has committed: nothing after this point may fail on a value (a time no Date can
    // hold used to turn a successful import into a 500 here). `iso` gives up on such a time instead.
    const iso = (ms: number): string | undefined => (isDisplayableTime(ms) ? new Date(ms).toISOString() : undefined);
    const setRange = (from: number, to: number): void => {
      const f = iso(from);
      const t = iso(to);
      if (f && t) {
        view.set("from", f);
        view.set("to", t);
      }
    };
    if (r.view?.from !== undefined && r.view.to !== undefined) setRange(r.view.from, r.view.to);
    else {
      // A recording or audit log has no view: open on what was imported, not on the default range.
      const summary = (await rt.store.clusters()).find((c) => c.name === r.cluster);
      if (summary?.firstAt !== undefined && summary.lastAt !== undefined) setRange(summary.firstAt - 5000, summary.lastAt + 5000);
    }
    if (r.view?.pinned && r.view.pinned.length > 0) view.set("pin", r.view.pinned.join(","));
    return json({ cluster: r.cluster, files: r.files, observations: r.observations, inserted: r.inserted, duplicates: r.duplicates, timelineUrl: `/timeline?${view.toString()}` });
  });
