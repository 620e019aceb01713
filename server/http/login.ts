/**
 * POST /api/login `{ "token": "…" }` checks the read token (constant time) and sets the session cookie;
 * POST /api/logout clears it. Both go through the Host/Origin guard like every write (no login CSRF).
 */
import { z } from "zod";
import { describeIssues } from "../../lib/api/contracts";
import { HttpError, handle, json, readJsonBody } from "./respond";
import { cameOverHttps, loginCookies, logoutCookies, tokenMatches } from "./session";

const LoginSchema = z.object({ token: z.string().min(1, "enter the dashboard's token").max(1024) });

function withCookies(response: Response, cookies: readonly string[]): Response {
  for (const c of cookies) response.headers.append("Set-Cookie", c);
  return response;
}

export const postLogin = (req: Request) =>
  handle(
    req,
    async (rt) => {
      const expected = rt.config.DRAINSCOPE_AUTH_TOKEN;
      if (!expected) throw new HttpError(409, "no DRAINSCOPE_AUTH_TOKEN is set: the dashboard is open, there is nothing to log in to");
      const parsed = LoginSchema.safeParse(await readJsonBody(req, 4096));
      if (!parsed.success) throw new HttpError(400, describeIssues(parsed.error));
      if (!tokenMatches(parsed.data.token, expected)) throw new HttpError(401, "wrong token");
      return withCookies(json({ ok: true }), loginCookies(expected, cameOverHttps(req)));
    },
    { auth: "none" },
  );

export const postLogout = (req: Request) =>
  handle(req, async () => withCookies(json({ ok: true }), logoutCookies(cameOverHttps(req))), { auth: "none" });
