/**
 * A recorded fixture of the devnet storyline, replayed with no node at all: the L1 from the
 * runtime's fixture (every JSON-RPC answer the bot needed), the L2 from a tape of every exchange
 * the bot had with it, served in the recorded order by a loopback server (the L2 RPC URL is a
 * secret, so the fixture does not keep it: the replay gives the tape server's). The findings must
 * equal the committed expectation. Re-record after an intended change with:
 *   VIGIL_DEVNET_L2_TAPE=agents/maker-dai-bridge/test/fixtures/l2-tape.json.gz npm start -- --once --bots maker-dai-bridge \
 *     --record agents/maker-dai-bridge/test/fixtures/storyline.json.gz --expected agents/maker-dai-bridge/test/fixtures/storyline.expected.json
 */
import { join } from "path";
import { checkExpectation, replayFixture } from "../../../shared/testing/replay";
import { JsonRpcTapeServer } from "../../../shared/testing/rpc-tape";

const FIXTURES = join(__dirname, "fixtures");

it("replays the recorded storyline offline, L1 and L2, and finds exactly what was recorded", async () => {
  const l2 = await JsonRpcTapeServer.start(join(FIXTURES, "l2-tape.json.gz"));
  try {
    const findings = await replayFixture(join(FIXTURES, "storyline.json.gz"), { env: { DAI_BRIDGE_OPTIMISM_RPC_URL: l2.url } });
    expect(l2.misses).toEqual([]);
    expect(l2.unused()).toBe(0);
    expect(findings.map((f) => f.finding.alertId)).toEqual(
      expect.arrayContaining(["MAKER-DAI-BRIDGE-SHORTFALL", "MAKER-DAI-BRIDGE-SUPPLY-JUMP", "MAKER-DAI-BRIDGE-L2-UNAVAILABLE"]),
    );
    checkExpectation(join(FIXTURES, "storyline.expected.json"), findings);
  } finally {
    await l2.close();
  }
});
