/**
 * forta-agent's SDK, each export loaded from forta-agent's own file the first time it is used:
 * what `require("forta-agent")` returns inside the compiled `vigil` command (dist/vigil.js; its
 * entry, written by scripts/build.ts, calls `useLazyFortaSdk()` before anything else loads).
 *
 * forta-agent's index (dist/sdk/index.js) loads, when required, the forta-agent CLI's dependency
 * container (gRPC, protobufjs, awilix, keythereum, secp256k1, python-shell ...) for
 * `configureContainer`, and the Forta API helpers: ~200 ms of CPU (0.3-0.7 s wall on a busy box)
 * at every start, none of it used by the runtime. It is required by our code, by the bots, and by
 * forta-agent's own cli/utils (the runtime's createBlockEvent/createTransactionEvent), so the
 * lazy object takes the index's place in Node's module cache. The files behind it are
 * forta-agent's own, so `Finding`, `BlockEvent` ... are the very classes the CLI uses, and a bot
 * runs unchanged. From the sources (tsx, jest) and in the per-bot bundles nothing changes.
 */
/* eslint-disable @typescript-eslint/no-var-requires -- each export is required when first read */
import Module, { createRequire } from "module";

type Exports = Record<string, unknown>;

/** forta-agent 0.1.48's dist/sdk/index.js: export name -> the file of dist/sdk that defines it */
const FORTA_SDK_EXPORTS: Readonly<Record<string, string>> = {
  Finding: "finding",
  FindingSeverity: "finding",
  FindingType: "finding",
  Label: "label",
  EntityType: "label",
  BlockEvent: "block.event",
  TransactionEvent: "transaction.event",
  AlertEvent: "alert.event",
  Alert: "alert",
  EventType: "event.type",
  Network: "network",
  getJsonRpcUrl: "utils",
  createTransactionEvent: "utils",
  createBlockEvent: "utils",
  createAlertEvent: "utils",
  getEthersProvider: "utils",
  getEthersBatchProvider: "utils",
  keccak256: "utils",
  setPrivateFindings: "utils",
  isPrivateFindings: "utils",
  getTransactionReceipt: "utils",
  getChainId: "utils",
  getBotOwner: "utils",
  getBotId: "utils",
  filterLog: "utils",
  BloomFilter: "bloom.filter",
  getAlerts: "alerts.api",
  sendAlerts: "alerts.api",
  fetchJwt: "jwt",
  decodeJwt: "jwt",
  verifyJwt: "jwt",
  MOCK_JWT: "jwt",
  ethers: "ethers",
  configureContainer: "(built)",
  getLabels: "(built)",
};

/** The exports of forta-agent's SDK index, each loaded when first read (`from`: where forta-agent is resolved). */
export function lazyFortaSdk(from: string = __filename): Exports {
  const index = createRequire(from).resolve("forta-agent");
  const fromSdk = createRequire(index); // resolves like the index itself: its files, its ethers, its axios
  const target: Exports = {};
  Object.defineProperty(target, "__esModule", { value: true });
  // the two the index builds itself, built the same way
  const built: Record<string, () => unknown> = {
    configureContainer: () => {
      const container = (fromSdk("../cli/di.container") as { default: (args: object) => unknown }).default;
      return (args: object = {}) => container(args);
    },
    getLabels: () => {
      const axios = fromSdk("axios") as { default?: unknown };
      const api = fromSdk("./labels.api") as { provideGetLabels: (axios: unknown) => unknown };
      return api.provideGetLabels(axios.default ?? axios);
    },
  };
  for (const [name, file] of Object.entries(FORTA_SDK_EXPORTS)) {
    const load = (): unknown => {
      if (file === "(built)") return built[name]!();
      if (file === "ethers") return (fromSdk("ethers") as Exports).ethers;
      return (fromSdk(`./${file}`) as Exports)[name];
    };
    Object.defineProperty(target, name, {
      enumerable: true,
      configurable: true,
      get() {
        const value = load();
        // read once: later reads are a plain property
        Object.defineProperty(target, name, { enumerable: true, configurable: true, writable: false, value });
        return value;
      },
    });
  }
  return target;
}

/**
 * Put the lazy SDK in Node's module cache in place of forta-agent's index, for every later
 * `require("forta-agent")` (ours, the bots', forta-agent's own files). Does nothing if the index
 * is already loaded.
 */
export function useLazyFortaSdk(from: string = __filename): void {
  const index = createRequire(from).resolve("forta-agent");
  if (require.cache[index]) return;
  const mod = new Module(index);
  mod.filename = index;
  mod.loaded = true;
  mod.exports = lazyFortaSdk(from);
  require.cache[index] = mod;
}
