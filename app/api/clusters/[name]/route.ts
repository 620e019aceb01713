import { deleteClusterHandler } from "@/server/http/handlers";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";
export async function DELETE(request: Request, ctx: { params: Promise<{ name: string }> }) {
  return deleteClusterHandler(request, (await ctx.params).name);
}
