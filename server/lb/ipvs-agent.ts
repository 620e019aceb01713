/**
 * The IPVS node agent's loop: read the node's IPVS table, diff it against the last snapshot the server
 * accepted (lib/lb/poll-diff), and post the changes to `POST /api/ingest/lb` with `at` (this poll) and
 * `since` (the previous one), so the server records each change with the interval it is known to lie in.
 * A post that fails leaves the accepted snapshot as it was: the next poll re-sends what changed since.
 */
import type { LbIngest } from "../../lib/api/contracts";
import { ipvsMembers, parseIpvsTable } from "../../lib/lb/ipvs";
import { applyPoll, initialPollState, type PollState } from "../../lib/lb/poll-diff";

/** The ingest API takes at most this many members per request. */
const MAX_MEMBERS_PER_POST = 1000;

export interface IpvsAgentOptions {
  /** Reads the table (/proc/net/ip_vs, or `ipvsadm -Ln` output). */
  readonly readTable: () => Promise<string>;
  /** Posts one ingest body; throws on failure. */
  readonly post: (body: LbIngest) => Promise<void>;
  readonly now: () => number;
  readonly node?: string;
  readonly cluster?: string;
}

export interface IpvsAgent {
  /** One read-diff-post round; resolves with the number of member changes posted. */
  pollOnce(): Promise<number>;
}

export function createIpvsAgent(o: IpvsAgentOptions): IpvsAgent {
  let accepted: PollState = initialPollState;
  return {
    async pollOnce() {
      const parsed = parseIpvsTable(await o.readTable());
      if (!parsed.ok) throw new Error(parsed.error);
      const at = o.now();
      const { events, state } = applyPoll(accepted, ipvsMembers(parsed.services, o.node ? { node: o.node } : {}), at, { cluster: o.cluster ?? "", clock: "node" });
      const members: LbIngest["members"] = events.map((e) => ({
        lb: e.lb,
        source: e.lbSource,
        member: e.member,
        state: e.state,
        ...(e.weight !== undefined ? { weight: e.weight } : {}),
        ...(e.connections !== undefined ? { connections: e.connections } : {}),
        at: e.at,
        ...(e.range[0] < e.at ? { since: e.range[0] } : {}),
      }));
      for (let i = 0; i < members.length; i += MAX_MEMBERS_PER_POST) {
        await o.post({ ...(o.cluster ? { cluster: o.cluster } : {}), members: members.slice(i, i + MAX_MEMBERS_PER_POST) });
      }
      accepted = state;
      return members.length;
    },
  };
}
