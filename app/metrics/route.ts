import { getMetrics } from "@/server/http/handlers";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const GET = (request: Request) => getMetrics(request);
