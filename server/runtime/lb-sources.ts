/**
 * LB sources in the runtime: reads the configuration named by DRAINSCOPE_LB_CONFIG (the CLI's
 * `--lb-config FILE` sets it), builds one poller per source, and reports their health for /api/health
 * and /metrics. The file is read and checked before anything starts, so a bad file stops start-up
 * with the field in error.
 */
import { dirname, resolve } from "node:path";
import type { LifecycleEvent, WatcherGap } from "../../lib/model/events";
import { bigipSource } from "../lb/bigip-source";
import { envoySource } from "../lb/envoy-poller";
import { haproxySource } from "../lb/haproxy-source";
import { ingressNginxSource } from "../lb/ingress-nginx-source";
import { LbConfigError, loadLbConfig, readSecret, type LbConfig, type LbSourceConfig } from "../lb/lb-config";
import { startLbPoller, type LbPoller, type LbSource, type LbSourceHealth } from "../lb/poller";

export const LB_CONFIG_ENV = "DRAINSCOPE_LB_CONFIG";

export interface PreparedLbSource {
  readonly config: LbSourceConfig;
  readonly source: LbSource;
}

/**
 * Builds the sources (reading their secrets); throws LbConfigError naming the source and field.
 * Relative secret file paths are relative to `baseDir` (the configuration file's folder).
 */
export function prepareLbSources(config: LbConfig, env: Readonly<Record<string, string | undefined>>, baseDir = "."): PreparedLbSource[] {
  return config.sources.map((s, i) => {
    const where = `sources[${i}] (${s.name})`;
    try {
      return { config: s, source: buildSource(s, env, baseDir) };
    } catch (e) {
      throw new LbConfigError(`${where}.${e instanceof Error ? e.message : String(e)}`);
    }
  });
}

function buildSource(s: LbSourceConfig, env: Readonly<Record<string, string | undefined>>, baseDir: string): LbSource {
  switch (s.kind) {
    case "haproxy":
      return haproxySource({ name: s.name, address: s.address, ...(s.backends ? { backends: s.backends } : {}), ...(s.service ? { service: s.service } : {}), ...(s.namespace ? { namespace: s.namespace } : {}) });
    case "envoy":
      return envoySource({ name: s.name, url: s.url, ...(s.service ? { service: s.service } : {}) });
    case "ingress-nginx":
      return ingressNginxSource({ name: s.name, url: s.url });
    case "bigip": {
      const auth =
        s.username !== undefined
          ? { kind: "basic" as const, username: s.username, password: readSecret({ ...(s.passwordFile ? { file: resolve(baseDir, s.passwordFile) } : {}), ...(s.passwordEnv ? { env: s.passwordEnv } : {}) }, "password", env) }
          : s.tokenFile !== undefined || s.tokenEnv !== undefined
            ? { kind: "token" as const, token: readSecret({ ...(s.tokenFile ? { file: resolve(baseDir, s.tokenFile) } : {}), ...(s.tokenEnv ? { env: s.tokenEnv } : {}) }, "token", env) }
            : undefined;
      return bigipSource({ name: s.name, url: s.url, pools: s.pools, insecureSkipTlsVerify: s.insecureSkipTlsVerify, ...(auth ? { auth } : {}) });
    }
  }
}

/** Reads and prepares the configured sources; none when DRAINSCOPE_LB_CONFIG is unset. */
export function prepareLbSourcesFromEnv(env: Readonly<Record<string, string | undefined>>): PreparedLbSource[] {
  const file = env[LB_CONFIG_ENV];
  if (!file) return [];
  return prepareLbSources(loadLbConfig(file), env, dirname(resolve(file)));
}

export interface LbSources {
  health(): readonly LbSourceHealth[];
  /** Outages in progress, for live timelines (each is stored once the source answers again). */
  openGaps(): WatcherGap[];
  stop(): Promise<void>;
}

export function startLbSources(
  prepared: readonly PreparedLbSource[],
  o: { readonly cluster: string; readonly sink: (events: LifecycleEvent[]) => void; readonly now: () => number; readonly log: (line: string) => void; readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void> },
): LbSources {
  const pollers: LbPoller[] = prepared.map(({ config, source }) =>
    startLbPoller({
      source,
      cluster: config.cluster ?? o.cluster,
      ...(config.namespace !== undefined ? { namespace: config.namespace } : {}),
      intervalMs: config.intervalSeconds * 1000,
      now: o.now,
      sink: o.sink,
      log: o.log,
      ...(o.sleep ? { sleep: o.sleep } : {}),
    }),
  );
  if (pollers.length) o.log(`LB sources: ${prepared.map((p) => `${p.config.name} (${p.config.kind}, every ${p.config.intervalSeconds} s)`).join(", ")}`);
  return {
    health: () => pollers.map((p) => p.health),
    openGaps: () => pollers.flatMap((p) => p.openGap() ?? []),
    async stop() {
      await Promise.allSettled(pollers.map((p) => p.stop()));
    },
  };
}

const esc = (v: string) => v.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\n/g, "\\n");

/** Prometheus lines for the LB sources (appended to /metrics). */
export function renderLbSourceMetrics(health: readonly LbSourceHealth[]): string {
  if (health.length === 0) return "";
  const lines: string[] = [];
  const metric = (n: string, type: string, help: string, value: (h: LbSourceHealth) => number | undefined) => {
    lines.push(`# HELP ${n} ${help}`, `# TYPE ${n} ${type}`);
    for (const h of health) {
      const v = value(h);
      if (v !== undefined) lines.push(`${n}{source="${esc(h.name)}",kind="${esc(h.kind)}"} ${v}`);
    }
  };
  metric("drainscope_lb_polls_total", "counter", "Successful polls of an LB source.", (h) => h.polls);
  metric("drainscope_lb_poll_errors_total", "counter", "Failed polls of an LB source.", (h) => h.errors);
  metric("drainscope_lb_members", "gauge", "Members the LB source listed at its last successful poll.", (h) => h.members);
  metric("drainscope_lb_up", "gauge", "1 while the LB source answers.", (h) => (h.failingSince === undefined && h.polls > 0 ? 1 : 0));
  metric("drainscope_lb_last_success_timestamp_seconds", "gauge", "When the LB source last answered.", (h) => (h.lastSuccessAt === undefined ? undefined : h.lastSuccessAt / 1000));
  return lines.join("\n") + "\n";
}
