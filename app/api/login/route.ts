import { postLogin } from "@/server/http/login";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const POST = (request: Request) => postLogin(request);
