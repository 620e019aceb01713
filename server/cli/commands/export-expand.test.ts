// `drainscope export --episode E` is the episode view as it opens: the replacement pods are collapsed
// summaries, not lanes; `--expand rev:<workload>:<revision>` (the URL's expand) gives them their lanes.
import { describe, expect, it } from "vitest";
import { cliWithRealRollout } from "./cli-test-setup";

const EPISODE = "rollout:default:web:1795326091000";
const run = cliWithRealRollout("ds-cli-expand-");

const podLanes = (svg: string) => [...svg.matchAll(/<g data-pod-uid="[^"]+" data-pod-name="([^"]+)"/g)].map((m) => m[1]).sort();

describe("drainscope export --expand", () => {
  it("collapsed by default: the 3 terminated pods' lanes; expanded: their 3 replacements too", async () => {
    const base = ["export", "--format", "svg", "--cluster", "real-v1.24-rollout", "--episode", EPISODE, "-o", "-"];
    const collapsed = await run(base);
    expect(collapsed.code, collapsed.err).toBe(0);
    expect(podLanes(collapsed.out)).toEqual(["web-5984d6875f-2957c", "web-5984d6875f-f8f44", "web-5984d6875f-hg9n2"]);
    const expanded = await run([...base, "--expand", "rev:web:b8d86886d"]);
    expect(expanded.code, expanded.err).toBe(0);
    expect(podLanes(expanded.out)).toEqual(["web-5984d6875f-2957c", "web-5984d6875f-f8f44", "web-5984d6875f-hg9n2", "web-b8d86886d-28qjb", "web-b8d86886d-v5nlg", "web-b8d86886d-xzkjd"]);
  });

  it("a malformed key is a usage error (exit 2)", async () => {
    const r = await run(["export", "--format", "svg", "--cluster", "real-v1.24-rollout", "--episode", EPISODE, "--expand", "web", "-o", "-"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("--expand: expected rev:<workload>:<revision> keys");
  });
});
