/**
 * Compiles every Solidity file in test/contracts/ with solc-js in one standard-JSON run and
 * caches the ABIs and bytecode under test/contracts/.cache/, keyed by a hash of all sources,
 * the compiler version and the settings. A second run with unchanged sources reads one JSON
 * file instead of compiling (compiling takes tens of seconds on a 2-core machine).
 *
 * Used by test/jest.global-setup.ts (compiles once before the jest workers start) and by
 * `artifact(name)` (reads the cache, compiling first if it is missing or stale).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { VigilError } from "../../shared/errors";
import { REPO_ROOT } from "../../shared/runtime/bundled";

export const CONTRACTS_DIR = join(REPO_ROOT, "test", "contracts");

/**
 * The ds-note look-alikes (DSToken, DSChief, DSPause, DSValue) as the 2017-2019 mainnet ones
 * were built: solc 0.4.26 (npm alias `solc-0.4`). Their notes carry `fax` unpadded. Artifacts of
 * this set are named with the prefix `solc-0.4:` (`artifact("solc-0.4:DSChief")`).
 */
export const LEGACY_CONTRACTS_DIR = join(CONTRACTS_DIR, "solc-0.4");
export const LEGACY_PREFIX = "solc-0.4:";

/**
 * Optimizer off: on a loaded 2-core machine solc-js compiled all of test/contracts/ in ~9 s
 * without it, ~16-21 s with runs=200 and ~12 s with runs=1, while deployMaker took the same
 * ~4-5 s either way (anvil does not care about gas). The largest runtime code (Clipper) is 16 KB
 * unoptimised, well under the 24 KB limit. viaIR stays off: it is slower still.
 * Measurements: test/chain/README.md.
 */
export const SOLC_SETTINGS = {
  optimizer: { enabled: false },
  evmVersion: "cancun",
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
} as const;

/** solc 0.4.26 knows no evm version past byzantium/constantinople; byzantium is what 2017-2019 used. */
export const SOLC_04_SETTINGS = {
  optimizer: { enabled: false },
  evmVersion: "byzantium",
  outputSelection: { "*": { "*": ["abi", "evm.bytecode.object"] } },
} as const;

export type CompilerName = "solc" | "solc-0.4";

interface Compiler {
  /** npm package name (solc-0.4 is an alias of solc@0.4.26) */
  pkg: CompilerName;
  settings: object;
  load(): { version(): string; compile(input: string): string };
}

const COMPILERS: Record<CompilerName, Compiler> = {
  // solc's soljson is a large emscripten module: load it only when a compile is really needed.
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  solc: { pkg: "solc", settings: SOLC_SETTINGS, load: () => require("solc") },
  "solc-0.4": {
    pkg: "solc-0.4",
    settings: SOLC_04_SETTINGS,
    load: () => {
      // solc-js 0.4's compile(string) is the legacy interface; standard JSON is compileStandardWrapper
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const s = require("solc-0.4") as { version(): string; compileStandardWrapper(input: string): string };
      return { version: () => s.version(), compile: (input: string) => s.compileStandardWrapper(input) };
    },
  },
};

/** An ABI as solc emits it (JSON fragments, usable with ethers' Interface / ContractFactory). */
export type AbiJson = ReadonlyArray<Record<string, unknown>>;

export interface Artifact {
  /** Contract name as written in Solidity (unique across test/contracts/). */
  name: string;
  /** Source file, relative to test/contracts/. */
  source: string;
  abi: AbiJson;
  /** Creation bytecode, 0x-prefixed. Empty ("0x") for interfaces and abstract contracts. */
  bytecode: string;
}

interface CacheFile {
  key: string;
  solcVersion: string;
  artifacts: Record<string, Artifact>;
}

/** solc failed: the message carries every error solc reported, formatted as solc prints them. */
export class SolidityCompileError extends VigilError<"SOLC"> {
  constructor(dir: string, readonly messages: string[]) {
    super("SOLC", `Solidity compilation of ${dir} failed with ${messages.length} error(s); fix the sources:\n\n${messages.join("\n")}`);
  }
}

/** Asked for a contract that no source in test/contracts/ defines. */
export class UnknownArtifactError extends VigilError<"ARTIFACT"> {
  constructor(name: string, known: string[]) {
    super("ARTIFACT", `no contract named ${JSON.stringify(name)} in test/contracts/ (known: ${known.join(", ")}); check the name or add the source`);
  }
}

/** The version of the installed compiler package, read without loading the compiler itself. */
function solcPackageVersion(c: Compiler): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require(`${c.pkg}/package.json`) as { version: string }).version;
}

function readSources(dir: string): Record<string, string> {
  if (!existsSync(dir)) return {};
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".sol"))
    .sort();
  const sources: Record<string, string> = {};
  for (const f of files) sources[f] = readFileSync(join(dir, f), "utf8");
  return sources;
}

function cacheKey(sources: Record<string, string>, c: Compiler): string {
  const h = createHash("sha256");
  h.update(`solc ${solcPackageVersion(c)}\n`);
  h.update(JSON.stringify(c.settings));
  for (const [name, text] of Object.entries(sources)) h.update(`\n--- ${name}\n${text}`);
  return h.digest("hex").slice(0, 32);
}

const cachePath = (cacheDir: string, key: string): string => join(cacheDir, `artifacts-${key}.json`);

