import { homedir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { boolFlag, listFlag, numberFlag, parseArgs, stringFlag, UsageError } from "./args";
import { CLUSTER_FLAGS, clusterEnv } from "./cluster-flags";

const SPEC = { ...CLUSTER_FLAGS, output: { type: "string", alias: "o" }, json: { type: "boolean" }, speed: { type: "string" }, help: { type: "boolean", alias: "h" } } as const;
const parse = (...argv: string[]) => parseArgs(argv, SPEC);

describe("parseArgs (node's util.parseArgs underneath)", () => {
  it("reads kubectl's short and long spellings, repeated and comma-separated", () => {
    const a = parse("-n", "shop", "--namespace", "web,api", "--namespace=batch", "--context", "a", "--context=b", "--kubeconfig", "/k/config", "-o", "json", "file.jsonl");
    expect(listFlag(a, "namespace")).toEqual(["shop", "web", "api", "batch"]);
    expect(listFlag(a, "context")).toEqual(["a", "b"]);
    expect(stringFlag(a, "kubeconfig")).toBe("/k/config");
    expect(stringFlag(a, "output")).toBe("json");
    expect(a.positionals).toEqual(["file.jsonl"]);
    expect(boolFlag(parse("-A"), "all-namespaces")).toBe(true);
    expect(boolFlag(parse("--all-namespaces"), "all-namespaces")).toBe(true);
    expect(boolFlag(parse("-h"), "help")).toBe(true);
    expect(stringFlag(parse("-ojson"), "output")).toBe("json");
    expect(parse("--", "-n").positionals).toEqual(["-n"]);
    expect(listFlag(parse(), "namespace")).toEqual([]);
  });

  it.each([
    [["--bogus"], "unknown option --bogus"],
    [["-x"], "unknown option -x"],
    [["-n"], "option --namespace needs a value"],
    [["--kubeconfig"], "option --kubeconfig needs a value"],
    [["--json=yes"], "option --json takes no value"],
    [["--speed", "-1"], 'option --speed needs a value (write --speed=VALUE for a value that starts with "-")'],
  ])("%j is a usage error: %s", (argv, message) => {
    expect(() => parse(...argv)).toThrow(UsageError);
    expect(() => parse(...argv)).toThrow(message);
  });

  it("numberFlag checks bounds", () => {
    expect(numberFlag(parse("--speed=-1"), "speed")).toBe(-1);
    expect(numberFlag(parse("--speed", "2.5"), "speed", { min: 0 })).toBe(2.5);
    expect(() => numberFlag(parse("--speed", "fast"), "speed")).toThrow('option --speed must be a number, got "fast"');
    expect(() => numberFlag(parse("--speed", "0"), "speed", { min: 0.1 })).toThrow("≥ 0.1");
  });
});

describe("clusterEnv: flags over environment over defaults", () => {
  const env = { KUBECONFIG: "/env/config", DRAINSCOPE_CONTEXTS: "env-ctx", DRAINSCOPE_NAMESPACES: "env-ns", OTHER: "kept" };
  it("flags replace the variables they name and keep the rest", () => {
    expect(clusterEnv(parse("-n", "shop", "--context", "a", "--context", "b", "--kubeconfig", "/k"), env)).toEqual({ KUBECONFIG: "/k", DRAINSCOPE_CONTEXTS: "a,b", DRAINSCOPE_NAMESPACES: "shop", OTHER: "kept" });
    expect(clusterEnv(parse(), env)).toEqual(env);
  });
  it("kubeconfig paths become absolute (the dashboard's server runs in another folder)", () => {
    expect(clusterEnv(parse("--kubeconfig", "rel/config"), {}).KUBECONFIG).toBe(join(process.cwd(), "rel/config"));
    expect(clusterEnv(parse("--kubeconfig=~/k"), {}).KUBECONFIG).toBe(join(homedir(), "k"));
    expect(clusterEnv(parse(), { KUBECONFIG: "/a:b" }).KUBECONFIG).toBe(`/a:${join(process.cwd(), "b")}`);
  });

  it("-A means every namespace, whatever -n or the environment say", () => {
    expect(clusterEnv(parse("-A"), env).DRAINSCOPE_NAMESPACES).toBe("");
    expect(clusterEnv(parse("-n", "shop", "-A"), env).DRAINSCOPE_NAMESPACES).toBe("");
  });
});
