import { getPodHandler } from "@/server/http/handlers";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export async function GET(request: Request, ctx: { params: Promise<{ uid: string }> }) {
  return getPodHandler(request, (await ctx.params).uid);
}
