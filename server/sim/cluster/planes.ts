/** Builders that wire a data plane to a cluster's store, clock, randomness, runtimes and member log. */
import { CloudLoadBalancer, type CloudLbOptions } from "../dataplanes/cloud-lb";
import { DiscoveryService, type DiscoveryOptions } from "../dataplanes/discovery";
import { EnvoyGateway, type EnvoyGatewayOptions } from "../dataplanes/envoy";
import { IpvsTable, type IpvsOptions } from "../dataplanes/ipvs";
import { KubeProxy, type KubeProxyOptions } from "../dataplanes/kube-proxy";
import type { SimCluster } from "./sim-cluster";

type Wired = "store" | "clock" | "rng" | "members" | "runtimes";

export function addKubeProxy(c: SimCluster, o: Omit<KubeProxyOptions, Wired>): KubeProxy {
  return c.addDataPlane(new KubeProxy({ ...o, store: c.store, clock: c.clock, rng: c.rng.fork("kube-proxy") }));
}

export function addEnvoyGateway(c: SimCluster, o: Omit<EnvoyGatewayOptions, Wired>): EnvoyGateway {
  return c.addDataPlane(new EnvoyGateway({ ...o, store: c.store, clock: c.clock, rng: c.rng.fork(`envoy/${o.name}`), members: c.members }));
}

export function addDiscovery(c: SimCluster, o: Omit<DiscoveryOptions, Wired>): DiscoveryService {
  return c.addDataPlane(new DiscoveryService({ ...o, store: c.store, clock: c.clock, members: c.members }));
}

export function addIpvs(c: SimCluster, o: Omit<IpvsOptions, Wired>): IpvsTable {
  return c.addDataPlane(new IpvsTable({ ...o, store: c.store, clock: c.clock, rng: c.rng.fork(`ipvs/${o.service}`), members: c.members, runtimes: c.runtimes }));
}

export function addCloudLb(c: SimCluster, o: Omit<CloudLbOptions, Wired>): CloudLoadBalancer {
  return c.addDataPlane(new CloudLoadBalancer({ ...o, store: c.store, clock: c.clock, rng: c.rng.fork(`cloud-lb/${o.name}`), members: c.members, runtimes: c.runtimes }));
}
