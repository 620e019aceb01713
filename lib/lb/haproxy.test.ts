// Parsers on answers recorded from HAProxy 2.6.12 (Debian 12): s1 drained, s2 deleted, s3 failing its
// health check; plus a config-disabled server and an IPv6 address.
import { describe, expect, it } from "vitest";
import { haproxyMembers, parseServersState, parseShowStat } from "./haproxy";

const SERVERS_STATE = `1
# be_id be_name srv_id srv_name srv_addr srv_op_state srv_admin_state srv_uweight srv_iweight srv_time_since_last_change srv_check_status srv_check_result srv_check_health srv_check_state srv_agent_state bk_f_forced_id srv_f_forced_id srv_fqdn srv_port srvrecord srv_use_ssl srv_check_port srv_check_addr srv_agent_addr srv_agent_port
3 be_web 1 s1 127.0.0.1 2 8 1 1 0 1 0 2 0 0 0 0 - 3322 - 0 0 - - 0
3 be_web 3 s3 127.0.0.1 0 0 1 1 1 8 2 0 6 0 0 0 - 3324 - 0 0 - - 0
4 be_api 1 a1 10.0.0.9 0 4 1 1 7 1 0 0 0 0 0 0 - 8080 - 0 0 - - 0
4 be_api 2 a2 fd00::5 2 0 0 1 7 1 0 0 0 0 0 0 - 8080 - 0 0 - - 0

`;

const SHOW_STAT = `# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status,weight,act,bck,chkfail,chkdown,lastchg,downtime,qlimit,pid,iid,sid,throttle,lbtot,tracked,type,rate,rate_lim,rate_max,check_status,check_code,check_duration,hrsp_1xx,hrsp_2xx,hrsp_3xx,hrsp_4xx,hrsp_5xx,hrsp_other,hanafail,req_rate,req_rate_max,req_tot,cli_abrt,srv_abrt,comp_in,comp_out,comp_byp,co
fe,FRONTEND,,,0,0,100,0,0,0,0,0,0,,,,,OPEN,,,,,,,,,1,2,0,,,,0,0,0,0,,,,0,0,0,0,0,0,,0,0,0,,,0,0,0,0,,,,,,,,,,,,,,,,,,,,,http,,0,0,0,0,0,0,0,,,0,0,,,,,,,0,,,,,,,,,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
be_web,s1,0,0,4,5,,9,0,0,,0,,0,0,0,0,DRAIN,1,1,0,,,1,,,1,3,1,,0,,2,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,,,,,-1,,,0,0,0,0,,,,,,,,,,,,127.0.0.1:3322,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,0,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
be_web,s3,0,0,0,0,,0,0,0,,0,,0,0,0,0,DOWN,1,1,0,1,1,1,1,,1,3,3,,0,,2,0,,0,L4CON,,0,0,0,0,0,0,0,,,,0,0,0,,,,,-1,Connection refused,,0,0,0,0,,,,Layer4 connection problem,,2,3,0,,,,127.0.0.1:3324,,http,,,,,,,,0,0,0,,,0,,0,0,0,0,0,0,0,0,1,1,,,,-,0,0,0,,,,,,,,,,,,,,,,,,,,,,
be_web,BACKEND,0,0,4,5,10,9,0,0,0,0,,0,0,0,0,UP,1,1,0,,0,1,0,,1,3,0,,0,,1,0,,0,,,,0,0,0,0,0,0,,,,0,0,0,0,0,0,0,-1,,,0,0,0,0,,,,,,,,,,,,,,http,roundrobin,,,,,,,0,0,0,0,0,,,,0,0,0,0,0,,,,,1,0,0,0,-,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,
`;

describe("HAProxy Runtime API parsers", () => {
  it("servers state + stat → members: drain, health-check down, config maintenance, weight 0, IPv6", () => {
    const state = parseServersState(SERVERS_STATE);
    const stat = parseShowStat(SHOW_STAT);
    if (!state.ok || !stat.ok) throw new Error("parse failed");
    expect([...stat.value]).toEqual([["be_web/s1", 4], ["be_web/s3", 0]]);
    expect(haproxyMembers(state.value, stat.value).map((m) => `${m.lb} ${m.member} ${m.state} w=${m.weight} cx=${m.connections}`)).toEqual([
      "be_web 127.0.0.1:3322 draining w=0 cx=4",
      "be_web 127.0.0.1:3324 unhealthy w=1 cx=0",
      "be_api 10.0.0.9:8080 removed w=0 cx=undefined",
      "be_api [fd00::5]:8080 draining w=0 cx=undefined",
    ]);
    expect(haproxyMembers(state.value, stat.value, { backends: ["be_api"], lbPrefix: "edge/" }).map((m) => m.lb)).toEqual(["edge/be_api", "edge/be_api"]);
  });

  it("refuses answers that are not what was asked for", () => {
    expect(parseServersState("Unknown command: 'show servers stat'\n")).toMatchObject({ ok: false, error: expect.stringContaining("format version 1") });
    expect(parseServersState("1\n# be_id be_name\n")).toMatchObject({ ok: false, error: expect.stringContaining("missing column(s) srv_name") });
    expect(parseShowStat("Permission denied\n")).toMatchObject({ ok: false });
  });
});
