import { describe, expect, it } from "vitest";
import { parseExecSleep } from "./spec-summary";

describe("parseExecSleep", () => {
  it.each([
    [["sh", "-c", "sleep 5"], { seconds: 5, sleepOnly: true }],
    [["/bin/sh", "-c", "sleep 15; exit 0"], { seconds: 15, sleepOnly: true }],
    [["sleep", "10"], { seconds: 10, sleepOnly: true }],
    [["/bin/sleep", "2.5"], { seconds: 2.5, sleepOnly: true }],
    [["bash", "-c", "sleep 5 && nginx -s quit"], { seconds: 5, sleepOnly: false }],
    [["sh", "-c", "sleep 3s"], { seconds: 3, sleepOnly: true }],
    [["nginx", "-s", "quit"], undefined],
    [["sh", "-c", "curl -X POST localhost/drain; sleep 5"], undefined],
    [[], undefined],
  ])("%j → %j", (command, expected) => {
    expect(parseExecSleep(command)).toEqual(expected);
  });
});
