import { getClusters } from "@/server/http/handlers";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const GET = (request: Request) => getClusters(request);
