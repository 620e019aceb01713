import { getExport } from "@/server/http/transfer";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const GET = (request: Request) => getExport(request);
