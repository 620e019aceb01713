// `drainscope export --episode E` is the episode view as it opens: the replacement pods are collapsed
// summaries, not lanes; `--expand rev:<workload>:<revision>` (the URL's expand) gives them their lanes.
import { mkdtempSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../io";
import { main } from "../main";

const ROLLOUT = join(__dirname, "../../../../shared/fixtures/real-v1.24-rollout");
const files = readdirSync(ROLLOUT).filter((f) => f.endsWith(".jsonl")).map((f) => join(ROLLOUT, f));
const EPISODE = "rollout:default:web:1795326091000";
let env: Record<string, string>;

async function run(argv: string[]) {
  let out = "";
  let err = "";
  const io: CliIo = { out: (t) => void (out += t), err: (t) => void (err += t), env };
  const code = await main(argv, io);
  return { code, out, err };
}

const podLanes = (svg: string) => [...svg.matchAll(/<g data-pod-uid="[^"]+" data-pod-name="([^"]+)"/g)].map((m) => m[1]).sort();

beforeAll(async () => {
  env = { DRAINSCOPE_DATA_DIR: mkdtempSync(join(tmpdir(), "ds-cli-expand-")) };
  expect((await run(["import", ...files])).code).toBe(0);
});

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
