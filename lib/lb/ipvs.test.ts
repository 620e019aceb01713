// IPVS tables in the kernel's /proc/net/ip_vs format (hex, as ip_vs_ctl.c prints it) and ipvsadm's.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compressIpv6, ipvsMembers, parseIpvsTable } from "./ipvs";

const fixture = (name: string) => readFileSync(join(__dirname, "fixtures", name), "utf8");
const brief = (text: string, node?: string) => {
  const p = parseIpvsTable(text);
  if (!p.ok) throw new Error(p.error);
  return ipvsMembers(p.services, node ? { node } : {}).map((m) => `${m.lb} ${m.member} ${m.state} w=${m.weight} cx=${m.connections}`);
};

describe("IPVS tables", () => {
  it("/proc/net/ip_vs: hex IPv4 and IPv6 addresses, UDP, firewall marks", () => {
    expect(brief(fixture("proc-net-ip_vs.before.txt"))).toEqual([
      "ipvs/10.96.0.1:443 172.18.0.2:6443 active w=1 cx=3",
      "ipvs/10.96.118.41:80 10.244.1.7:8080 active w=1 cx=16",
      "ipvs/10.96.118.41:80 10.244.2.9:8080 active w=1 cx=11",
      "ipvs/10.96.0.10:53 10.244.0.3:53 active w=1 cx=1",
      "ipvs/[fd00:10:96::1]:443 [fd00:10:244:1::7]:8080 active w=1 cx=1",
      "ipvs/fwmark:1 10.244.1.7:8080 active w=1 cx=0",
    ]);
  });

  it("weight 0 is draining; the node names the LB", () => {
    expect(brief(fixture("proc-net-ip_vs.after.txt"), "node-a").filter((l) => l.includes("10.96.118.41"))).toEqual([
      "ipvs/node-a/10.96.118.41:80 10.244.1.7:8080 active w=1 cx=17",
      "ipvs/node-a/10.96.118.41:80 10.244.2.9:8080 draining w=0 cx=17",
      "ipvs/node-a/10.96.118.41:80 10.244.3.11:8080 active w=1 cx=0",
    ]);
  });

  it("ipvsadm -Ln --exact reads the same as the kernel's table", () => {
    expect(brief(fixture("ipvsadm-Ln-exact.txt"))).toEqual([
      "ipvs/10.96.0.1:443 172.18.0.2:6443 active w=1 cx=3",
      "ipvs/10.96.118.41:80 10.244.1.7:8080 active w=1 cx=17",
      "ipvs/10.96.118.41:80 10.244.2.9:8080 draining w=0 cx=17",
      "ipvs/10.96.0.10:53 10.244.0.3:53 active w=1 cx=1",
    ]);
  });

  it("refuses --stats output (no weights) and anything that is not a table", () => {
    expect(parseIpvsTable(fixture("ipvsadm-Ln-stats-exact.txt"))).toMatchObject({ ok: false, error: expect.stringContaining("--stats") });
    expect(parseIpvsTable("cat: /proc/net/ip_vs: No such file or directory")).toMatchObject({ ok: false });
    expect(parseIpvsTable("IP Virtual Server version 1.2.1 (size=4096)\nTCP  0A600001:01BB rr\n  -> ZZZ:1 Masq 1 0 0\n")).toMatchObject({ ok: false, error: expect.stringContaining("bad real-server line") });
  });

  it("compresses the kernel's full IPv6 form as Kubernetes writes pod IPs", () => {
    expect(compressIpv6("fd00:0010:0244:0001:0000:0000:0000:0007")).toBe("fd00:10:244:1::7");
    expect(compressIpv6("0000:0000:0000:0000:0000:0000:0000:0001")).toBe("::1");
    expect(compressIpv6("2001:0db8:0000:0001:0000:0000:0001:0001")).toBe("2001:db8:0:1::1:1");
    expect(compressIpv6("2001:0db8:0001:0002:0003:0004:0005:0006")).toBe("2001:db8:1:2:3:4:5:6");
  });
});
