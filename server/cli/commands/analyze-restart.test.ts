// `drainscope analyze --json` on the probe-restart scenario: a pod whose container the kubelet restarted
// after failed liveness probes (no deletion) is listed in `pods`, with that restart.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AnalysisPod } from "../../../lib/report/analysis-json";
import { recordScenario } from "../../sim";
import type { CliIo } from "../io";
import { main } from "../main";

describe("drainscope analyze --json and container restarts", () => {
  it("lists the pod restarted after failed liveness probes, with its Killing, cause and restart time", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "ds-restart-")), "probe-restart.jsonl");
    const rec = await recordScenario({ scenario: "probe-restart", speed: 120, outFile: file });
    const killing = rec.lines.find((l) => l.object.kind === "Event" && (l.object as { reason?: string }).reason === "Killing");
    const involved = (killing?.object as { involvedObject?: { name?: string } } | undefined)?.involvedObject?.name;
    expect(involved).toMatch(/^web-/);

    let out = "";
    const io: CliIo = { out: (t) => void (out += t), err: () => {}, env: {} };
    expect(await main(["analyze", "--json", file], io)).toBe(0);
    const doc = JSON.parse(out) as { summary: { terminations: number; restarts: number }; pods: AnalysisPod[]; riskWindows: { rule: string; pods: string[] }[] };
    expect(doc.summary).toMatchObject({ terminations: 0, restarts: 1 });
    expect(doc.pods.map((p) => p.name)).toEqual([involved]);
    const [pod] = doc.pods;
    expect(pod).toMatchObject({ deleteRequestedAt: null, killingAt: null, exitedAt: null, removedAt: null });
    expect(pod?.restarts).toHaveLength(1);
    const r = pod?.restarts[0];
    expect(r?.cause).toBe("probe-restart");
    // The Event's own (second-precision) stamp, and the container back after it.
    expect(Date.parse(r?.killingAt ?? "")).toBe(Math.floor(Date.parse(killing?.observedAt ?? "") / 1000) * 1000);
    expect(Date.parse(r?.restartedAt ?? "")).toBeGreaterThan(Date.parse(r?.killingAt ?? ""));
    expect(doc.riskWindows.map((w) => [w.rule, w.pods])).toEqual([["restart-blackhole", [involved]]]);
  }, 30_000);
});
