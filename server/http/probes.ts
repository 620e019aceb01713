/** Kubernetes probes: liveness never touches the runtime, readiness asks it (server/runtime/readiness.ts). */
import { checkReadiness } from "../runtime/readiness";
import { handle, json, requireRead } from "./respond";

export const getLivez = () => json({ status: "alive" });

export const getReadyz = (req: Request) =>
  handle(
    req,
    async (rt) => {
      const r = await checkReadiness(rt);
      let detailed = true;
      try {
        requireRead(rt, req);
      } catch {
        detailed = false; // the kubelet sends no token; the reasons are for people
      }
      return json({ status: r.ready ? "ready" : "not-ready", ...(detailed ? { reasons: r.reasons } : {}) }, r.ready ? 200 : 503);
    },
    { auth: "none" },
  );
