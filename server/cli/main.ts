/**
 * `drainscope` entry point: one CLI for every mode. Each subcommand lives in commands/ and returns
 * its exit code; flags win over environment variables, which win over defaults.
 */
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

// Loaded on use: a command pays only for its own modules (`import` of a 5 GB log started at 220 MB RSS
// when every command, the dashboard server and the Kubernetes client were loaded up front).
const COMMANDS: Readonly<Record<string, Command>> = {
  start: async (argv, io) => (await import("./commands/start")).startCommand(argv, io),
  watch: async (argv, io) => (await import("./commands/watch")).watchCommand(argv, io),
  analyze: async (argv, io) => (await import("./commands/analyze")).analyzeCommand(argv, io),
  simulate: async (argv) => (await import("./commands/simulate")).simulateCommand([...argv]),
  import: async (argv, io) => (await import("./commands/import")).importCommand(argv, io),
  export: async (argv, io) => (await import("./commands/export")).exportCommand(argv, io),
  delete: async (argv, io) => (await import("./commands/delete")).deleteCommand(argv, io),
  "ipvs-agent": async (argv, io) => (await import("./commands/ipvs-agent")).ipvsAgentCommand(argv, io),
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
