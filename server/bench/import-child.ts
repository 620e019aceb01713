/**
 * Run in its own process by the import benchmark: `drainscope import --cluster bench FILE` (the real
 * command, stdout as usual), then one JSON line on stderr with the time and the peak RSS of the process.
 */
import { main } from "../cli/main";

const file = process.argv[2] ?? "";
const t0 = performance.now();
const code = await main(["import", "--cluster", "bench", file]);
const seconds = (performance.now() - t0) / 1000;
process.stderr.write(`${JSON.stringify({ code, seconds, maxRssKb: process.resourceUsage().maxRSS })}\n`);
