/**
 * SVG → PNG with a headless Chromium (Debian's, not a downloaded one): the picture is the export's own
 * SVG, so PNG and SVG always agree. No network: every host resolves to nothing, and the page is set from a
 * string. One browser per call; exports are rare and a long-lived browser would hold ~100 MB for nothing.
 */
import { CHROMIUM_OFFLINE_ARGS } from "../chromium-args";

export class RenderError extends Error {
  override name = "RenderError";
}

export async function svgToPng(svg: string, size: { width: number; height: number }, env: Readonly<Record<string, string | undefined>> = process.env): Promise<Buffer> {
  const { chromium } = await import("@playwright/test");
  const executablePath = env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  let browser;
  try {
    browser = await chromium.launch({ executablePath, args: [...CHROMIUM_OFFLINE_ARGS] });
  } catch (e) {
    throw new RenderError(`cannot start Chromium at ${executablePath} to render the PNG (set CHROMIUM_PATH): ${e instanceof Error ? e.message.split("\n")[0] : String(e)}`);
  }
  try {
    const page = await browser.newPage({ viewport: { width: size.width, height: size.height }, deviceScaleFactor: 1, javaScriptEnabled: false });
    await page.route("**/*", (route) => route.abort());
    await page.setContent(`<!doctype html><html><head><meta charset="utf-8"><style>html,body{margin:0;padding:0;background:#fff}svg{display:block}</style></head><body>${svg}</body></html>`, { waitUntil: "load" });
    return await page.screenshot({ type: "png", clip: { x: 0, y: 0, width: size.width, height: size.height } });
  } finally {
    await browser.close();
  }
}
