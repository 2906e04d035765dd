/**
 * A recorded fixture of the devnet storyline (npm start -- --once --bots maker-auth --record ...),
 * replayed with no node at all: the findings must equal the committed expectation.
 * Re-record after an intended change with:
 *   npm start -- --once --bots maker-auth --format json --record agents/maker-auth/test/fixtures/storyline.json.gz \
 *     --expected agents/maker-auth/test/fixtures/storyline.expected.json
 */
import { join } from "path";
import { checkExpectation, replayFixture } from "../../../shared/testing/replay";

const FIXTURES = join(__dirname, "fixtures");

it("replays the recorded storyline offline and finds exactly what was recorded", async () => {
  const findings = await replayFixture(join(FIXTURES, "storyline.json.gz"));
  expect([...new Set(findings.map((f) => f.finding.alertId))].sort()).toEqual(["MAKER-AUTH-RIGHTS-OUTSIDE-GOVERNANCE", "MAKER-AUTH-RIGHTS-GOVERNANCE", "MAKER-AUTH-RIGHTS-UNKNOWN-SPELL", "MAKER-AUTH-CHAINLOG-CORE", "MAKER-AUTH-CHAINLOG-KEY", "MAKER-AUTH-CHAINLOG-VERSION", "MAKER-AUTH-CHAINLOG-OUTSIDE-GOVERNANCE"].sort());
  checkExpectation(join(FIXTURES, "storyline.expected.json"), findings);
});
