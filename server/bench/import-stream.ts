/**
 * Streamed import benchmark (issue 15): writes a large Kubernetes audit log to /tmp, imports it with
 * `drainscope import` in a child process, and reports MB/s and the child's peak RSS
 * (process.resourceUsage().maxRSS). The file is removed afterwards.
 *
 *   node bin/run-ts.js server/bench/import-stream.ts [--gb 5 | --mb 200] [--pod-share 0.05] [--gzip]
 *
 * The log is what a busy cluster writes: a simulated rollout's RequestResponse audit trail (pods,
 * EndpointSlices, Events — what Drainscope imports), copied into one namespace per copy with its own pod
 * names and uids, between lines the import skips (lease renewals, configmap reads, node status patches,
 * RequestResponse pod lists, RequestReceived stages). `--pod-share` is the share of the bytes that are the
 * rollout's own lines (default 5 %): the import keeps those, so memory follows them, not the file size.
 */
import { spawnSync } from "node:child_process";
import { createWriteStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGzip } from "node:zlib";
import { recordScenario } from "../sim";
import { auditLogFromWatch } from "../import/audit-from-watch";

export interface ImportStreamResult {
  readonly fileBytes: number;
  readonly lines: number;
  readonly seconds: number;
  readonly mbPerSec: number;
  readonly maxRssMb: number;
  readonly observations: number;
  readonly copies: number;
}

function noiseLines(podBody: string): ((id: number) => string)[] {
  const head = (id: number, verb: string, stage = "ResponseComplete") =>
    `{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"ffffffff-0000-4000-8000-${String(id).padStart(12, "0")}","stage":"${stage}","requestURI":"/x","verb":"${verb}"`;
  const tail = ',"sourceIPs":["10.0.0.3"],"requestReceivedTimestamp":"2026-11-22T05:41:00.000000Z","stageTimestamp":"2026-11-22T05:41:00.001000Z"}';
  const podList = `{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"1"},"items":[${Array(12).fill(podBody).join(",")}]}`;
  const node = `{"kind":"Node","apiVersion":"v1","metadata":{"name":"node-1"},"status":{"conditions":[${Array(40).fill('{"type":"Ready","status":"True","lastHeartbeatTime":"2026-11-22T05:41:00Z","reason":"KubeletReady","message":"kubelet is posting ready status"}').join(",")}]}}`;
  return [
    (id) => `${head(id, "update")},"user":{"username":"system:node:node-1"},"objectRef":{"resource":"leases","namespace":"kube-node-lease","name":"node-1","apiGroup":"coordination.k8s.io","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200}${tail}`,
    (id) => `${head(id, "get")},"user":{"username":"system:kube-scheduler"},"objectRef":{"resource":"configmaps","namespace":"kube-system","name":"extension-apiserver-authentication","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200}${tail}`,
    (id) => `${head(id, "list").replace('"level":"Metadata"', '"level":"RequestResponse"')},"user":{"username":"system:serviceaccount:monitoring:prometheus"},"objectRef":{"resource":"pods","namespace":"shop","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200},"responseObject":${podList}${tail}`,
    (id) => `${head(id, "patch").replace('"level":"Metadata"', '"level":"RequestResponse"')},"user":{"username":"system:node:node-1"},"objectRef":{"resource":"nodes","name":"node-1","apiVersion":"v1","subresource":"status"},"responseStatus":{"metadata":{},"code":200},"responseObject":${node}${tail}`,
    (id) => `${head(id, "watch")},"user":{"username":"system:kube-proxy"},"objectRef":{"resource":"endpointslices","apiGroup":"discovery.k8s.io","apiVersion":"v1"},"responseStatus":{"metadata":{},"code":200}${tail}`,
  ];
}

