/**
 * A recorded fixture of maker-vat's devnet storyline, replayed with no node at all: the findings must
 * equal the committed expectation. Re-record after an intended change with:
 *   npm start -- --once --bots maker-vat --format json --record agents/maker-vat/test/fixtures/storyline.json.gz \
 *     --expected agents/maker-vat/test/fixtures/storyline.expected.json
 */
import { join } from "path";
import { checkExpectation, replayFixture } from "../../../shared/testing/replay";

const FIXTURES = join(__dirname, "fixtures");

it("replays the recorded storyline offline and finds exactly what was recorded", async () => {
  const findings = await replayFixture(join(FIXTURES, "storyline.json.gz"));
  const ids = new Set(findings.map((f) => f.finding.alertId));
  for (const id of [
    "MAKER-VAT-INVARIANT",
    "MAKER-VAT-LINE-CHANGED",
    "MAKER-VAT-ILK-LINE-CHANGED",
    "MAKER-VAT-LINE-UTILISATION",
    "MAKER-VAT-ILK-UTILISATION",
    "MAKER-VAT-SURPLUS-DROP",
    "MAKER-VAT-SIN-JUMP",
    "MAKER-VAT-CAGED",
  ]) {
    expect(ids).toContain(id);
  }
  checkExpectation(join(FIXTURES, "storyline.expected.json"), findings);
});
