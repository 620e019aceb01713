import { describe, expect, it } from "vitest";
import { counted } from "./count";

describe("counted", () => {
  it("uses the singular for exactly one and the plural otherwise", () => {
    expect([0, 1, 2, 40].map((n) => counted(n, "pod"))).toEqual(["0 pods", "1 pod", "2 pods", "40 pods"]);
  });
  it("takes an irregular plural", () => {
    expect(counted(1, "risk window")).toBe("1 risk window");
    expect(counted(2, "entry", "entries")).toBe("2 entries");
  });
});
