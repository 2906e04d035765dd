/**
 * The chief's actions from both chief styles: the ds-chief 1.2 ds-notes (also covered end to end on
 * anvil) and the 2025 SKY chief's named events (both versions of its Lock/Free/Vote), built here as
 * the contract emits them since the test deployment has no SKY chief.
 */
import { ethers } from "forta-agent";
import { DS_CHIEF_IFACE } from "../../../shared/abi";
import { SKY_CHIEF_IFACE, chiefActions } from "./chief";

const CHIEF = "0x929d9a1435662357f54aaaf64eb6758b6a7ff6c9";
const USR = "0x1234567890abcdef1234567890abcdef12345678";
const SPELL = "0x00000000000000000000000000000000000000b1";
const word = (hex: string) => ethers.utils.hexZeroPad(hex, 32).toLowerCase();

function event(name: string, args: unknown[], logIndex: number, address = CHIEF) {
  const { topics, data } = SKY_CHIEF_IFACE.encodeEventLog(SKY_CHIEF_IFACE.getEvent(name), args);
  return { address, topics, data, logIndex };
}

function dsNote(calldata: string, caller: string, logIndex: number) {
  const load = (o: number) => `0x${calldata.slice(2 + o * 2, 2 + o * 2 + 64).padEnd(64, "0")}`;
  return { address: CHIEF, logIndex, topics: [calldata.slice(0, 10).padEnd(66, "0"), word(caller), load(4), load(36)], data: ethers.utils.defaultAbiCoder.encode(["uint256", "bytes"], [0, calldata]) };
}

describe("chief actions", () => {
  it("reads the SKY chief's events, with the caller when the event carries it", () => {
    const wad = ethers.utils.parseEther("5");
    const { actions, undecodable } = chiefActions(
      [
        event("Lock(address,uint256)", [USR, wad], 1),
        event("Vote(address,bytes32)", [USR, word("0x01")], 2),
        event("Lift", [SPELL], 3),
        event("Free(address,uint256)", [USR, wad], 4),
        event("Lock(uint256)", [wad], 5),
        event("Vote(bytes32)", [word("0x02")], 6),
        event("Lift", [SPELL], 7, "0x0000000000000000000000000000000000000001"), // another contract
      ],
      CHIEF,
    );
    expect(undecodable).toEqual([]);
    expect(actions.map((a) => [a.kind, a.caller, a.whom ?? a.wad ?? null])).toEqual([
      ["lock", USR, wad.toString()],
      ["vote", USR, null],
      ["lift", null, SPELL],
      ["free", USR, wad.toString()],
      ["lock", null, wad.toString()],
      ["vote", null, null],
    ]);
  });

  it("reads ds-chief 1.2 ds-notes (vote(address[]) logs two notes with its selector)", () => {
    const lock = DS_CHIEF_IFACE.encodeFunctionData("lock", [ethers.utils.parseEther("3")]);
    const vote = DS_CHIEF_IFACE.encodeFunctionData("vote(address[])", [[SPELL]]);
    const lift = DS_CHIEF_IFACE.encodeFunctionData("lift", [SPELL]);
    const { actions } = chiefActions([dsNote(lock, USR, 0), dsNote(vote, USR, 2), dsNote(vote, USR, 3), dsNote(lift, USR, 4)], CHIEF);
    expect(actions.map((a) => `${a.kind}:${a.caller}:${a.whom ?? a.wad ?? ""}`)).toEqual([
      `lock:${USR}:${ethers.utils.parseEther("3").toString()}`,
      `vote:${USR}:`,
      `vote:${USR}:`,
      `lift:${USR}:${SPELL}`,
    ]);
  });

  it("reports a malformed note or event of the chief instead of dropping it", () => {
    const lift = DS_CHIEF_IFACE.encodeFunctionData("lift", [SPELL]);
    const badNote = { ...dsNote(lift, USR, 1), topics: [dsNote(lift, USR, 1).topics[0]!, word(USR), word("0x99"), word("0x00")] };
    const lockTopic = SKY_CHIEF_IFACE.getEventTopic("Lock(address,uint256)");
    const badEvent = { address: CHIEF, logIndex: 2, topics: [lockTopic, word(USR)], data: "0x12" };
    const { actions, undecodable } = chiefActions([badNote, badEvent], CHIEF);
    expect(actions).toEqual([]);
    expect(undecodable.map((u) => u.logIndex)).toEqual([1, 2]);
  });
});
