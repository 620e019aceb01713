import { getEpisodes } from "@/server/http/handlers";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export const GET = (request: Request) => getEpisodes(request);
