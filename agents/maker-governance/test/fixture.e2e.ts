/**
 * A recorded fixture of the devnet storyline (npm start -- --once --bots maker-governance --record ...),
 * replayed with no node at all: the findings must equal the committed expectation.
 * Re-record after an intended change with:
 *   npm start -- --once --bots maker-governance --format json --record agents/maker-governance/test/fixtures/storyline.json.gz \
 *     --expected agents/maker-governance/test/fixtures/storyline.expected.json
 */
import { join } from "path";
import { checkExpectation, replayFixture } from "../../../shared/testing/replay";

const FIXTURES = join(__dirname, "fixtures");

it("replays the recorded storyline offline and finds exactly what was recorded", async () => {
  const findings = await replayFixture(join(FIXTURES, "storyline.json.gz"));
  expect([...new Set(findings.map((f) => f.finding.alertId))].sort()).toEqual(["MAKER-GOV-HAT-CHANGED", "MAKER-GOV-HAT-UNKNOWN", "MAKER-GOV-HAT-APPROVALS-LOW", "MAKER-GOV-LIFTER-UNKNOWN", "MAKER-GOV-FLASH-TAKEOVER", "MAKER-PAUSE-PLOT", "MAKER-PAUSE-PLOT-UNKNOWN", "MAKER-PAUSE-PLAN-CLOCK", "MAKER-PAUSE-PLOT-DELAY-BYPASS", "MAKER-PAUSE-DROP", "MAKER-PAUSE-EXEC", "MAKER-PAUSE-EXEC-UNKNOWN", "MAKER-PAUSE-DELAY-REDUCED", "MAKER-PAUSE-DELAY-RAISED", "MAKER-PAUSE-OWNER", "MAKER-PAUSE-AUTHORITY", "SKY-GOV-LIFT", "SKY-GOV-CANDIDATE-OVER-HAT", "SKY-GOV-DELEGATION-SWING", "SKY-GOV-DELEGATE-CREATED", "SKY-GOV-MOM-BY-HAT", "SKY-GOV-EMSP-SCHEDULED", "SKY-GOV-EMSP-FAIL", "SKY-GOV-PROTEGO-DEPLOY", "SKY-GOV-PROTEGO-DROP"].sort());
  checkExpectation(join(FIXTURES, "storyline.expected.json"), findings);
});
