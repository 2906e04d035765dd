/**
 * A recorded fixture of the devnet storyline (npm start -- --once --bots maker-flash --record ...),
 * replayed with no node at all: the findings must equal the committed expectation.
 * Re-record after an intended change with:
 *   npm start -- --once --bots maker-flash --record agents/maker-flash/test/fixtures/storyline.json.gz \
 *     --expected agents/maker-flash/test/fixtures/storyline.expected.json
 */
import { join } from "path";
import { checkExpectation, replayFixture } from "../../../shared/testing/replay";

const FIXTURES = join(__dirname, "fixtures");

it("replays the recorded storyline offline and finds exactly what was recorded", async () => {
  const findings = await replayFixture(join(FIXTURES, "storyline.json.gz"));
  expect(findings.map((f) => f.finding.alertId)).toEqual(
    expect.arrayContaining(["MAKER-FLASH-LARGE-LOAN", "MAKER-FLASH-COMBINED", "MAKER-FLASH-FILE"]),
  );
  checkExpectation(join(FIXTURES, "storyline.expected.json"), findings);
});
