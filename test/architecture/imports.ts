/**
 * The import-direction checker behind test/architecture.spec.ts (issue 14, "let a test hold it").
 *
 * It reads the imports of every TypeScript file with TypeScript's own pre-processor
 * (`ts.preProcessFile`: static `import`/`export ... from`, `import type`, `require(...)` and
 * `import(...)`), resolves the relative ones to repository paths, and checks them against the
 * rules below. Package imports (`forta-agent`, `ethers`, ...) are not checked.
 *
 * The rules (each violation names the rule, the importing file and the imported path):
 *   - bot-imports-bot:   a file under agents/<a>/ imports agents/<b>/ (b != a); a bot is a folder
 *                        a reader takes in whole, so what two bots share lives in shared/ (library)
 *                        or test/ (scenarios, chains);
 *   - shared-imports-up: shared/ imports agents/, scripts/ or sink/ (the library serves them all);
 *   - sink-imports-up:   sink/ imports agents/ or scripts/ (its tests, *.spec.ts, *.e2e.ts and
 *                        sink/test/, may drive scripts/ as test/ does);
 *   - sink-direction:    a sink stage imports against the data's way. The stages, in the data's
 *                        order: intake -> store -> incidents -> routing -> channels. A stage may
 *                        import itself, model/ and config/ (the vocabulary every stage shares),
 *                        store/ (the only SQL: each stage reads what the one before it wrote and
 *                        writes its own tables), and stages after it (it hands data on); never a
 *                        stage before it, nor the wiring (sink/main.ts). model/ imports only
 *                        model/; config/ only model/ and config/; store/ only model/ and config/.
 *                        http/ and cli/ only read the store and send commands to incidents/ (plus
 *                        model/, config/). sink/main.ts, sink/bench.ts, sink/test/ and test files
 *                        (*.spec.ts, *.e2e.ts) wire or exercise the stages and may import any;
 *                        so does sink/cli/main.ts, the `vigil sink` process entry (it only loads
 *                        .env and hands argv to the commands main.ts wires).
 *
 * And no import cycles (cyclesOf): files that import each other, even for types only, are one
 * room with several doors (scripts/devnet had world -> parts/index -> parts/l2 -> world).
 */
import { readdirSync, readFileSync, statSync } from "fs";
import { posix, join } from "path";
import * as ts from "typescript";

export type Rule = "bot-imports-bot" | "shared-imports-up" | "sink-imports-up" | "sink-direction";

export interface Violation {
  rule: Rule;
  /** the importing file, relative to the repository root, with forward slashes */
  from: string;
  /** the imported path as resolved (relative to the root, no extension added) */
  to: string;
  /** what the rule says, for the failure message */
  why: string;
}

/** An accepted violation: file and import as in `Violation`, and why it stays for now. */
export interface Allowed {
  rule: Rule;
  from: string;
  to: string;
  reason: string;
  /**
   * The branch in flight that brings this import: the entry may match nothing until that branch
   * is merged (then drop the mark, so the entry must match or go).
   */
  arrivesWith?: string;
}

/** The relative module specifiers a file imports, in source order (packages left out). */
export function importsOf(source: string): string[] {
  const info = ts.preProcessFile(source, true, true);
  return info.importedFiles.map((f) => f.fileName).filter((s) => s.startsWith("./") || s.startsWith("../"));
}

/** Resolves `spec` imported from `file` (both root-relative, forward slashes) to a root-relative path. */
export function resolveImport(file: string, spec: string): string {
  return posix.normalize(posix.join(posix.dirname(file), spec)).replace(/\/$/, "");
}

/** The sink stages in the data's order; the index is the position along the way. */
export const SINK_STAGES = ["intake", "store", "incidents", "routing", "channels"] as const;
const READ_SIDE = ["http", "cli"];
const VOCABULARY = ["model", "config"];

const isTestFile = (p: string) => /\.(spec|e2e)\.ts$/.test(p);

