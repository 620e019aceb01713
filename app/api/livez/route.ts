import { getLivez } from "@/server/http/probes";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const GET = () => getLivez();
