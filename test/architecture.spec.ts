/**
 * The architecture, held by a test (issue 14): imports run the data's way, and no file grows
 * into a hall without a reason. The rules: test/architecture/imports.ts and sizes.ts; what is
 * accepted today, with a reason per entry: test/architecture/allow-list.ts.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { dirname, join, resolve } from "path";
import { ALLOWED_CYCLES, ALLOWED_IMPORTS, ALLOWED_LONG_FILES } from "./architecture/allow-list";
import { checkImport, checkTree, cyclesOf, explain, importsOf, judge, judgeCycles, readTree, type Violation } from "./architecture/imports";
import { MAX_LINES, lineCount, longFiles } from "./architecture/sizes";

const ROOT = resolve(__dirname, "..");
const repo = readTree(ROOT);

const brief = (vs: readonly Violation[]) => vs.map((v) => `${v.rule} ${v.from} -> ${v.to}`);

describe("the import-direction checker", () => {
  it("reads every kind of import TypeScript knows, and leaves packages out", () => {
    const src = [
      `import { a } from "./a";`,
      `import type { B } from "../b";`,
      `export { c } from "./c";`,
      `import * as ns from "../../shared/d";`,
      `const e = require("./e");`,
      `async function f() { return import("../f"); }`,
      `import { ethers } from "forta-agent";`,
      `import "./side-effect";`,
    ].join("\n");
    expect(importsOf(src).sort()).toEqual(["../../shared/d", "../b", "../f", "./a", "./c", "./e", "./side-effect"]);
  });

  it("names each wrong import in a small tree, and passes the right ones", () => {
    const tree = new Map<string, string>([
      // wrong
      ["agents/maker-liquidations/src/agent.e2e.ts", `import { quietActivity } from "../../maker-vat/scenario";`],
      ["shared/testing/harness.ts", `import { buildBots } from "../../scripts/build-bots";\nconst s = require("../../sink/main");`],
      ["shared/maker/x.ts", `import type { Agent } from "../../agents/maker-vat/src/agent";`],
      ["sink/store/queries.ts", `import { qualify } from "../incidents/qualify";`],
      ["sink/channels/slack/index.ts", `import { notify } from "../../routing/notify";`],
      ["sink/routing/worker.ts", `import { engine } from "../incidents/engine";`],
      ["sink/incidents/engine.ts", `import { validate } from "../intake/validate";`],
      ["sink/http/server.ts", `import { send } from "../channels/slack";`],
      ["sink/cli/index.ts", `import { worker } from "../routing/worker";`],
      ["sink/config/rules.ts", `import type { Incident } from "../incidents/engine";`],
      ["sink/model/incident.ts", `import { db } from "../store/db";`],
      ["sink/intake/runtime.ts", `import type { Sink } from "../main";`],
      ["sink/routing/policy.ts", `import { x } from "../../scripts/lib/options";`],
      // right
      ["agents/maker-vat/src/agent.ts", `import { a } from "./detector";\nimport { b } from "../../../shared/maker/chainlog";`],
      ["sink/intake/forta.ts", `import { db } from "../store/db";\nimport type { N } from "../model/notification";\nimport { rules } from "../config/rules";`],
      ["sink/incidents/engine2.ts", `import { q } from "../store/queries";\nimport { notify } from "../routing/notify";`],
      ["sink/routing/notify.ts", `import { slack } from "../channels/slack";`],
      ["sink/http/api.ts", `import { q } from "../store/queries";\nimport { resolveIncident } from "../incidents/engine";`],
      ["sink/main.ts", `import { a } from "./intake/runtime";\nimport { b } from "./channels/slack";\nimport { c } from "./http/server";`],
      ["sink/routing/worker.spec.ts", `import { openSink } from "../main";`],
      ["sink/cli/main.ts", `import { sinkCli } from "../main";`],
      ["sink/test/devnet.e2e.ts", `import { runDevnet } from "../../scripts/devnet/devnet";`],
      ["scripts/run.ts", `import { a } from "../agents/maker-vat/src/agent";\nimport { b } from "../sink/main";`],
      ["test/chain/x.ts", `import { c } from "../../scripts/devnet/world";`],
    ]);
    expect(brief(checkTree(tree)).sort()).toEqual(
      [
        "bot-imports-bot agents/maker-liquidations/src/agent.e2e.ts -> agents/maker-vat/scenario",
        "shared-imports-up shared/testing/harness.ts -> scripts/build-bots",
        "shared-imports-up shared/testing/harness.ts -> sink/main",
        "shared-imports-up shared/maker/x.ts -> agents/maker-vat/src/agent",
        "sink-direction sink/store/queries.ts -> sink/incidents/qualify",
        "sink-direction sink/channels/slack/index.ts -> sink/routing/notify",
        "sink-direction sink/routing/worker.ts -> sink/incidents/engine",
        "sink-direction sink/incidents/engine.ts -> sink/intake/validate",
        "sink-direction sink/http/server.ts -> sink/channels/slack",
        "sink-direction sink/cli/index.ts -> sink/routing/worker",
        "sink-direction sink/config/rules.ts -> sink/incidents/engine",
        "sink-direction sink/model/incident.ts -> sink/store/db",
        "sink-direction sink/intake/runtime.ts -> sink/main",
        "sink-imports-up sink/routing/policy.ts -> scripts/lib/options",
      ].sort(),
    );
  });

  it("reads a tree from disk the same way (a temp folder with one wrong import)", () => {
    const dir = mkdtempSync(join(tmpdir(), "vigil-arch-"));
    try {
      const put = (p: string, s: string) => {
        mkdirSync(dirname(join(dir, p)), { recursive: true });
        writeFileSync(join(dir, p), s);
      };
      put("agents/maker-psm/src/agent.ts", `import { x } from "../../maker-flash/src/detector";\n`);
      put("agents/maker-flash/src/detector.ts", `export const x = 1;\n`);
      put("agents/maker-flash/node_modules/dep/index.ts", `import "../../../maker-psm/src/agent";\n`);
      put("agents/maker-flash/dist/agent.ts", `import "../../maker-psm/src/agent";\n`);
      const tree = readTree(dir);
      expect([...tree.keys()].sort()).toEqual(["agents/maker-flash/src/detector.ts", "agents/maker-psm/src/agent.ts"]);
      expect(brief(checkTree(tree))).toEqual(["bot-imports-bot agents/maker-psm/src/agent.ts -> agents/maker-flash/src/detector"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("explains a violation with the file, the import and what to do", () => {
    const v = checkImport("agents/maker-psm/src/agent.ts", "agents/maker-vat/src/watch");
    expect(explain([v!])).toBe(
      "agents/maker-psm/src/agent.ts imports agents/maker-vat/src/watch [bot-imports-bot]: bot maker-psm imports bot maker-vat: move what both need to shared/ (library) or test/ (scenarios)",
    );
  });
});

describe("the repository's imports run the data's way", () => {
  const violations = checkTree(repo);

  it("reads the whole repository (every area the rules speak of)", () => {
    for (const area of ["agents/", "shared/", "scripts/", "sink/", "test/"]) expect([...repo.keys()].some((p) => p.startsWith(area))).toBe(true);
  });

  it("has no import the allow-list does not accept", () => {
    const { unexpected } = judge(violations, ALLOWED_IMPORTS);
    if (unexpected.length) throw new Error(`imports against the architecture (fix them, see test/architecture/imports.ts):\n${explain(unexpected)}`);
  });

  it("has no allow-list entry left that nothing needs (the list only shrinks)", () => {
    const { stale } = judge(violations, ALLOWED_IMPORTS);
    expect(stale.map((a) => `${a.rule} ${a.from} -> ${a.to}`)).toEqual([]);
  });

  it("gives a reason for every accepted import", () => {
    for (const a of ALLOWED_IMPORTS) expect(a.reason.length).toBeGreaterThan(20);
  });

  it("fails as soon as a wrong import is added to the repository", () => {
    const worse = new Map(repo);
    worse.set("agents/maker-vat/src/borrowed.ts", `import { createAgent } from "../../maker-oracles/src/agent";\n`);
    worse.set("shared/maker/leak.ts", `import { quietActivity } from "../../agents/maker-vat/scenario";\n`);
    worse.set("sink/store/leak.ts", `import { notify } from "../routing/notify";\n`);
    const before = new Set(brief(judge(violations, ALLOWED_IMPORTS).unexpected));
    const { unexpected } = judge(checkTree(worse), ALLOWED_IMPORTS);
    expect(brief(unexpected).filter((v) => !before.has(v))).toEqual([
      "bot-imports-bot agents/maker-vat/src/borrowed.ts -> agents/maker-oracles/src/agent",
      "shared-imports-up shared/maker/leak.ts -> agents/maker-vat/scenario",
      "sink-direction sink/store/leak.ts -> sink/routing/notify",
    ]);
  });
});

describe("no import cycles", () => {
  it("finds a cycle, type imports included (the devnet's old world -> parts -> world)", () => {
    const tree = new Map<string, string>([
      ["scripts/devnet/world.ts", `import { DEVNET_PARTS } from "./parts";\nexport interface DevnetWorld {}`],
      ["scripts/devnet/parts/index.ts", `import type { DevnetPart } from "../world";\nimport { l2Part } from "./l2";\nimport { makerGovernancePart } from "./maker-governance";`],
      ["scripts/devnet/parts/l2.ts", `import type { DevnetWorld } from "../world";\nimport { x } from "../../../shared/errors";`],
      ["scripts/devnet/parts/maker-governance.ts", `import type { DevnetPart } from "../world";`],
      ["shared/errors.ts", `export const x = 1;`],
      ["scripts/devnet/types.ts", `export interface DevnetWorld {}`],
    ]);
    expect(cyclesOf(tree)).toEqual([["scripts/devnet/parts/index.ts", "scripts/devnet/parts/l2.ts", "scripts/devnet/parts/maker-governance.ts", "scripts/devnet/world.ts"]]);
    // the fix on this branch: the types in their own file
    tree.set("scripts/devnet/parts/index.ts", `import type { DevnetPart } from "../types";\nimport { l2Part } from "./l2";\nimport { makerGovernancePart } from "./maker-governance";`);
    tree.set("scripts/devnet/parts/l2.ts", `import type { DevnetWorld } from "../types";`);
    tree.set("scripts/devnet/parts/maker-governance.ts", `import type { DevnetPart } from "../types";`);
    expect(cyclesOf(tree)).toEqual([]);
  });

  it("the repository has none beyond the allow-list, and the allow-list none too many", () => {
    const { unexpected, stale } = judgeCycles(cyclesOf(repo), ALLOWED_CYCLES);
    expect(unexpected.map((c) => c.join(" <-> "))).toEqual([]);
    expect(stale.map((a) => a.within.join(", "))).toEqual([]);
  });

  it("fails as soon as a cycle is added to the repository", () => {
    const worse = new Map(repo);
    worse.set("shared/maker/chainlog.ts", `import { x } from "./loop";\n${repo.get("shared/maker/chainlog.ts")}`);
    worse.set("shared/maker/loop.ts", `import { AddressBook } from "./chainlog";\nexport const x = 1;`);
    expect(judgeCycles(cyclesOf(worse), ALLOWED_CYCLES).unexpected).toEqual([["shared/maker/chainlog.ts", "shared/maker/loop.ts"]]);
  });
});

describe(`no source file grows past ${MAX_LINES} lines without a reason`, () => {
  it("finds the long files, and leaves out fixtures, generated files and files that say why at their top", () => {
    const long = "x;\n".repeat(MAX_LINES + 1);
    const tree = new Map<string, string>([
      ["agents/maker-x/src/agent.ts", long],
      ["agents/maker-x/src/short.ts", "x;\n".repeat(MAX_LINES)],
      ["agents/maker-x/test/fixtures/chain.ts", long],
      ["shared/abi/generated.ts", `// @generated by scripts/abi.ts: do not edit\n${long}`],
      ["shared/big.ts", `/**\n * The one table of every alert.\n * Long file: one row per alert, read as a table\n */\n${long}`],
    ]);
    expect(longFiles(tree)).toEqual([{ path: "agents/maker-x/src/agent.ts", lines: MAX_LINES + 1 }]);
  });

  it(`every file past ${MAX_LINES} lines in the repository is on the allow-list, with a reason`, () => {
    const listed = new Set(ALLOWED_LONG_FILES.map((f) => f.path));
    const offenders = longFiles(repo).filter((f) => !listed.has(f.path));
    expect(offenders.map((f) => `${f.path} (${f.lines} lines): split it, or write "Long file: <why>" at its top`)).toEqual([]);
    for (const f of ALLOWED_LONG_FILES) expect(f.reason).toMatch(/\S{3,}/);
  });

  it("no file on the allow-list grows past its ceiling", () => {
    const over = ALLOWED_LONG_FILES.filter((f) => repo.has(f.path) && lineCount(repo.get(f.path)!) > f.ceiling);
    expect(over.map((f) => `${f.path}: ${lineCount(repo.get(f.path)!)} lines, ceiling ${f.ceiling}`)).toEqual([]);
  });

  it("the allow-list names no file that no longer needs it (the list only shrinks)", () => {
    const long = new Set(longFiles(repo).map((f) => f.path));
    const stale = ALLOWED_LONG_FILES.filter((f) => !f.arrivesWith && !long.has(f.path));
    expect(stale.map((f) => `${f.path}: now within ${MAX_LINES} lines or says why at its top; remove it from test/architecture/allow-list.ts`)).toEqual([]);
  });
});
