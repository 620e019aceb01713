/** Per-resource watcher health, shown in the UI and exported as metrics. Mutated by the loop that owns it. */
export interface ResourceHealth {
  readonly resource: string;
  readonly namespace?: string;
  connected: boolean;
  lastEventAt?: number;
  reconnects: number;
  relists: number;
  gaps: number;
  lastError?: string;
}

export function newResourceHealth(resource: string, namespace: string | undefined): ResourceHealth {
  return { resource, ...(namespace ? { namespace } : {}), connected: false, reconnects: 0, relists: 0, gaps: 0 };
}

export interface ClusterHealth {
  readonly cluster: string;
  readonly server: string;
  readonly simulated: boolean;
  readonly startedAt: number;
  readonly resources: readonly ResourceHealth[];
  eventsIngested: number;
  objectsSkipped: number;
}
