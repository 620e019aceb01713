// The check-only Pod validator against zod's PodSchema: same verdict on real and broken pods, and the
// fast reader gives zod's error text byte for byte and the same lifecycle events as the zod copy.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { exactTime } from "../model/time";
import { createNormalizerState, normalize } from "../normalize";
import { PodSchema } from "./objects";
import { describeZodError, parseKubeObject, readKubeObject } from "./parse";
import { isCheckedPod } from "./pod-check";

const FIXTURES = join(__dirname, "../../../shared/fixtures");

function fixturePods(): { type: "ADDED" | "MODIFIED" | "DELETED"; object: Record<string, unknown> }[] {
  const out = [];
  for (const dir of readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const f of readdirSync(join(FIXTURES, dir.name)).filter((n) => n.endsWith(".jsonl"))) {
      for (const line of readFileSync(join(FIXTURES, dir.name, f), "utf8").split("\n")) {
        if (!line.trim()) continue;
        const rec = JSON.parse(line) as { type: string; object?: { kind?: string } };
        if (rec.object?.kind === "Pod") out.push(rec as { type: "ADDED" | "MODIFIED" | "DELETED"; object: Record<string, unknown> });
      }
    }
  }
  return out;
}

const pods = fixturePods();

/** Every way to break one field: a wrong type for each leaf and container, and the field removed. */
function* variants(value: unknown, set: (v: unknown) => void, remove: () => void): Generator<() => void> {
  yield remove;
  const wrong: unknown[] =
    typeof value === "string"
      ? [5, null, true, {}]
      : typeof value === "number"
        ? ["5", Infinity, -Infinity, NaN, false]
        : typeof value === "boolean"
          ? ["true", 1]
          : Array.isArray(value)
            ? [{}, "x", [7]]
            : value === null
              ? [1, "x"]
              : [[], "x", 3, { __proto__: null }];
  for (const w of wrong) yield () => set(w);
}

type Mutation = { path: string; apply: (root: Record<string, unknown>) => void };

function mutations(root: unknown): Mutation[] {
  const out: Mutation[] = [];
  const walk = (node: unknown, path: (string | number)[]): void => {
    if (typeof node !== "object" || node === null) return;
    const entries: [string | number, unknown][] = Array.isArray(node) ? node.map((v, i) => [i, v]) : Object.entries(node);
    for (const [key, value] of entries) {
      const here = [...path, key];
      const locate = (r: Record<string, unknown>): Record<string | number, unknown> => here.slice(0, -1).reduce<Record<string | number, unknown>>((n, k) => n[k] as Record<string | number, unknown>, r);
      let i = 0;
      for (const _ of variants(value, () => undefined, () => undefined)) {
        const n = i++;
        out.push({
          path: `${here.join(".")}#${n}`,
          apply: (r) => {
            const parent = locate(r);
            const gen = variants(value, (v) => (parent[key] = v), () => (Array.isArray(parent) ? parent.splice(key as number, 1) : delete parent[key]));
            let step = gen.next();
            for (let k = 0; k < n; k++) step = gen.next();
            if (!step.done) step.value();
          },
        });
      }
      walk(value, here);
    }
  };
  walk(root, []);
  return out;
}

describe("isCheckedPod", () => {
  it("accepts every pod of the real recordings, as zod does", () => {
    expect(pods.length).toBeGreaterThan(50);
    for (const p of pods) {
      expect(PodSchema.safeParse(p.object).success).toBe(true);
      expect(isCheckedPod(p.object)).toBe(true);
    }
  });

  it("agrees with zod on every one-field break of real pods, and the fast reader returns zod's error text", () => {
    // A running pod, a terminating one and a deleted one: together they carry every field the schema knows.
    const samples = [pods.find((p) => p.type === "ADDED"), pods.find((p) => (p.object.metadata as Record<string, unknown>).deletionTimestamp), pods.findLast((p) => p.type === "DELETED")];
    // Fields the recordings lack: readiness gates, a sleep preStop, tcpSocket and startup probes, a waiting state.
    const full = structuredClone(samples[0]?.object ?? {}) as { spec: { containers: unknown[]; readinessGates?: unknown }; status: { containerStatuses?: unknown[] } };
    full.spec.readinessGates = [{ conditionType: "target-health.elbv2.k8s.aws/tg" }];
    full.spec.containers.push({ name: "side", lifecycle: { preStop: { sleep: { seconds: 5 }, tcpSocket: { port: 1 } } }, startupProbe: { tcpSocket: { port: 1 } } });
    full.status.containerStatuses = [{ name: "side", ready: false, restartCount: 0, state: { waiting: { reason: "ContainerCreating" } } }];
    samples.push({ type: "MODIFIED", object: full as unknown as Record<string, unknown> });
    let rejected = 0;
    let checked = 0;
    for (const sample of samples) {
      const text = JSON.stringify(sample?.object);
      for (const m of mutations(JSON.parse(text))) {
        const broken = JSON.parse(text) as Record<string, unknown>;
        m.apply(broken);
        const zod = PodSchema.safeParse(broken);
        checked++;
        expect({ path: m.path, fast: isCheckedPod(broken) }).toEqual({ path: m.path, fast: zod.success });
        if (zod.success) continue;
        rejected++;
        // A broken `kind` is refused by parseKubeObject before zod, with its own message.
        if (broken.kind === "Pod") expect(readKubeObject(broken)).toEqual({ ok: false, error: describeZodError(zod.error) });
        expect(readKubeObject(broken)).toEqual(parseKubeObject(broken));
      }
    }
    expect(checked).toBeGreaterThan(2000);
    expect(rejected).toBeGreaterThan(800);
  });

  it("leaves to zod what zod would change: a __proto__ label, an infinite number", () => {
    const base = JSON.stringify(pods[0]?.object);
    const proto = JSON.parse(base.replace('"labels":{', '"labels":{"__proto__":"x",')) as Record<string, unknown>;
    expect(Object.hasOwn((proto.metadata as { labels: object }).labels, "__proto__")).toBe(true);
    expect(isCheckedPod(proto)).toBe(false);
    expect(readKubeObject(proto)).toEqual(parseKubeObject(proto));
    const huge = JSON.parse(base.replace(/"terminationGracePeriodSeconds":\d+/, '"terminationGracePeriodSeconds":1e400')) as Record<string, unknown>;
    expect(isCheckedPod(huge)).toBe(false);
    expect(readKubeObject(huge)).toEqual({ ok: false, error: "spec.terminationGracePeriodSeconds: Invalid input: expected number, received Infinity" });
  });

  it("gives the normalizer what zod's copy gives it: the same events, byte for byte", () => {
    const run = (read: typeof parseKubeObject): string => {
      const state = createNormalizerState("prod");
      const out: unknown[] = [];
      pods.forEach((p, seq) => {
        const parsed = read(p.object);
        if (!parsed.ok) throw new Error(parsed.error);
        out.push(...normalize(state, { watchType: p.type, object: parsed.value, receivedAt: exactTime(1_795_000_000_000 + seq * 10, "watcher"), seq }));
      });
      return JSON.stringify(out);
    };
    const viaZod = run(parseKubeObject);
    expect(viaZod.length).toBeGreaterThan(10_000);
    expect(run(readKubeObject)).toBe(viaZod);
  });
});
