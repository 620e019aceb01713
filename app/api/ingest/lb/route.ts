import { postLbIngest } from "@/server/http/handlers";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const POST = (request: Request) => postLbIngest(request);
