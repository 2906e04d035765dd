/**
 * What the compiled `vigil` command (dist/vigil.js, built by scripts/build.ts) carries inside:
 * the bots of agents/ and their devnet scenes, compiled in, so that production runs plain
 * JavaScript (no TypeScript loader at run time). From the sources (tsx, jest) there is no bundle
 * and bots are required from agents/<bot>/src/agent.ts as before.
 */
import { existsSync, readFileSync } from "fs";
import { dirname, join } from "path";

export interface Bundle {
  /** bot folder name -> its agent module */
  bots: Record<string, () => unknown>;
  /** bot folder name -> its devnet.ts module (bots that have one) */
  scenes: Record<string, () => unknown>;
}

/** The bundle the compiled command was built with; undefined when running from the sources. */
export function bundle(): Bundle | undefined {
  return (globalThis as { __VIGIL_BUNDLE__?: Bundle }).__VIGIL_BUNDLE__;
}

/** True for a script run as the program itself (not when bundled into dist/vigil.js, where every file shares one module). */
export function isEntryPoint(mod: NodeModule): boolean {
  return bundle() === undefined && require.main === mod;
}

/** The repository root (the folder of the package.json named "vigil"), from the sources or from dist/. */
export const REPO_ROOT: string = (() => {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "vigil") return dir;
      } catch {
        /* not ours: keep looking */
      }
    }
    if (dirname(dir) === dir) return join(__dirname, "..", "..");
  }
})();
