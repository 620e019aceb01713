/**
 * `drainscope` entry point: one CLI for every mode. Each subcommand lives in commands/ and returns
 * its exit code; flags win over environment variables, which win over defaults.
 */
import { analyzeCommand } from "./commands/analyze";
import { deleteCommand } from "./commands/delete";
import { exportCommand } from "./commands/export";
import { importCommand } from "./commands/import";
import { ipvsAgentCommand } from "./commands/ipvs-agent";
import { simulateCommand } from "./commands/simulate";
import { startCommand } from "./commands/start";
import { watchCommand } from "./commands/watch";
import { processIo, type CliIo } from "./io";

export const MAIN_HELP = `Usage: drainscope COMMAND [options]

Commands:
  start      serve the dashboard (what \`npm start\` runs)
  watch      run the watcher alone, recording into the store
  analyze    analyse watch recordings: key times and risk windows per pod
  simulate   run the built-in simulated cluster (a loopback Kubernetes API)
  import     import bundles, watch recordings or audit logs into the store
  export     export a timeline view: json bundle, md, csv, trace, svg or png
  delete     delete one cluster's stored history (imported clusters are kept until deleted)
  ipvs-agent node agent: post the node's IPVS real-server changes to the ingest API
  help       show this help

Run \`drainscope COMMAND --help\` for a command's options.
`;

type Command = (argv: readonly string[], io: CliIo) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  start: startCommand,
  watch: watchCommand,
  analyze: analyzeCommand,
  simulate: (argv) => simulateCommand([...argv]),
  import: importCommand,
  export: (argv, io) => exportCommand(argv, io),
  delete: (argv, io) => deleteCommand(argv, io),
  "ipvs-agent": ipvsAgentCommand,
};

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.out(MAIN_HELP);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS[name];
  if (!command) {
    io.err(`drainscope: unknown command "${name}"\n\n${MAIN_HELP}`);
    return 2;
  }
  return command(rest, io);
}
