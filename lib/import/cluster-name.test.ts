import { describe, expect, it } from "vitest";
import { clusterNameForSet, clusterNameFromFile } from "./cluster-name";

describe("the cluster an imported set becomes", () => {
  it.each([
    [["/data/fixtures/real-v1.24-rollout/pods.jsonl", "/data/fixtures/real-v1.24-rollout/endpointslices.jsonl", "/data/fixtures/real-v1.24-rollout/events.jsonl"], "real-v1.24-rollout"],
    [["real-v1.24-rollout/events.jsonl", "real-v1.24-rollout/pods.jsonl"], "real-v1.24-rollout"],
    [["C:\\incidents\\shop 42\\pods.jsonl"], "shop-42"],
    [["incident-42.audit.jsonl"], "incident-42"],
    [["pods.jsonl", "prod-eu.watch.jsonl"], "prod-eu"],
    [["/x/a/pods.jsonl", "/x/b/events.jsonl"], "x"],
    [["pods.jsonl", "endpointslices.jsonl", "events.jsonl"], undefined],
    [["kube-apiserver-audit.log"], undefined],
    [["/pods.jsonl"], undefined],
  ])("%j → %s", (files, want) => expect(clusterNameForSet(files)).toBe(want));

  it("a gzip-compressed file is named for what it holds (issue 15)", () => {
    expect(clusterNameForSet(["incident-42.audit.log.gz"])).toBe("incident-42");
    expect(clusterNameForSet(["progress-rollout/pods.jsonl", "progress-rollout/events.jsonl.gz"])).toBe("progress-rollout");
    expect(clusterNameForSet(["kube-apiserver-audit.log.gz"])).toBeUndefined();
  });

  it("one file always gets a name", () => {
    expect(clusterNameFromFile("pods.jsonl")).toBe("pods");
    expect(clusterNameFromFile("rollout/pods.jsonl")).toBe("rollout");
    expect(clusterNameFromFile("~~~.jsonl")).toBe("imported");
  });
});