function readCache(cacheDir: string, key: string): CacheFile | undefined {
  const p = cachePath(cacheDir, key);
  if (!existsSync(p)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(p, "utf8")) as CacheFile;
    return parsed.key === key ? parsed : undefined;
  } catch {
    return undefined; // a torn or foreign file: recompile and overwrite
  }
}

/** Write atomically (rename), so concurrent jest workers never read half a file; drop stale caches. */
function writeCache(cacheDir: string, file: CacheFile): void {
  mkdirSync(cacheDir, { recursive: true });
  const tmp = join(cacheDir, `.tmp-${process.pid}-${Date.now()}.json`);
  writeFileSync(tmp, JSON.stringify(file));
  renameSync(tmp, cachePath(cacheDir, file.key));
  for (const f of readdirSync(cacheDir)) {
    if (f.startsWith("artifacts-") && f !== `artifacts-${file.key}.json`) rmSync(join(cacheDir, f), { force: true });
  }
}

interface SolcOutput {
  errors?: Array<{ severity: string; formattedMessage?: string; message: string }>;
  contracts?: Record<string, Record<string, { abi: AbiJson; evm: { bytecode: { object: string } } }>>;
}

function runSolc(sources: Record<string, string>, dirLabel: string, c: Compiler): { artifacts: Record<string, Artifact>; solcVersion: string } {
  if (Object.keys(sources).length === 0) return { artifacts: {}, solcVersion: solcPackageVersion(c) }; // solc rejects an empty input
  const solc = c.load();
  const input = {
    language: "Solidity",
    sources: Object.fromEntries(Object.entries(sources).map(([name, content]) => [name, { content }])),
    settings: c.settings,
  };
  const out = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (out.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new SolidityCompileError(dirLabel, errors.map((e) => e.formattedMessage ?? e.message));

  const artifacts: Record<string, Artifact> = {};
  for (const [source, contracts] of Object.entries(out.contracts ?? {})) {
    for (const [name, c] of Object.entries(contracts)) {
      if (artifacts[name]) {
        throw new SolidityCompileError(dirLabel, [
          `contract name ${name} is defined in both ${artifacts[name].source} and ${source}; names must be unique so artifact(name) is unambiguous`,
        ]);
      }
      artifacts[name] = { name, source, abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
    }
  }
  return { artifacts, solcVersion: solc.version() };
}

export interface CompileResult {
  artifacts: Record<string, Artifact>;
  /** True when the cache answered and solc was not run. */
  cached: boolean;
  key: string;
}

export interface CompileOptions {
  /** Ignore the cache and run solc. */
  force?: boolean;
  /** Sources directory (default test/contracts/); for the compile step's own tests. */
  dir?: string;
  /** Cache directory (default <dir>/.cache/). */
  cacheDir?: string;
  /** Which compiler (default "solc", the 0.8 one; "solc-0.4" for test/contracts/solc-0.4/). */
  compiler?: CompilerName;
}

const memo = new Map<string, CompileResult>();

/**
 * Compile every .sol in test/contracts/ (or `dir`), or read the cache when nothing changed.
 * Synchronous on purpose: solc-js is synchronous anyway, and callers stay simple.
 */
export function compileContracts(opts: CompileOptions = {}): CompileResult {
  const compiler = COMPILERS[opts.compiler ?? "solc"];
  const dir = opts.dir ?? (compiler.pkg === "solc-0.4" ? LEGACY_CONTRACTS_DIR : CONTRACTS_DIR);
  // the 0.4 set caches under test/contracts/.cache/solc-0.4/ (ignored by git with the rest)
  const cacheDir = opts.cacheDir ?? (dir === LEGACY_CONTRACTS_DIR ? join(CONTRACTS_DIR, ".cache", "solc-0.4") : join(dir, ".cache"));
  const sources = readSources(dir);
  const key = cacheKey(sources, compiler);
  const known = memo.get(cacheDir);
  if (!opts.force && known?.key === key) return { ...known, cached: true };
  const hit = opts.force ? undefined : readCache(cacheDir, key);
  let result: CompileResult;
  if (hit) {
    result = { artifacts: hit.artifacts, cached: true, key };
  } else {
    const label = dir === CONTRACTS_DIR ? "test/contracts/" : dir === LEGACY_CONTRACTS_DIR ? "test/contracts/solc-0.4/" : dir;
    const { artifacts, solcVersion } = runSolc(sources, label, compiler);
    writeCache(cacheDir, { key, solcVersion, artifacts });
    result = { artifacts, cached: false, key };
  }
  memo.set(cacheDir, result);
  return result;
}

/**
 * ABI and creation bytecode of one contract from test/contracts/, or from test/contracts/solc-0.4/
 * (built with solc 0.4.26) when the name starts with `solc-0.4:`.
 */
export function artifact(name: string): Artifact {
  const legacy = name.startsWith(LEGACY_PREFIX);
  const { artifacts } = compileContracts(legacy ? { compiler: "solc-0.4" } : {});
  const a = artifacts[legacy ? name.slice(LEGACY_PREFIX.length) : name];
  if (!a) throw new UnknownArtifactError(name, Object.keys(artifacts).sort().map((n) => (legacy ? LEGACY_PREFIX + n : n)));
  return a;
}
