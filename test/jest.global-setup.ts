/**
 * Jest globalSetup: compile the Solidity test contracts once, before the workers start, so that
 * each worker only reads the cache (test/contracts/.cache/). A compile error fails the run here,
 * with solc's messages, instead of in every test that deploys a contract.
 *
 * It also creates this run's own directory for the pids of the anvils its tests start
 * (VIGIL_TEST_PIDS_DIR, inherited by the workers and by every process a test spawns; see
 * test/chain/anvil.ts): the globalTeardown checks those processes and no others.
 *
 * And the run's own temporary folder: TMPDIR points into the run's directory, so whatever the
 * tests and the processes they start put in os.tmpdir() (sink stores, state files, anvil homes,
 * browser profiles; some 40 MB each) is removed with it by the globalTeardown, even when a test
 * fails before its own clean-up.
 */
import { mkdirSync, mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { compileContracts } from "./chain/compile";

export default function globalSetup(): void {
  const started = Date.now();
  const runDir = mkdtempSync(join(tmpdir(), `vigil-jest-${process.pid}-`));
  process.env.VIGIL_TEST_RUN_DIR = runDir;
  process.env.VIGIL_TEST_PIDS_DIR = join(runDir, "pids");
  process.env.TMPDIR = join(runDir, "tmp");
  mkdirSync(process.env.VIGIL_TEST_PIDS_DIR);
  mkdirSync(process.env.TMPDIR);
  for (const compiler of ["solc", "solc-0.4"] as const) {
    const t0 = Date.now();
    const { artifacts, cached } = compileContracts({ compiler });
    if (!cached) {
      const n = Object.keys(artifacts).length;
      process.stderr.write(`\n[vigil] compiled ${n} test contracts with ${compiler} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    }
  }
}
