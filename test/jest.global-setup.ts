/**
 * Jest globalSetup: compile the Solidity test contracts once, before the workers start, so that
 * each worker only reads the cache (test/contracts/.cache/). A compile error fails the run here,
 * with solc's messages, instead of in every test that deploys a contract.
 */
import { compileContracts } from "./chain/compile";

export default function globalSetup(): void {
  const started = Date.now();
  (globalThis as { __VIGIL_RUN_STARTED__?: number }).__VIGIL_RUN_STARTED__ = started;
  for (const compiler of ["solc", "solc-0.4"] as const) {
    const t0 = Date.now();
    const { artifacts, cached } = compileContracts({ compiler });
    if (!cached) {
      const n = Object.keys(artifacts).length;
      process.stderr.write(`\n[vigil] compiled ${n} test contracts with ${compiler} in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    }
  }
}
