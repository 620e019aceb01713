import { describe, expect, it } from "vitest";
import { isClusterName } from "../../lib/model/names";
import { clusterNameOf } from "./runtime";

describe("clusterNameOf: kube context names recorded under names the API can reach", () => {
  it.each([
    ["prod", "prod"],
    ["kind-kind", "kind-kind"],
    ["arn:aws:eks:eu-west-1:123456789012:cluster/shop", "arn:aws:eks:eu-west-1:123456789012:cluster-shop"],
    ["gke_my-project_europe-west1_shop", "gke_my-project_europe-west1_shop"],
    ["admin@prod cluster", "admin-prod-cluster"],
    ["///", "kubeconfig"],
  ])("%s → %s", (context, name) => {
    expect(clusterNameOf(context)).toBe(name);
    expect(isClusterName(clusterNameOf(context))).toBe(true);
  });
});
