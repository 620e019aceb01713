/** Renders a kustomize directory with kubectl's built-in kustomize (offline) into parsed objects. */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { z } from "zod";

export const DEPLOY_DIR = fileURLToPath(new URL("../../deploy/", import.meta.url));
export const KUSTOMIZATIONS = ["base", "overlays/cluster-wide", "overlays/namespaced", "overlays/postgres"] as const;

const ObjectSchema = z.looseObject({
  apiVersion: z.string(),
  kind: z.string(),
  metadata: z.looseObject({ name: z.string(), namespace: z.string().optional() }),
});
export type KubeObject = z.output<typeof ObjectSchema>;

/** Why rendering cannot be tested here, or undefined. */
export function kubectlMissing(): string | undefined {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore", timeout: 20_000 });
    return undefined;
  } catch {
    return "kubectl is not installed (bin/ensure-test-deps.sh installs Debian's kubectl)";
  }
}

export function render(dir: string): KubeObject[] {
  const out = execFileSync("kubectl", ["kustomize", `${DEPLOY_DIR}${dir}`], { encoding: "utf8", timeout: 60_000 });
  return parseAllDocuments(out).map((d, i) => {
    if (d.errors.length) throw new Error(`${dir}: document ${i}: ${d.errors[0]?.message}`);
    return ObjectSchema.parse(d.toJS());
  });
}
