import { describe, expect, it } from "vitest";
import { newReplicaSetTarget, planOldScaleDown, resolveIntOrPercent, surgeAndUnavailable } from "./rollout-math";

describe("rollout arithmetic", () => {
  it("resolves percentages like the Deployment controller (surge up, unavailable down)", () => {
    expect(resolveIntOrPercent("25%", 10, true)).toBe(3);
    expect(resolveIntOrPercent("25%", 10, false)).toBe(2);
    expect(surgeAndUnavailable(1000, "25%", "25%")).toEqual({ surge: 250, unavailable: 250 });
    expect(surgeAndUnavailable(3, 0, 0)).toEqual({ surge: 0, unavailable: 1 });
  });

  it("plays the fixture's rollout: 3 replicas, maxSurge 1, maxUnavailable 0", () => {
    // New ReplicaSet created: one surge pod.
    expect(newReplicaSetTarget(3, 1, { specReplicas: 0, available: 0 }, [{ specReplicas: 3, available: 3 }])).toBe(1);
    // Until it is available, no old pod may go.
    expect(planOldScaleDown(3, 0, { specReplicas: 1, available: 0 }, [{ specReplicas: 3, available: 3 }])).toEqual([3]);
    // Once it is: one old pod goes ("Scaled down … to 2 from 3"), then the new one grows to 2.
    expect(planOldScaleDown(3, 0, { specReplicas: 1, available: 1 }, [{ specReplicas: 3, available: 3 }])).toEqual([2]);
    expect(newReplicaSetTarget(3, 1, { specReplicas: 1, available: 1 }, [{ specReplicas: 1, available: 1 }, { specReplicas: 2, available: 2 }])).toBe(2);
  });

  it("scales unhealthy old pods down first, within maxScaledDown", () => {
    // maxScaledDown = 5 pods − 3 minAvailable − 1 unavailable new = 1: one of the two unhealthy old pods goes.
    expect(planOldScaleDown(4, 1, { specReplicas: 1, available: 0 }, [{ specReplicas: 4, available: 2 }])).toEqual([3]);
  });
});
