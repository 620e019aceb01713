/** Checks the LB sources file before the dashboard process starts, so a bad file fails at once with the field in error. */
import { prepareLbSourcesFromEnv } from "../../runtime/lb-sources";

export function checkLbConfig(env: Readonly<Record<string, string | undefined>>): string | undefined {
  try {
    prepareLbSourcesFromEnv(env);
    return undefined;
  } catch (e) {
    return `LB sources: ${e instanceof Error ? e.message : String(e)}`;
  }
}
