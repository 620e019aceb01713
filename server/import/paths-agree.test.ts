// One path from data to timeline: every shared fixture and every simulated scenario's recording gives the
// same pods, key times and risk windows through `drainscope analyze` (lib/recording/analyze) as through an
// import into a real store followed by the timeline query. Audit logs made from the same scenarios go the
// audit way and are held to the watch path too, with the one documented exception below.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { Timeline } from "../../lib/engine/types";
import { planImport, type ImportFile } from "../../lib/import";
import { analyzeRecording, lastEventTime } from "../../lib/recording/analyze";
import { parseRecording } from "../../lib/recording/parse";
import { toAnalysisDocument } from "../../lib/report/analysis-json";
import type { TimelineDocument } from "../queries/timeline";
import { getTimeline } from "../queries/timeline";
import { recordScenario, SCENARIOS, type RecordedLine } from "../sim";
import { freshSqliteStores } from "../store/test-stores";
import { importIntoStore } from "./apply";
import { auditLogFromWatch } from "./audit-from-watch";

const FIXTURES = join(__dirname, "../../../shared/fixtures");
/** The stand-in kubelet's own log of a fixture: ground truth for SIGTERM estimates, not a recording. */
const NOT_A_RECORDING = new Set(["kubelet-truth.jsonl"]);

const freshStore = freshSqliteStores("ds-paths-");

interface Answer {
  readonly pods: unknown;
  readonly keyTimes: unknown;
  readonly windows: unknown;
}

function answerOf(doc: Pick<TimelineDocument, "pods" | "riskWindows" | "lanes">): Answer {
  return {
    pods: doc.pods,
    keyTimes: doc.lanes.map((l) => ({ uid: l.uid, keyTimes: l.keyTimes, restarts: l.restarts })),
    windows: doc.riskWindows,
  };
}

/** `drainscope analyze FILE…` (the engine half of the command), as a timeline document. */
function viaAnalyze(files: readonly ImportFile[], cluster: string): { answer: Answer; timeline: Timeline } {
  const { timeline } = analyzeRecording(
    files.flatMap((f) => parseRecording(f.name, f.text)),
    { cluster },
  );
  return { answer: answerOf({ ...toAnalysisDocument(timeline, { allPods: true }), lanes: timeline.pods }), timeline };
}

/** Import into a fresh store, then ask the timeline query for the whole cluster as of its last observation. */
async function viaImport(files: readonly ImportFile[], cluster?: string): Promise<{ answer: Answer; cluster: string; doc: TimelineDocument }> {
  const store = freshStore();
  const r = await importIntoStore(store, files, cluster !== undefined ? { cluster } : {});
  const stored = await store.query({ cluster: r.cluster });
  const now = lastEventTime(stored);
  const from = Math.min(...stored.map((e) => e.range[0]));
  const doc = await getTimeline(store, { cluster: r.cluster, from, to: now }, now);
  expect(doc.eventCount).toBe(stored.length);
  return { answer: answerOf(doc), cluster: r.cluster, doc };
}

const rules = (doc: { riskWindows: readonly { rule: string }[] }) => doc.riskWindows.map((w) => w.rule).sort();

const fixtureDirs = readdirSync(FIXTURES).filter((d) => statSync(join(FIXTURES, d)).isDirectory());

describe("shared fixtures: analyze and import agree", () => {
  it("there are fixtures to check", () => expect(fixtureDirs.length).toBeGreaterThanOrEqual(2));

  for (const dir of fixtureDirs) {
    it(`${dir}: the same pods, key times and windows, as one cluster named after the folder`, async () => {
      const files = readdirSync(join(FIXTURES, dir))
        .filter((f) => f.endsWith(".jsonl") && !NOT_A_RECORDING.has(f))
        .sort()
        .map((f) => ({ name: join(FIXTURES, dir, f), path: join(FIXTURES, dir, f), text: readFileSync(join(FIXTURES, dir, f), "utf8") }));
      expect(files.length).toBeGreaterThan(0);
      const imported = await viaImport(files);
      expect(imported.cluster).toBe(dir);
      const analyzed = viaAnalyze(files, dir);
      expect(imported.answer).toEqual(analyzed.answer);
      // The files in any order are the same recording.
      expect((await viaImport([...files].reverse())).answer).toEqual(analyzed.answer);
    });
  }

  it("real-v1.24-rollout (no observedAt, one file per kind) gives analyze's 3 high windows", async () => {
    const dir = join(FIXTURES, "real-v1.24-rollout");
    const files = ["pods.jsonl", "endpointslices.jsonl", "events.jsonl"].map((f) => ({ name: f, path: join(dir, f), text: readFileSync(join(dir, f), "utf8") }));
    const { doc } = await viaImport(files);
    expect(doc.riskWindows.map((w) => [w.rule, w.severity, w.pods])).toEqual([
      ["sigterm-before-deregistration", "high", ["web-5984d6875f-f8f44"]],
      ["sigterm-before-deregistration", "high", ["web-5984d6875f-2957c"]],
      ["sigterm-before-deregistration", "high", ["web-5984d6875f-hg9n2"]],
    ]);
  });
});

