import { describe, expect, it } from "vitest";
import { matchesFields, matchesLabels, parseFieldSelector, parseLabelSelector, SelectorError } from "./selectors";
import type { KubeObject } from "../k8s/types";

describe("label selectors", () => {
  const labels = { app: "web", tier: "front", "app.kubernetes.io/name": "shop" };
  it.each([
    ["app=web", true],
    ["app==web", true],
    ["app!=web", false],
    ["app in (api, web)", true],
    ["app notin (web)", false],
    ["tier", true],
    ["!tier", false],
    ["!missing,app=web", true],
    ["app.kubernetes.io/name=shop,tier in (front,back)", true],
    ["", true],
  ])("%s → %s", (sel, want) => {
    expect(matchesLabels(parseLabelSelector(sel), labels)).toBe(want);
  });

  it("rejects malformed selectors", () => {
    expect(() => parseLabelSelector("app=we b")).toThrow(SelectorError);
    expect(() => parseLabelSelector("-bad=1")).toThrow(SelectorError);
  });
});

describe("field selectors", () => {
  const pod: KubeObject & { spec: { nodeName: string } } = {
    kind: "Pod",
    apiVersion: "v1",
    metadata: { name: "p", namespace: "ns", uid: "u", resourceVersion: "1", creationTimestamp: "" },
    spec: { nodeName: "n1" },
  };
  it("matches supported fields with = and !=", () => {
    expect(matchesFields(parseFieldSelector("pods", "spec.nodeName=n1,metadata.name=p"), pod)).toBe(true);
    expect(matchesFields(parseFieldSelector("pods", "spec.nodeName!=n1"), pod)).toBe(false);
    expect(matchesFields(parseFieldSelector("pods", "metadata.namespace==other"), pod)).toBe(false);
  });

  it("rejects fields the resource does not support, like the API server", () => {
    expect(() => parseFieldSelector("services", "spec.nodeName=n1")).toThrow(/field label not supported: spec.nodeName/);
  });
});
