import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { main } from "../cli/main";
import { prepareLbSources } from "../runtime/lb-sources";
import { LbConfigError, loadLbConfig, parseLbConfig } from "./lb-config";

const dir = mkdtempSync(join(tmpdir(), "ds-lbcfg-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const YAML = `
sources:
  - name: edge
    kind: haproxy
    address: unix:///run/haproxy/admin.sock
    backends: [be_web]
    namespace: shop
  - name: gateway
    kind: envoy
    url: http://envoy-admin.gateway:9901
    intervalSeconds: 5
  - name: f5
    kind: bigip
    url: https://bigip.example.net
    pools: [{ path: /shop/web_80_pool, service: web, namespace: shop }]
    username: drainscope
    passwordFile: ${join(dir, "bigip-password")}
  - name: nginx
    kind: ingress-nginx
    url: http://127.0.0.1:10246
`;

const problem = (text: string) => {
  try {
    parseLbConfig(text, "lb.yaml");
  } catch (e) {
    if (e instanceof LbConfigError) return e.message;
    throw e;
  }
  return "no error";
};

describe("LB sources configuration", () => {
  it("reads YAML with defaults, and the same document as JSON", () => {
    writeFileSync(join(dir, "lb.yaml"), YAML);
    const c = loadLbConfig(join(dir, "lb.yaml"));
    expect(c.sources.map((s) => `${s.name} ${s.kind} ${s.intervalSeconds} ${s.mapping}`)).toEqual(["edge haproxy 2 ip-port", "gateway envoy 5 ip-port", "f5 bigip 2 ip-port", "nginx ingress-nginx 2 ip-port"]);
    writeFileSync(join(dir, "lb.json"), JSON.stringify({ sources: [{ name: "gw", kind: "envoy", url: "http://127.0.0.1:9901" }] }));
    expect(loadLbConfig(join(dir, "lb.json")).sources[0]).toMatchObject({ name: "gw", kind: "envoy", intervalSeconds: 2 });
  });

  it.each([
    ["a bad URL", "sources:\n  - { name: gw, kind: envoy, url: 'ftp://x' }", "lb.yaml: sources[0].url: an http:// or https:// URL"],
    ["an unknown kind", "sources:\n  - { name: x, kind: nginx-plus, url: 'http://x' }", "lb.yaml: sources[0].kind: kind must be one of haproxy, envoy, bigip, ingress-nginx"],
    ["a typo in a key", "sources:\n  - { name: gw, kind: envoy, url: 'http://x', intervalSecond: 3 }", 'lb.yaml: sources[0]: Unrecognized key: "intervalSecond"'],
    ["a bad HAProxy address", "sources:\n  - { name: e, kind: haproxy, address: 'localhost' }", "lb.yaml: sources[0].address: host:port, tcp://host:port, unix:///path or /path"],
    ["an inline password", "sources:\n  - { name: f5, kind: bigip, url: 'https://f5', pools: [{ path: /Common/p }], username: u, password: hunter2 }", "lb.yaml: sources[0].password: inline passwords are not accepted: use passwordFile or passwordEnv"],
    ["a username without a password", "sources:\n  - { name: f5, kind: bigip, url: 'https://f5', pools: [{ path: /Common/p }], username: u }", "lb.yaml: sources[0]: basic auth needs username and exactly one of passwordFile, passwordEnv"],
    ["a duplicate name", "sources:\n  - { name: a, kind: envoy, url: 'http://x' }\n  - { name: a, kind: envoy, url: 'http://y' }", 'lb.yaml: sources[1].name: duplicate source name "a"'],
    ["an interval too short", "sources:\n  - { name: a, kind: envoy, url: 'http://x', intervalSeconds: 0.01 }", "lb.yaml: sources[0].intervalSeconds: Too small: expected number to be >=0.2"],
    ["not YAML", "sources: [unclosed", "lb.yaml: not valid YAML or JSON"],
    ["credentials in a URL", "sources:\n  - { name: f5, kind: bigip, url: 'https://admin:pw@f5', pools: [{ path: /Common/p }] }", "lb.yaml: sources[0].url: credentials in the URL are not accepted"],
  ])("refuses %s, naming the field", (_what, text, message) => {
    expect(problem(text)).toContain(message);
  });

  it("the inline password never appears in the error", () => {
    expect(problem("sources:\n  - { name: f5, kind: bigip, url: 'https://f5', pools: [{ path: /Common/p }], username: u, password: hunter2 }")).not.toContain("hunter2");
  });

  it("secrets come from a file or the environment; a missing one names the field, not a value", () => {
    writeFileSync(join(dir, "bigip-password"), "s3cret\n");
    const config = parseLbConfig(YAML, "lb.yaml");
    expect(prepareLbSources(config, {}).map((p) => `${p.source.name} ${p.source.kind}`)).toEqual(["edge haproxy", "gateway envoy", "f5 bigip", "nginx ingress-nginx"]);
    const viaEnv = parseLbConfig("sources:\n  - { name: f5, kind: bigip, url: 'https://f5', pools: [{ path: /Common/p }], tokenEnv: F5_TOKEN }", "lb.yaml");
    expect(() => prepareLbSources(viaEnv, {})).toThrow("sources[0] (f5).tokenEnv: environment variable F5_TOKEN is not set");
    expect(prepareLbSources(viaEnv, { F5_TOKEN: "tok" })).toHaveLength(1);
    rmSync(join(dir, "bigip-password"));
    expect(() => prepareLbSources(config, {})).toThrow(/sources\[2\] \(f5\)\.passwordFile: cannot read .*bigip-password: ENOENT/);
  });
});

describe("--lb-config on the command line", () => {
  it.each(["start", "watch"])("drainscope %s refuses an invalid file with the field in error (exit 2)", async (command) => {
    const file = join(dir, `bad-${command}.yaml`);
    writeFileSync(file, "sources:\n  - { name: e, kind: haproxy, address: 'localhost' }\n");
    let err = "";
    const code = await main([command, "--lb-config", file], { out: () => {}, err: (t) => void (err += t), env: { DRAINSCOPE_WATCH: "off", DRAINSCOPE_DATA_DIR: join(dir, `data-${command}`) } });
    expect(code).toBe(2);
    expect(err).toContain(`${file}: sources[0].address: host:port, tcp://host:port, unix:///path or /path`);
  });
});
