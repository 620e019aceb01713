import { describe, expect, it } from "vitest";
import { BoundedLru } from "./bounded-lru";

const lru = () => new BoundedLru<string>(3, 10, (s) => s.length);

describe("BoundedLru", () => {
  it("drops the least recently used entry when over the count", () => {
    const c = lru();
    c.set("a", "1");
    c.set("b", "2");
    c.set("c", "3");
    expect(c.get("a")).toBe("1"); // a is now the most recent
    c.set("d", "4");
    expect(c.size).toBe(3);
    expect(c.get("b")).toBeUndefined();
    expect([c.get("a"), c.get("c"), c.get("d")]).toEqual(["1", "3", "4"]);
  });

  it("drops the oldest entries until the weight fits", () => {
    const c = lru();
    c.set("a", "xxxx");
    c.set("b", "yyyy");
    c.set("c", "zzzzz"); // 13 > 10: a goes, 9 left
    expect(c.get("a")).toBeUndefined();
    expect([c.get("b"), c.get("c")]).toEqual(["yyyy", "zzzzz"]);
  });

  it("keeps nothing heavier than the whole budget, and replaces a key's value with its weight", () => {
    const c = lru();
    c.set("a", "12345678901");
    expect(c.size).toBe(0);
    c.set("a", "123456789");
    c.set("a", "1"); // the old 9 no longer counts: 1 + 9 fits
    c.set("b", "123456789");
    expect([c.get("a"), c.get("b"), c.size]).toEqual(["1", "123456789", 2]);
  });
});
