/**
 * `npm run build` (also run by `npm ci` / `npm install` through "prepare"): compile the `vigil`
 * command into one JavaScript file, dist/vigil.js, with every bot of agents/ and its devnet
 * scenes inside, so that production runs it with plain node (no TypeScript loader at run time).
 * Packages under node_modules stay outside the bundle (they are installed beside it).
 */
import { build } from "esbuild";
import { chmodSync, existsSync, readdirSync } from "fs";
import { join } from "path";

const ROOT = join(__dirname, "..");

export async function buildVigil(outfile = join(ROOT, "dist", "vigil.js")): Promise<string> {
  const bots = readdirSync(join(ROOT, "agents"), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(ROOT, "agents", d.name, "src", "agent.ts")))
    .map((d) => d.name)
    .sort();
  const row = (name: string, file: string) => `  ${JSON.stringify(name)}: () => require(${JSON.stringify(file)}),`;
  const entry = [
    // before anything requires forta-agent: its SDK index without the CLI's gRPC container (shared/forta/sdk-lazy.ts)
    'require("./shared/forta/sdk-lazy.ts").useLazyFortaSdk(__filename);',
    "globalThis.__VIGIL_BUNDLE__ = {",
    " bots: {",
    ...bots.map((b) => row(b, `./agents/${b}/src/agent.ts`)),
    " },",
    " scenes: {",
    ...bots.filter((b) => existsSync(join(ROOT, "agents", b, "devnet.ts"))).map((b) => row(b, `./agents/${b}/devnet.ts`)),
    " },",
    "};",
    "globalThis.__VIGIL_MAIN__ = true;",
    'require("./scripts/vigil.ts");',
  ].join("\n");
  await build({
    stdin: { contents: entry, resolveDir: ROOT, sourcefile: "vigil-entry.js", loader: "js" },
    outfile,
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    packages: "external",
    sourcemap: true,
    banner: { js: "#!/usr/bin/env node" },
    logLevel: "warning",
  });
  chmodSync(outfile, 0o755);
  return outfile;
}

if (require.main === module) {
  buildVigil().then(
    (out) => process.stderr.write(`built ${out}\n`),
    (err: unknown) => {
      process.stderr.write(`build failed: ${(err as Error).message}\n`);
      process.exit(1);
    },
  );
}
