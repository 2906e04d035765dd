/**
 * A recorded fixture of the devnet storyline (npm start -- --once --bots sky-stablecoin --record ...),
 * replayed with no node at all: the findings must equal the committed expectation.
 * Re-record after an intended change with:
 *   npm start -- --once --bots sky-stablecoin --record agents/sky-stablecoin/test/fixtures/storyline.json.gz \
 *     --expected agents/sky-stablecoin/test/fixtures/storyline.expected.json
 */
import { join } from "path";
import { checkExpectation, replayFixture } from "../../../shared/testing/replay";

const FIXTURES = join(__dirname, "fixtures");

it("replays the recorded storyline offline and finds exactly what was recorded", async () => {
  const findings = await replayFixture(join(FIXTURES, "storyline.json.gz"));
  expect(findings.map((f) => f.finding.alertId)).toEqual(
    expect.arrayContaining(["SKY-USDS-UNBACKED", "SKY-USDS-MINT-UNMATCHED", "SKY-CONVERSION-MISMATCH", "SKY-MKR-SKY-SHORTFALL", "SKY-SAVINGS-CHI-DECREASED", "SKY-SAVINGS-RESERVE", "SKY-STUSDS-CUT", "SKY-UPGRADED", "SKY-STABLE-WARD-ADDED"]),
  );
  checkExpectation(join(FIXTURES, "storyline.expected.json"), findings);
});
