/**
 * A recorded fixture of the devnet storyline (npm start -- --once --bots sky-rates --record ...),
 * replayed with no node at all: the findings must equal the committed expectation.
 * Re-record after an intended change with:
 *   npm start -- --once --bots sky-rates --record agents/sky-rates/test/fixtures/storyline.json.gz \
 *     --expected agents/sky-rates/test/fixtures/storyline.expected.json
 */
import { join } from "path";
import { checkExpectation, replayFixture } from "../../../shared/testing/replay";

const FIXTURES = join(__dirname, "fixtures");

it("replays the recorded storyline offline and finds exactly what was recorded", async () => {
  const findings = await replayFixture(join(FIXTURES, "storyline.json.gz"));
  expect(findings.map((f) => f.finding.alertId)).toEqual(
    expect.arrayContaining(["SKY-RATE-SETTER-SET", "SKY-RATE-SETTER-BUD", "SKY-RATE-SETTER-BOUNDS", "SKY-RATE-SETTER-HALT", "SKY-RATE-SETTER-CONFIG", "SKY-RATE-SETTER-RIGHTS", "SKY-STUSDS-MOM-ZERO", "SKY-RATE-UNEXPLAINED", "SKY-RATE-SPELL"]),
  );
  checkExpectation(join(FIXTURES, "storyline.expected.json"), findings);
});
