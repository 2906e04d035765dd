/**
 * A recorded fixture of the devnet storyline (npm start -- --once --bots maker-oracles --record ...),
 * replayed with no node at all: the findings must equal the committed expectation.
 * Re-record after an intended change with:
 *   npm start -- --once --bots maker-oracles --format json --record agents/maker-oracles/test/fixtures/storyline.json.gz \
 *     --expected agents/maker-oracles/test/fixtures/storyline.expected.json
 */
import { join } from "path";
import { checkExpectation, replayFixture } from "../../../shared/testing/replay";

const FIXTURES = join(__dirname, "fixtures");

it("replays the recorded storyline offline and finds exactly what was recorded", async () => {
  const findings = await replayFixture(join(FIXTURES, "storyline.json.gz"));
  expect([...new Set(findings.map((f) => f.finding.alertId))].sort()).toEqual([
    "MAKER-MEDIAN-BAR",
    "MAKER-MEDIAN-FEEDS",
    "MAKER-ORACLE-CAP",
    "MAKER-ORACLE-CAP-BINDING",
    "MAKER-ORACLE-CAPPED-PIP",
    "MAKER-ORACLE-DIVERGENCE",
    "MAKER-ORACLE-RIGHTS",
    "MAKER-ORACLE-WATCH",
    "MAKER-ORACLE-WHITELIST",
    "MAKER-OSM-HOP",
    "MAKER-OSM-NO-PRICE",
    "MAKER-OSM-PRICE-JUMP",
    "MAKER-OSM-SOURCE",
    "MAKER-OSM-STALE",
    "MAKER-OSM-START",
    "MAKER-OSM-STOP",
    "MAKER-OSM-VOID",
    "MAKER-PIP-VALUE",
    "MAKER-SCRIBE-BAR",
    "MAKER-SCRIBE-CHALLENGE",
    "MAKER-SCRIBE-FEEDS",
    "MAKER-SCRIBE-STALE",
  ]);
  checkExpectation(join(FIXTURES, "storyline.expected.json"), findings);
});
