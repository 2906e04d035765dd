import { attribute, enclosingExec, execTrusted, type ExecNote, type TxGovernance } from "./attribution";
import { chainlogChangeKind, isCoreKey } from "./detectors";
import { DEFAULT_CORE_KEYS } from "./config";

const PAUSE = "0x00000000000000000000000000000000000000a1";
const PROXY = "0x00000000000000000000000000000000000000a2";
const SPELL = "0x00000000000000000000000000000000000000a3";
const EOA = "0x00000000000000000000000000000000000000e0";
const ATTACKER = "0x0000000000000000000000000000000000000bad";

const exec = (logIndex: number, caller: string, trusted: boolean): ExecNote => ({ logIndex, caller, planHash: `0xplan${logIndex}`, usr: "0xaction", trusted });
const tx = (o: Partial<TxGovernance>): TxGovernance => ({ from: EOA, to: SPELL, pause: PAUSE, proxy: PROXY, execs: [], ...o });

describe("who changed rights", () => {
  it("a change the pause proxy made inside a plan execution is governance, tied to the first exec note after it", () => {
    const g = tx({ execs: [exec(5, SPELL, true), exec(9, SPELL, true)] });
    expect(attribute(g, 3, PROXY)).toMatchObject({ governance: true, via: "plan", exec: { logIndex: 5 } });
    expect(attribute(g, 7, PROXY)).toMatchObject({ governance: true, via: "plan", exec: { logIndex: 9 } });
    expect(enclosingExec(g, 10)).toBeNull();
  });

  it("the pause proxy acting with no exec of MCD_PAUSE in the transaction is outside governance", () => {
    expect(attribute(tx({}), 3, PROXY)).toMatchObject({ governance: false });
    expect(attribute(tx({ execs: [exec(2, SPELL, true)] }), 3, PROXY)).toMatchObject({ governance: false }); // exec ran before: not this one
  });

  it("a logged caller that is not the proxy is outside governance, unless the plan being executed caused it", () => {
    expect(attribute(tx({}), 3, EOA)).toMatchObject({ governance: false, reason: expect.stringContaining(`made by ${EOA}, not the pause proxy`) });
    expect(attribute(tx({ execs: [exec(5, SPELL, true)] }), 3, "0x00000000000000000000000000000000000000c0")).toMatchObject({ governance: true, via: "plan" });
    expect(attribute(tx({ to: ATTACKER, execs: [exec(5, ATTACKER, false)] }), 3, ATTACKER)).toMatchObject({ governance: false });
  });

  it("a change whose caller is not logged counts only inside a plan execution we can vouch for", () => {
    expect(attribute(tx({ execs: [exec(5, SPELL, true)] }), 3, null)).toMatchObject({ governance: true, via: "plan" });
    expect(attribute(tx({ to: ATTACKER, execs: [exec(5, ATTACKER, false)] }), 3, null)).toMatchObject({ governance: false, reason: expect.stringContaining("cannot be tied to the plan") });
    expect(attribute(tx({ execs: [exec(5, SPELL, true)] }), 6, null)).toMatchObject({ governance: false, reason: expect.stringContaining("no governance plan") }); // after the exec
    expect(attribute(tx({}), 3, null)).toMatchObject({ governance: false });
  });

  it("a transaction sent by the pause proxy itself (impersonation in tests) is governance", () => {
    expect(attribute(tx({ from: PROXY, to: "0x00000000000000000000000000000000000000cc" }), 0, null)).toMatchObject({ governance: true, via: "proxy-sender" });
  });

  it("vouches for an exec window when the top-level call is the pause, or the spell that plotted the plan, or a known spell", () => {
    expect(execTrusted({ to: PAUSE, pause: PAUSE }, { caller: EOA }, null, false)).toBe(true);
    expect(execTrusted({ to: SPELL, pause: PAUSE }, { caller: SPELL }, SPELL, false)).toBe(true);
    expect(execTrusted({ to: SPELL, pause: PAUSE }, { caller: SPELL }, null, true)).toBe(true);
    // an attacker's contract that calls exec for someone else's ripe plan
    expect(execTrusted({ to: ATTACKER, pause: PAUSE }, { caller: ATTACKER }, SPELL, false)).toBe(false);
    // a known spell's exec, but the transaction went through another contract (e.g. an EIP-7702 account)
    expect(execTrusted({ to: ATTACKER, pause: PAUSE }, { caller: SPELL }, SPELL, true)).toBe(false);
    expect(execTrusted({ to: null, pause: PAUSE }, { caller: SPELL }, SPELL, true)).toBe(false);
  });
});

describe("ChainLog keys", () => {
  it("matches core keys exactly or by prefix", () => {
    expect(isCoreKey("MCD_VAT", DEFAULT_CORE_KEYS)).toBe(true);
    expect(isCoreKey("PIP_ETH", DEFAULT_CORE_KEYS)).toBe(true);
    expect(isCoreKey("MCD_CLIP_ETH_A", DEFAULT_CORE_KEYS)).toBe(true);
    expect(isCoreKey("MCD_VAT_OLD", DEFAULT_CORE_KEYS)).toBe(false);
    expect(isCoreKey("VIGIL_NEW_MODULE", DEFAULT_CORE_KEYS)).toBe(false);
  });

  it("tells additions, re-pointings and removals apart", () => {
    expect(chainlogChangeKind(null, "0x1")).toBe("added");
    expect(chainlogChangeKind("0x1", "0x2")).toBe("re-pointed");
    expect(chainlogChangeKind("0x1", null)).toBe("removed");
  });
});