const STAMP = /(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z/g;
const COPY_SPACING_MS = 120_000;

/** Writes the log; returns its size, line count and how many copies of the rollout it holds. */
export async function writeAuditLog(file: string, targetBytes: number, podShare: number, gzip: boolean): Promise<{ bytes: number; lines: number; copies: number }> {
  const rec = await recordScenario({ scenario: "no-prestop-rollout", speed: 60 });
  const episode = auditLogFromWatch(rec.lines)
    .split("\n")
    .filter((l) => l.trim() !== "" && l.includes('"stage":"ResponseComplete"'));
  const episodeBytes = episode.reduce((n, l) => n + l.length + 1, 0);
  const podBody = JSON.stringify((JSON.parse(episode.find((l) => l.includes('"resource":"pods"')) ?? "{}") as { responseObject?: unknown }).responseObject ?? {});
  const noise = noiseLines(podBody);
  const uids = [...new Set(episode.join("\n").match(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g) ?? [])];
  const raw = createWriteStream(file, { highWaterMark: 4 << 20 });
  const sink = gzip ? createGzip({ level: 1 }) : raw;
  if (gzip) sink.pipe(raw);
  let written = 0;
  let lines = 0;
  let copies = 0;
  let noiseId = 0;
  let buf: string[] = [];
  let bufLen = 0;
  const flush = async () => {
    const chunk = buf.join("");
    buf = [];
    bufLen = 0;
    if (!sink.write(chunk)) await new Promise<void>((r) => sink.once("drain", () => r()));
  };
  const push = async (line: string) => {
    buf.push(line, "\n");
    bufLen += line.length + 1;
    written += line.length + 1;
    lines++;
    if (bufLen > 1 << 20) await flush();
  };
  // Noise per copy so that the rollout's lines are `podShare` of the bytes.
  const noisePerCopy = Math.max(0, (episodeBytes * (1 - podShare)) / podShare);
  while (written < targetBytes) {
    copies++;
    const tag = copies.toString(16).padStart(6, "0");
    const ns = `shop-${copies}`;
    let noiseDue = noisePerCopy;
    const perLine = noisePerCopy / episode.length;
    for (const line of episode) {
      let l = line.replaceAll('"namespace":"shop"', `"namespace":"${ns}"`).replaceAll("/namespaces/shop/", `/namespaces/${ns}/`);
      // Each copy happens COPY_SPACING_MS after the one before (a day's log holds a day of rollouts).
      l = l.replace(STAMP, (_, head: string, frac: string | undefined) => `${new Date(Date.parse(`${head}Z`) + (copies - 1) * COPY_SPACING_MS).toISOString().slice(0, 19)}${frac ?? ""}Z`);
      for (const u of uids) l = l.replaceAll(u, `${u.slice(0, 30)}${tag}`);
      await push(l);
      let due = perLine;
      while (due > 0 && noiseDue > 0) {
        const n = noise[noiseId % noise.length]?.(noiseId) ?? "";
        noiseId++;
        await push(n);
        due -= n.length + 1;
        noiseDue -= n.length + 1;
      }
    }
  }
  await flush();
  await new Promise<void>((resolve, reject) => {
    raw.once("finish", resolve).once("error", reject);
    sink.end();
  });
  return { bytes: statSync(file).size, lines, copies };
}

/** One import of `file` by the real CLI in a child process; its peak RSS from process.resourceUsage(). */
export function importChild(file: string): { seconds: number; maxRssMb: number; observations: number; out: string } {
  const dataDir = mkdtempSync(join(tmpdir(), "ds-bench-import-store-"));
  try {
    const r = spawnSync(process.execPath, [join(import.meta.dirname, "../../bin/run-ts.js"), join(import.meta.dirname, "import-child.ts"), file], { env: { ...process.env, DRAINSCOPE_DATA_DIR: dataDir }, encoding: "utf8", maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`the import child failed: ${r.stderr}`);
    const last = r.stderr.trim().split("\n").pop() ?? "{}";
    const m = JSON.parse(last) as { code: number; seconds: number; maxRssKb: number };
    if (m.code !== 0) throw new Error(`import failed: ${r.stderr}`);
    const observations = Number(/(\d+) observation/.exec(r.stdout)?.[1] ?? NaN);
    return { seconds: m.seconds, maxRssMb: m.maxRssKb / 1024, observations, out: r.stdout };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export async function importStreamBench(opts: { readonly bytes: number; readonly podShare?: number; readonly gzip?: boolean }): Promise<ImportStreamResult> {
  const dir = mkdtempSync(join(tmpdir(), "ds-bench-import-"));
  const file = join(dir, opts.gzip ? "cluster.audit.log.gz" : "cluster.audit.log");
  try {
    const w = await writeAuditLog(file, opts.bytes, opts.podShare ?? 0.05, opts.gzip ?? false);
    const r = importChild(file);
    return { fileBytes: w.bytes, lines: w.lines, seconds: r.seconds, mbPerSec: w.bytes / 1e6 / r.seconds, maxRssMb: r.maxRssMb, observations: r.observations, copies: w.copies };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith("import-stream.ts")) {
  const arg = (k: string) => {
    const i = process.argv.indexOf(k);
    return i >= 0 ? process.argv[i + 1] : undefined;
  };
  const bytes = arg("--mb") ? Number(arg("--mb")) * 1e6 : Number(arg("--gb") ?? "1") * 1e9;
  const r = await importStreamBench({ bytes, podShare: Number(arg("--pod-share") ?? "0.05"), gzip: process.argv.includes("--gzip") });
  process.stdout.write(`${JSON.stringify(r)}\n`);
  process.stdout.write(`${(r.fileBytes / 1e6).toFixed(0)} MB, ${r.lines.toLocaleString("en")} lines, ${r.copies} rollout copies → ${r.observations.toLocaleString("en")} observations in ${r.seconds.toFixed(1)} s: ${r.mbPerSec.toFixed(0)} MB/s, peak RSS ${r.maxRssMb.toFixed(0)} MB\n`);
}
