import { spawnSync } from "child_process";
import { writeFileSync } from "fs";
import { join } from "path";
import { loadRules, RulesError } from "./rules";
import { DEFAULT_RULES } from "../main";
import { tmpDir } from "../test/helpers";

const ROOT = join(__dirname, "../..");

describe("rules file", () => {
  test("the shipped default is valid", () => {
    const cfg = loadRules(DEFAULT_RULES);
    expect(cfg.rules.length).toBeGreaterThan(3);
    expect(cfg.owners.get(cfg.defaults.owner)).toBeDefined();
  });

  test("a bad file gives one line per problem naming the file, the rule and the field", () => {
    const file = join(tmpDir(), "bad.yaml");
    writeFileSync(
      file,
      `settings: { cooldown: soon }
channels:
  pd: { kind: pagerduty, routingKey: { env: VIGIL_TEST_UNSET_KEY } }
  x: { kind: carrier-pigeon }
owners:
  core: { name: Core, channels: [pd, nowhere] }
rules:
  - name: esm
    match: { alertId: "MAKER-ESM-*", severity: Huge }
    set: { priority: P5, owner: nobody }
  - match: { alertId: X }
    set: { type: C, colour: red }
defaults: { owner: core }
`,
    );
    let problems: string[] = [];
    try {
      loadRules(file, { env: {} });
    } catch (err) {
      expect(err).toBeInstanceOf(RulesError);
      problems = (err as RulesError).problems;
    }
    expect(problems).toEqual([
      `${file}: settings.cooldown: "soon" is not a duration; write e.g. 90s, 5m, 1h`,
      `${file}: channels.pd.routingKey: environment variable VIGIL_TEST_UNSET_KEY is not set; export it (the value never goes in this file)`,
      `${file}: channels.x.kind: "carrier-pigeon" is not a channel kind (one of pagerduty, slack, discord, telegram, email, webhook, console, file)`,
      `${file}: owners.core.channels: channel "nowhere" is not declared under channels:`,
      `${file}: rules[0] "esm": match.severity: "Huge" not a severity (Unknown, Info, Low, Medium, High, Critical)`,
      `${file}: rules[0] "esm": set.priority: "P5" must be one of P0, P1, P2, none`,
      `${file}: rules[0] "esm": set.owner: "nobody" is not an owner declared under owners:`,
      `${file}: rules[1]: name: required (a short name shown as the incident's rule)`,
      `${file}: rules[1]: set: unknown key "colour" (allowed: type, priority, owner, channels, openIncident)`,
      `${file}: rules[1]: set.type: "C" must be one of A, B, protocol`,
    ]);
    // readers (the CLI's list, show, ack ...) send nothing: an unset secret is no problem for them
    let readerProblems: string[] = [];
    try {
      loadRules(file, { env: {}, requireSecrets: false });
    } catch (err) {
      readerProblems = (err as RulesError).problems;
    }
    expect(readerProblems).toEqual(problems.filter((l) => !l.includes("VIGIL_TEST_UNSET_KEY")));
    // the CLI prints the same lines and exits 1
    const r = spawnSync(process.execPath, [join(ROOT, "node_modules/tsx/dist/cli.mjs"), join(ROOT, "sink/cli/main.ts"), "rules", "check", file], { encoding: "utf8", env: { ...process.env, VIGIL_TEST_UNSET_KEY: "" } });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual(problems);
  });
});
