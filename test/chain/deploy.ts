/**
 * Deploying and attaching the compiled test contracts with ethers v5.
 */
import { ethers } from "forta-agent";
import { artifact } from "./compile";

const interfaces = new Map<string, ethers.utils.Interface>();

/**
 * The ethers Interface of a compiled contract, built once per process. ethers v5 warns
 * ("Duplicate definition of File") for overloaded events, which mainnet contracts have on
 * purpose (File(bytes32,uint256) and File(bytes32,address)); the warning is silenced while building.
 */
export function contractInterface(name: string): ethers.utils.Interface {
  let iface = interfaces.get(name);
  if (!iface) {
    const { Logger } = ethers.utils;
    Logger.setLogLevel(Logger.levels.ERROR);
    try {
      iface = new ethers.utils.Interface(artifact(name).abi as unknown as ethers.utils.Fragment[]);
    } finally {
      Logger.setLogLevel(Logger.levels.INFO);
    }
    interfaces.set(name, iface);
  }
  return iface;
}

/**
 * An ethers Contract that does not print ethers' "Duplicate definition of File (...)" warning on
 * every construction and `connect()` (overloaded events are normal in Maker contracts).
 */
export class QuietContract extends ethers.Contract {
  constructor(address: string, iface: ethers.ContractInterface, signerOrProvider?: ethers.Signer | ethers.providers.Provider) {
    const { Logger } = ethers.utils;
    Logger.setLogLevel(Logger.levels.ERROR);
    try {
      super(address, iface, signerOrProvider);
    } finally {
      Logger.setLogLevel(Logger.levels.INFO);
    }
  }
}

/** Deploy contract `name` from test/contracts/ and wait until it is mined. */
export async function deployContract(signer: ethers.Signer, name: string, ...args: unknown[]): Promise<ethers.Contract> {
  const a = artifact(name);
  if (a.bytecode === "0x") throw new Error(`deployContract: ${name} is an interface or abstract contract (no bytecode)`);
  const factory = new ethers.ContractFactory(contractInterface(name), a.bytecode, signer);
  // Send the creation transaction ourselves: factory.deploy() builds a plain (noisy) Contract.
  const deployTransaction = await signer.sendTransaction(factory.getDeployTransaction(...args));
  const receipt = await deployTransaction.wait();
  const contract = new QuietContract(receipt.contractAddress, contractInterface(name), signer);
  Object.defineProperty(contract, "deployTransaction", { value: deployTransaction });
  return contract;
}

/** A handle on a deployed contract of type `name`. */
export function attach(name: string, address: string, signerOrProvider: ethers.Signer | ethers.providers.Provider): ethers.Contract {
  return new QuietContract(address, contractInterface(name), signerOrProvider);
}

/** Send a transaction and wait for its receipt (ethers throws on revert, with the reason when the node gives one). */
export async function mined(tx: Promise<ethers.ContractTransaction> | ethers.ContractTransaction): Promise<ethers.ContractReceipt> {
  return (await tx).wait();
}

/**
 * Mine several transactions in one block (same timestamp), e.g. Jug.init + Jug.file, which
 * mainnet spells do in one transaction. Automining is paused while they are sent; each send
 * must give an explicit gasLimit (estimates would run against the state before the block).
 * Resolves with the receipts once the block is mined; throws if any of them reverted.
 */
export async function inOneBlock(
  chain: { send<T>(method: string, params?: unknown[]): Promise<T> },
  sends: Array<() => Promise<ethers.ContractTransaction>>,
): Promise<ethers.ContractReceipt[]> {
  await chain.send("evm_setAutomine", [false]);
  const txs: ethers.ContractTransaction[] = [];
  try {
    for (const send of sends) txs.push(await send());
  } finally {
    // mine whatever was sent, even after a failed send, so nothing stays pending
    await chain.send("evm_mine");
    await chain.send("evm_setAutomine", [true]);
  }
  return Promise.all(txs.map((tx) => tx.wait()));
}