/** What part of the sink a path belongs to: a stage/folder name, "main", "bench", "test", or a file name. */
function sinkPart(p: string): string {
  const parts = p.split("/");
  if (parts.length === 2) return parts[1]!.replace(/\.ts$/, "");
  return parts[1]!;
}

/** Process entries that only wire (listed by path: a new one is a decision, not a folder name). */
const SINK_ENTRIES = ["sink/cli/main.ts"];

function sinkRule(from: string, to: string): string | undefined {
  if (isTestFile(from) || SINK_ENTRIES.includes(from)) return undefined;
  const a = sinkPart(from);
  const b = sinkPart(to);
  if (a === b) return undefined;
  if (["main", "bench", "test"].includes(a)) return undefined;
  if (b === "main") return `a sink stage (${a}/) must not import the wiring (sink/main.ts): main.ts imports the stages, not the other way round`;
  if (a === "model") return "model/ holds plain types: it imports only model/";
  if (a === "config" && b !== "model") return `config/ is imported by every stage, so it imports only model/ (not ${b}/)`;
  if (a === "store" && !VOCABULARY.includes(b)) return `store/ is the only SQL and sits below the stages: it imports only model/ and config/ (not ${b}/)`;
  if (READ_SIDE.includes(a)) {
    if ([...VOCABULARY, "store", "incidents"].includes(b)) return undefined;
    return `${a}/ only reads the store and sends commands to incidents/ (not ${b}/)`;
  }
  if (VOCABULARY.includes(b) || b === "store") return undefined;
  const ia = SINK_STAGES.indexOf(a as (typeof SINK_STAGES)[number]);
  const ib = SINK_STAGES.indexOf(b as (typeof SINK_STAGES)[number]);
  if (ia < 0) return `${a}/ is not a known sink stage: add it to SINK_STAGES (in the data's order) or to the read side`;
  if (ib < 0) return `${b}/ is not a known sink stage: a stage may import only stages, model/, config/`;
  if (ib < ia) return `against the data's way (${SINK_STAGES.join(" -> ")}): ${a}/ must not import ${b}/, which comes before it`;
  return undefined;
}

/** Checks one import (both paths root-relative); returns the violation, if any. */
export function checkImport(from: string, to: string): Violation | undefined {
  const [fa, fb] = from.split("/");
  const [ta, tb] = to.split("/");
  if (fa === "agents" && ta === "agents" && fb !== tb) {
    return { rule: "bot-imports-bot", from, to, why: `bot ${fb} imports bot ${tb}: move what both need to shared/ (library) or test/ (scenarios)` };
  }
  if (fa === "shared" && ["agents", "scripts", "sink"].includes(ta!)) {
    return { rule: "shared-imports-up", from, to, why: `shared/ serves bots, scripts and the sink, so it must not import ${ta}/` };
  }
  if (fa === "sink" && ["agents", "scripts"].includes(ta!) && !(isTestFile(from) || fb === "test")) {
    return { rule: "sink-imports-up", from, to, why: `the sink must not import ${ta}/: what both need belongs in shared/` };
  }
  if (fa === "sink" && ta === "sink") {
    const why = sinkRule(from, to);
    if (why) return { rule: "sink-direction", from, to, why };
  }
  return undefined;
}

/** Every violation in a tree given as root-relative path -> source text. */
export function checkTree(files: ReadonlyMap<string, string>): Violation[] {
  const out: Violation[] = [];
  for (const [from, source] of files) {
    for (const spec of importsOf(source)) {
      const v = checkImport(from, resolveImport(from, spec));
      if (v) out.push(v);
    }
  }
  return out;
}

/** The areas the rules speak of. */
export const CHECKED_DIRS = ["agents", "shared", "scripts", "sink", "test"];

