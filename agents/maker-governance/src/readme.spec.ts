/**
 * What the README promises a user about the approvals episode's opening severity is what the code
 * does (issue 8 point 4): the behaviour itself is asserted end to end in agent.e2e.ts (the flash
 * loan leaves the hat with no approvals: "MAKER-GOV-HAT-APPROVALS-LOW Critical opened").
 */
import { readFileSync } from "fs";
import { join } from "path";

const row = (id: string): string => readFileSync(join(__dirname, "..", "README.md"), "utf8").split("\n").find((l) => l.startsWith(`| ${id} |`)) ?? "";

describe("maker-governance README", () => {
  it("says the low-approvals episode opens at High, or straight at Critical when already below the critical level", () => {
    const severity = row("MAKER-GOV-HAT-APPROVALS-LOW").split("|")[2]!;
    expect(severity).toContain("High (P1) opened");
    expect(severity).toContain("Critical (P0) opened when already below the critical level");
  });
});
