import { postImport } from "@/server/http/transfer";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const POST = (request: Request) => postImport(request);