/** Reads every .ts file under the checked folders of `root` (node_modules and dist left out). */
export function readTree(root: string, dirs: readonly string[] = CHECKED_DIRS): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel)).sort()) {
      if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
      const child = rel ? `${rel}/${name}` : name;
      const st = statSync(join(root, child));
      if (st.isDirectory()) walk(child);
      else if (name.endsWith(".ts") && !name.endsWith(".d.ts")) files.set(child, readFileSync(join(root, child), "utf8"));
    }
  };
  for (const d of dirs) {
    try {
      statSync(join(root, d));
    } catch {
      continue;
    }
    walk(d);
  }
  return files;
}

const key = (v: { rule: Rule; from: string; to: string }) => `${v.rule} ${v.from} -> ${v.to}`;

/**
 * Splits violations into those the allow-list accepts and those it does not, and names the
 * allow-list entries that no longer match anything (so the list only ever shrinks).
 */
export function judge(violations: readonly Violation[], allowed: readonly Allowed[]): { unexpected: Violation[]; stale: Allowed[] } {
  const allowedKeys = new Set(allowed.map(key));
  const seen = new Set(violations.map(key));
  return {
    unexpected: violations.filter((v) => !allowedKeys.has(key(v))),
    stale: allowed.filter((a) => !seen.has(key(a)) && !a.arrivesWith),
  };
}

/** One line per violation, for a failure message a reader can act on. */
export function explain(vs: readonly Violation[]): string {
  return vs.map((v) => `${v.from} imports ${v.to} [${v.rule}]: ${v.why}`).join("\n");
}

/** The file an import names, if it is in the tree: `x.ts` or `x/index.ts`. */
function fileOf(tree: ReadonlyMap<string, string>, path: string): string | undefined {
  return [path, `${path}.ts`, `${path}/index.ts`].find((p) => tree.has(p));
}

/**
 * Import cycles: each group of two or more files that reach one another through imports (type
 * imports included), as a sorted list of paths; groups sorted by their first path.
 */
export function cyclesOf(tree: ReadonlyMap<string, string>): string[][] {
  const graph = new Map<string, string[]>();
  for (const [from, source] of tree) {
    const to = importsOf(source).map((spec) => fileOf(tree, resolveImport(from, spec)));
    graph.set(from, to.filter((t): t is string => t !== undefined));
  }
  // Tarjan's strongly connected components, iterative (deep import chains must not overflow the stack)
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const groups: string[][] = [];
  for (const root of graph.keys()) {
    if (index.has(root)) continue;
    const work: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1]!;
      const edges = graph.get(top.node)!;
      if (top.next < edges.length) {
        const w = edges[top.next++]!;
        if (!index.has(w)) {
          index.set(w, counter);
          low.set(w, counter++);
          stack.push(w);
          onStack.add(w);
          work.push({ node: w, next: 0 });
        } else if (onStack.has(w)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(w)!));
        }
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1]!.node;
        low.set(parent, Math.min(low.get(parent)!, low.get(top.node)!));
      }
      if (low.get(top.node) === index.get(top.node)) {
        const group: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          group.push(w);
        } while (w !== top.node);
        if (group.length > 1) groups.push(group.sort());
      }
    }
  }
  return groups.sort((a, b) => a[0]!.localeCompare(b[0]!));
}

/** An accepted cycle: every file of the group lies under one of `within` (folders or files, no extension). */
export interface AllowedCycle {
  within: string[];
  reason: string;
  /** the branch in flight that brings the cycle: the entry may match nothing until it is merged */
  arrivesWith?: string;
}

const under = (path: string, prefix: string) => path === `${prefix}.ts` || path.startsWith(`${prefix}/`);

/** The cycles no allow-list entry accepts, and the entries that accept no cycle. */
export function judgeCycles(cycles: readonly string[][], allowed: readonly AllowedCycle[]): { unexpected: string[][]; stale: AllowedCycle[] } {
  const accepts = (a: AllowedCycle, c: readonly string[]) => c.every((p) => a.within.some((w) => under(p, w)));
  return {
    unexpected: cycles.filter((c) => !allowed.some((a) => accepts(a, c))),
    stale: allowed.filter((a) => !a.arrivesWith && !cycles.some((c) => accepts(a, c))),
  };
}
