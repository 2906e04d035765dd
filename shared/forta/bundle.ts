/**
 * Bundling a bot into the one file the real `forta-agent` CLI loads (it reads `outDir` from the
 * bot's tsconfig.json: `agents/<bot>/dist/agent.js`) and the bot's Docker image runs. The shared
 * library and bignumber.js go inside; only forta-agent (which brings ethers v5) stays external,
 * installed in the image.
 *
 * Here, not in scripts/, because both `npm run build:bots` (scripts/build-bots.ts) and the test
 * harness that runs a bot under the CLI (shared/testing/forta-cli.ts) need it, and shared/ must
 * not import scripts/ (test/architecture.spec.ts).
 */
import { build } from "esbuild";
import { join } from "path";

export const BOT_EXTERNALS = ["forta-agent"];

/** Bundles `<dir>/src/agent.ts` into `<dir>/dist/agent.js` and returns that path. */
export async function buildBot(dir: string): Promise<string> {
  const outfile = join(dir, "dist", "agent.js");
  await build({
    entryPoints: [join(dir, "src", "agent.ts")],
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: true,
    external: BOT_EXTERNALS,
    logLevel: "warning",
  });
  return outfile;
}
