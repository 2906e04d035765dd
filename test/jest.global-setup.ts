/**
 * Jest globalSetup: compile the Solidity test contracts once, before the workers start, so that
 * each worker only reads the cache (test/contracts/.cache/). A compile error fails the run here,
 * with solc's messages, instead of in every test that deploys a contract.
 */
import { compileContracts } from "./chain/compile";

export default function globalSetup(): void {
  const started = Date.now();
  (globalThis as { __VIGIL_RUN_STARTED__?: number }).__VIGIL_RUN_STARTED__ = started;
  const { artifacts, cached } = compileContracts();
  if (!cached) {
    const n = Object.keys(artifacts).length;
    process.stderr.write(`\n[vigil] compiled ${n} test contracts in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  }
}
