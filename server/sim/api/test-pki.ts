/**
 * Test-only certificates for the simulator's HTTPS mode, made with the `openssl` CLI (node:crypto cannot
 * sign X.509 certificates): a CA, a server certificate for 127.0.0.1/localhost, and client certificates
 * (CN = user, O = groups) as kube-apiserver reads them. Keys are P-256; everything lives in `dir`.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

export interface TestPki {
  readonly ca: string;
  readonly server: { readonly cert: string; readonly key: string };
  /** A client certificate signed by this CA. */
  client(user: string, groups?: readonly string[]): { readonly cert: string; readonly key: string };
}

function openssl(args: readonly string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"] });
}

let serial = 1;

/** A CA named `name` in `dir` (several may share a dir). */
export function makeTestPki(dir: string, name = "drainscope-test-ca"): TestPki {
  const caKey = join(dir, `${name}.key`);
  const caCrt = join(dir, `${name}.crt`);
  openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", caKey, "-out", caCrt, "-days", "3650", "-subj", `/CN=${name}`], dir);
  const issue = (base: string, subject: string, extensions: string) => {
    const ext = join(dir, `${base}.ext`);
    writeFileSync(ext, extensions);
    openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-keyout", join(dir, `${base}.key`), "-out", join(dir, `${base}.csr`), "-subj", subject], dir);
    openssl(["x509", "-req", "-in", join(dir, `${base}.csr`), "-CA", caCrt, "-CAkey", caKey, "-set_serial", String(serial++), "-days", "3650", "-extfile", ext, "-out", join(dir, `${base}.crt`)], dir);
    return { cert: readFileSync(join(dir, `${base}.crt`), "utf8"), key: readFileSync(join(dir, `${base}.key`), "utf8") };
  };
  const server = issue(`${name}-server`, "/CN=127.0.0.1", "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
  return {
    ca: readFileSync(caCrt, "utf8"),
    server,
    client: (user, groups = []) => issue(`${name}-client-${user}`, `/CN=${user}${groups.map((g) => `/O=${g}`).join("")}`, "extendedKeyUsage=clientAuth\n"),
  };
}
