import { postSignalIngest } from "@/server/http/handlers";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const POST = (request: Request) => postSignalIngest(request);