/** A recording as `kubectl get -w` per kind would have written it: one file per kind, no receive times. */
function perKindWithoutReceiveTimes(lines: readonly RecordedLine[]): ImportFile[] {
  const byKind = new Map<string, string[]>();
  for (const l of lines) {
    if (l.object.kind === "LoadBalancerMember") continue; // not a Kubernetes object: no resourceVersion to order it by
    const kind = String(l.object.kind).toLowerCase();
    const out = byKind.get(kind) ?? [];
    out.push(JSON.stringify({ type: l.type, object: l.object }));
    byKind.set(kind, out);
  }
  return [...byKind].map(([kind, out]) => ({ name: `${kind}s.jsonl`, text: `${out.join("\n")}\n` }));
}

/** The scenario's watch recording without what an audit log cannot hold (LB member records). */
function withoutLbMembers(lines: readonly RecordedLine[]): ImportFile {
  const kept = lines.filter((l) => l.object.kind !== "LoadBalancerMember");
  return { name: "watch.jsonl", text: `${kept.map((l) => JSON.stringify(l)).join("\n")}\n` };
}

describe("simulated scenarios: analyze, import and the audit path agree", () => {
  const scenarios = SCENARIOS.filter((s) => s.name !== "large-rollout");
  it("large-rollout is left out", () => {
    // 1,000 pods recorded through the watch take a minute; its shape is no-prestop-rollout's, checked below.
    console.info("paths-agree: skipping large-rollout (1,000 pods: too slow to record in a unit test; same shape as no-prestop-rollout)");
    expect(SCENARIOS.some((s) => s.name === "large-rollout")).toBe(true);
    expect(scenarios.length).toBe(SCENARIOS.length - 1);
  });

  for (const s of scenarios) {
    it(`${s.name}`, async () => {
      const rec = await recordScenario({ scenario: s.name, speed: 120 });
      const cluster = `scenario-${s.name}`;

      // 1. The recording as the watcher wrote it (observedAt on every line).
      const watch = [{ name: `${s.name}.jsonl`, text: rec.jsonl }];
      const analyzed = viaAnalyze(watch, cluster);
      const imported = await viaImport(watch, cluster);
      expect(imported.answer).toEqual(analyzed.answer);
      const declared = Object.entries(s.expectedCounts).flatMap(([rule, n]) => Array<string>(n ?? 0).fill(rule)).sort();
      expect(rules(imported.doc)).toEqual(declared);

      // 2. Split per kind with no receive times: ordered across files by resourceVersion, on both paths.
      const perKind = perKindWithoutReceiveTimes(rec.lines);
      expect((await viaImport(perKind, cluster)).answer).toEqual(viaAnalyze(perKind, cluster).answer);

      // 3. The RequestResponse audit log of the same writes, against the watch path on the same objects.
      const fromWatch = await viaImport([withoutLbMembers(rec.lines)], cluster);
      const fromAudit = await viaImport([{ name: `${s.name}.audit.jsonl`, text: auditLogFromWatch(rec.lines) }], cluster);
      const { pods, keyTimes, windows } = fromAudit.answer;
      expect({ pods, keyTimes }).toEqual({ pods: fromWatch.answer.pods, keyTimes: fromWatch.answer.keyTimes });
      expect(windows).toEqual(fromWatch.answer.windows);
    }, 30_000);
  }
});

describe("the documented difference: an audit log of a force delete", () => {
  it("without the kubelet's Events (the usual audit policy logs events at level None) yields only ghost-container, while the watch also yields sigterm-before-deregistration", async () => {
    // After a force delete the kubelet skips preStop and sends SIGTERM with its Killing: only the Killing
    // Event shows when. The watch has it; an audit log whose policy drops Events cannot know.
    const rec = await recordScenario({ scenario: "force-delete", speed: 120 });
    const cluster = "scenario-force-delete";
    const watch = await viaImport([withoutLbMembers(rec.lines)], cluster);
    expect(rules(watch.doc)).toEqual(["ghost-container", "sigterm-before-deregistration"]);
    const victim = watch.doc.pods.find((p) => p.forceDeleted);
    expect(victim?.sigterm).toMatchObject({ basis: "prestop-skipped", at: victim?.killingAt });

    const noEvents = rec.lines.filter((l) => l.object.kind !== "Event");
    const audit = await viaImport([{ name: "force-delete.audit.jsonl", text: auditLogFromWatch(noEvents) }], cluster);
    expect(rules(audit.doc)).toEqual(["ghost-container"]);
    expect(audit.doc.pods.find((p) => p.uid === victim?.uid)).toMatchObject({ forceDeleted: true, killingAt: null, sigterm: null });
    // The rest of what the two paths know agrees: the same ghost window, the same pods' deletes and removals.
    const ghost = (d: TimelineDocument) => d.riskWindows.filter((w) => w.rule === "ghost-container");
    expect(ghost(audit.doc)).toEqual(ghost(watch.doc));
    const deletes = (d: TimelineDocument) => d.pods.map((p) => [p.uid, p.deleteRequestedAt, p.forceDeleted, p.removedAt]);
    expect(deletes(audit.doc)).toEqual(deletes(watch.doc));
  }, 30_000);
});

describe("the same set through planImport in any grouping", () => {
  it("planImport and analyze make the very same events from the same files", () => {
    const dir = join(FIXTURES, "real-v1.24-rollout");
    const files = ["pods.jsonl", "endpointslices.jsonl", "events.jsonl"].map((f) => ({ name: f, path: join(dir, f), text: readFileSync(join(dir, f), "utf8") }));
    const plan = planImport(files);
    const { events } = analyzeRecording(files.flatMap((f) => parseRecording(f.name, f.text)), { cluster: plan.cluster });
    expect(plan.events).toEqual(events);
  });
});
