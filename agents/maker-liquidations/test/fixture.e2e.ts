/**
 * A recorded fixture of maker-liquidations' devnet storyline, replayed with no node at all: the
 * findings must equal the committed expectation. Re-record after an intended change with:
 *   npm start -- --once --bots maker-liquidations --format json --record agents/maker-liquidations/test/fixtures/storyline.json.gz \
 *     --expected agents/maker-liquidations/test/fixtures/storyline.expected.json
 */
import { join } from "path";
import { checkExpectation, replayFixture } from "../../../shared/testing/replay";

const FIXTURES = join(__dirname, "fixtures");

it("replays the recorded storyline offline and finds exactly what was recorded", async () => {
  const findings = await replayFixture(join(FIXTURES, "storyline.json.gz"));
  const ids = new Set(findings.map((f) => f.finding.alertId));
  for (const id of [
    "MAKER-LIQ-LARGE-BARK",
    "MAKER-LIQ-ILK-CASCADE",
    "MAKER-LIQ-CASCADE",
    "MAKER-LIQ-ILK-DIRT",
    "MAKER-LIQ-DIRT",
    "MAKER-LIQ-TAKE-BELOW-ORACLE",
    "MAKER-LIQ-REDO-OVERDUE",
    "MAKER-LIQ-KEEPER-INCENTIVE",
    "MAKER-LIQ-BREAKER",
    "MAKER-LIQ-PARAM-CHANGED",
    "MAKER-LIQ-CAT-BITE",
  ]) {
    expect(ids).toContain(id);
  }
  checkExpectation(join(FIXTURES, "storyline.expected.json"), findings);
});
