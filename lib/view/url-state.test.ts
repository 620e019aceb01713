import { describe, expect, it } from "vitest";
import { parseViewState, serializeViewState, timelineApiQuery, type TimelineViewState } from "./url-state";

const parse = (qs: string) => parseViewState(new URLSearchParams(qs));

describe("view state in the URL", () => {
  it("round-trips every field", () => {
    const s: TimelineViewState = {
      cluster: "fixture-rollout",
      namespace: "default",
      service: "web",
      episode: "rollout:default:web:1795326091000",
      range: { start: 1795326061000, end: 1795326130000 },
      brush: { start: 1795326091000, end: 1795326093500 },
      pod: "bce5fe3e-55e8-47d1-814c-97772fd72d08",
      risk: "sigterm-before-deregistration:bce5:1795326091000",
      pinned: ["a-1", "b-2"],
      follow: true,
      axis: "t0",
      tz: "local",
      search: "F8F44",
      node: "node-1",
      riskOnly: true,
      hideIdle: true,
    };
    expect(parse(serializeViewState(s))).toEqual(s);
  });

  it("writes times as ISO 8601", () => {
    const qs = serializeViewState({ range: { start: 0, end: 1000 }, pinned: [], follow: false });
    expect(qs).toBe("from=1970-01-01T00%3A00%3A00.000Z&to=1970-01-01T00%3A00%3A01.000Z");
  });

  it("reads epoch milliseconds too", () => {
    expect(parse("from=1000&to=2000").range).toEqual({ start: 1000, end: 2000 });
  });

  it("drops invalid values instead of failing", () => {
    const s = parse("from=banana&to=2000&pin=ok,bad%20uid&follow=yes&brush=5~1");
    expect(s.range).toBeUndefined();
    expect(s.brush).toBeUndefined();
    expect(s.pinned).toEqual(["ok"]);
    expect(s.follow).toBe(false);
  });

  it("writes the axis, zone and lane filters with short keys, and only when set", () => {
    const base = { pinned: [], follow: false };
    expect(serializeViewState({ ...base, axis: "t0", tz: "local", search: "web a", node: "n-1", riskOnly: true, hideIdle: true })).toBe("axis=t0&tz=local&q=web+a&node=n-1&risky=1&idle=hide");
    expect(parse("axis=utc&tz=Asia%2FShanghai&risky=0&idle=1")).toEqual(base);
    expect(parse(`q=${"x".repeat(101)}`).search).toBeUndefined();
  });

  it("asks the API for the episode, or for the fetch window", () => {
    const base = { cluster: "c", namespace: "n", service: "web", pinned: [], follow: false };
    expect(timelineApiQuery({ ...base, episode: "e:1" }, { start: 1, end: 2 })).toBe("cluster=c&namespace=n&episode=e%3A1");
    expect(timelineApiQuery(base, { start: 1, end: 2 })).toBe("cluster=c&namespace=n&service=web&from=1&to=2");
  });
});

describe("expanded replacement summaries in the URL", () => {
  it("round-trips `expand`, keeps only well-formed keys, and leaves it out when empty", () => {
    const s: TimelineViewState = { episode: "rollout:default:web:1", pinned: [], follow: false, expand: ["rev:web:b8d86886d", "rev:api:2"] };
    const qs = serializeViewState(s);
    expect(qs).toBe("episode=rollout%3Adefault%3Aweb%3A1&expand=rev%3Aweb%3Ab8d86886d%2Crev%3Aapi%3A2");
    expect(parse(qs)).toEqual(s);
    expect(parse("expand=rev:web:2,rev:Web:2,pod:x,rev:web:%3Cb%3E").expand).toEqual(["rev:web:2"]);
    expect(parse("expand=").expand).toBeUndefined();
    expect(serializeViewState({ pinned: [], follow: false, expand: [] })).toBe("");
  });
});
