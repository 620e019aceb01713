import { getReadyz } from "@/server/http/probes";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const GET = (request: Request) => getReadyz(request);
