/**
 * Lockstake (../shared/reference/sky.md §8): events exactly as declared on mainnet and the views
 * this bot reads. Only sky-lockstake reads them, so they live here.
 */
import { ethers } from "forta-agent";

export const ENGINE_IFACE = new ethers.utils.Interface([
  "event File(bytes32 indexed what, address data)",
  "event AddFarm(address farm)",
  "event DelFarm(address farm)",
  "event Open(address indexed owner, uint256 indexed index, address urn)",
  "event SelectVoteDelegate(address indexed owner, uint256 indexed index, address indexed voteDelegate)",
  "event Lock(address indexed owner, uint256 indexed index, uint256 wad, uint16 ref)",
  "event Free(address indexed owner, uint256 indexed index, address to, uint256 wad, uint256 freed)",
  "event FreeNoFee(address indexed owner, uint256 indexed index, address to, uint256 wad)",
  "event Draw(address indexed owner, uint256 indexed index, address to, uint256 wad)",
  "event Wipe(address indexed owner, uint256 indexed index, uint256 wad)",
  "event OnKick(address indexed urn, uint256 wad)",
  "event OnTake(address indexed urn, address indexed who, uint256 wad)",
  "event OnRemove(address indexed urn, uint256 sold, uint256 burn, uint256 refund)",
  "function ilk() view returns (bytes32)",
  "function sky() view returns (address)",
  "function lssky() view returns (address)",
  "function ownerUrns(address, uint256) view returns (address)",
]);

export const CLIP_IFACE = new ethers.utils.Interface([
  "event File(bytes32 indexed what, uint256 data)",
  "event File(bytes32 indexed what, address data)",
  "event Kick(uint256 indexed id, uint256 top, uint256 tab, uint256 lot, address indexed usr, address indexed kpr, uint256 coin)",
  "event Take(uint256 indexed id, uint256 max, uint256 price, uint256 owe, uint256 tab, uint256 lot, address indexed usr)",
  "event Redo(uint256 indexed id, uint256 top, uint256 tab, uint256 lot, address indexed usr, address indexed kpr, uint256 coin)",
  "event Yank(uint256 id)",
  "function stopped() view returns (uint256)",
  "function Due() view returns (uint256)",
]);

export const TOKEN_IFACE = new ethers.utils.Interface([
  "event Transfer(address indexed from, address indexed to, uint256 value)",
  "function totalSupply() view returns (uint256)",
  "function balanceOf(address) view returns (uint256)",
]);

/** LOCKSTAKE_ORACLE (LockstakeCappedOsmWrapper): min(PIP_SKY, cap), for buds only */
export const PIP_IFACE = new ethers.utils.Interface(["function peek() view returns (uint256 val, bool has)"]);

export const VOTE_DELEGATE_IFACE = new ethers.utils.Interface(["function stake(address) view returns (uint256)"]);

export const STUSDS_READ_IFACE = new ethers.utils.Interface(["function totalSupply() view returns (uint256)", "function chi() view returns (uint256)", "function line() view returns (uint256)"]);

/** LOCKSTAKE_MIGRATOR's immutables (public in its source): the MKR v1 ilk it empties and the SKY ilk it fills. */
export const MIGRATOR_IFACE = new ethers.utils.Interface(["function oldIlk() view returns (bytes32)", "function newIlk() view returns (bytes32)"]);

/**
 * LockstakeMigrator's Migrate is anonymous: topics[0..3] = oldOwner, oldIndex, newOwner, newIndex;
 * data = (ink, debt): `ink` is the old urn's MKR [wad] (the new urn gets ink * mkrSkyRate SKY) and
 * `debt` is in RAD (`_divup(art * rate, RAY) * RAY` in its source), 0 for an urn without debt.
 */
export interface Migration {
  oldOwner: string;
  oldIndex: string;
  newOwner: string;
  newIndex: string;
  ink: string;
  debt: string;
}

export function decodeMigrate(log: { topics: readonly string[]; data: string }): Migration | null {
  if (log.topics.length !== 4 || ethers.utils.hexDataLength(log.data) !== 64) return null;
  const word = (t: string) => ethers.BigNumber.from(t);
  const [ink, debt] = ethers.utils.defaultAbiCoder.decode(["uint256", "uint256"], log.data);
  return {
    oldOwner: ethers.utils.getAddress(ethers.utils.hexDataSlice(log.topics[0]!, 12)).toLowerCase(),
    oldIndex: word(log.topics[1]!).toString(),
    newOwner: ethers.utils.getAddress(ethers.utils.hexDataSlice(log.topics[2]!, 12)).toLowerCase(),
    newIndex: word(log.topics[3]!).toString(),
    ink: ink.toString(),
    debt: debt.toString(),
  };
}
