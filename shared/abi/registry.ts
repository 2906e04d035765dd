/**
 * Registries: the ChainLog (CHANGELOG, makerdao/dss-chain-log) and the IlkRegistry
 * (ILK_REGISTRY, makerdao/ilk-registry). Named events; the ChainLog's are not indexed.
 */
import { AUTH_EVENTS, AUTH_FUNCTIONS, makeInterface } from "./define";

// ---- ChainLog (CHANGELOG) --------------------------------------------------------------------

export const CHAINLOG_EVENTS = {
  /** the ChainLog's Rely/Deny are not indexed, unlike most Maker contracts */
  Rely: "event Rely(address usr)",
  Deny: "event Deny(address usr)",
  UpdateVersion: "event UpdateVersion(string version)",
  UpdateSha256sum: "event UpdateSha256sum(string sha256sum)",
  UpdateIPFS: "event UpdateIPFS(string ipfs)",
  UpdateAddress: "event UpdateAddress(bytes32 key, address addr)",
  RemoveAddress: "event RemoveAddress(bytes32 key)",
} as const;

export const CHAINLOG_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  version: "function version() view returns (string)",
  sha256sum: "function sha256sum() view returns (string)",
  ipfs: "function ipfs() view returns (string)",
  keys: "function keys(uint256) view returns (bytes32)",
  setVersion: "function setVersion(string _version)",
  setSha256sum: "function setSha256sum(string _sha256sum)",
  setIPFS: "function setIPFS(string _ipfs)",
  setAddress: "function setAddress(bytes32 _key, address _addr)",
  removeAddress: "function removeAddress(bytes32 _key)",
  count: "function count() view returns (uint256)",
  get: "function get(uint256 _index) view returns (bytes32, address)",
  list: "function list() view returns (bytes32[])",
  /** reverts ("dss-chain-log/invalid-key") for an unknown key or one set to the zero address */
  getAddress: "function getAddress(bytes32 _key) view returns (address addr)",
} as const;

export const CHAINLOG_IFACE = makeInterface(CHAINLOG_EVENTS, CHAINLOG_FUNCTIONS);

// ---- IlkRegistry (ILK_REGISTRY) --------------------------------------------------------------

export const ILK_REGISTRY_EVENTS = {
  ...AUTH_EVENTS,
  FileAddress: "event File(bytes32 indexed what, address data)",
  FileIlkAddress: "event File(bytes32 indexed ilk, bytes32 indexed what, address data)",
  FileIlk: "event File(bytes32 indexed ilk, bytes32 indexed what, uint256 data)",
  FileIlkString: "event File(bytes32 indexed ilk, bytes32 indexed what, string data)",
  /** unindexed, as the mainnet registry (makerdao/ilk-registry, 2021) and our test contract emit them */
  AddIlk: "event AddIlk(bytes32 ilk)",
  RemoveIlk: "event RemoveIlk(bytes32 ilk)",
  UpdateIlk: "event UpdateIlk(bytes32 indexed ilk)",
  NameError: "event NameError(bytes32 indexed ilk)",
  SymbolError: "event SymbolError(bytes32 indexed ilk)",
} as const;

export const ILK_REGISTRY_FUNCTIONS = {
  ...AUTH_FUNCTIONS,
  vat: "function vat() view returns (address)",
  dog: "function dog() view returns (address)",
  cat: "function cat() view returns (address)",
  spot: "function spot() view returns (address)",
  ilkData: "function ilkData(bytes32) view returns (uint96 pos, address join, address gem, uint8 dec, uint96 class, address pip, address xlip, string name, string symbol)",
  add: "function add(address adapter)",
  remove: "function remove(bytes32 ilk)",
  removeAuth: "function removeAuth(bytes32 ilk)",
  fileAddress: "function file(bytes32 what, address data)",
  fileIlkAddress: "function file(bytes32 ilk, bytes32 what, address data)",
  fileIlk: "function file(bytes32 ilk, bytes32 what, uint256 data)",
  fileIlkString: "function file(bytes32 ilk, bytes32 what, string data)",
  count: "function count() view returns (uint256)",
  list: "function list() view returns (bytes32[])",
  listRange: "function list(uint256 start, uint256 end) view returns (bytes32[])",
  get: "function get(uint256 pos) view returns (bytes32)",
  info: "function info(bytes32 ilk) view returns (string name, string symbol, uint256 class, uint256 dec, address gem, address pip, address join, address xlip)",
  pos: "function pos(bytes32 ilk) view returns (uint256)",
  class: "function class(bytes32 ilk) view returns (uint256)",
  gem: "function gem(bytes32 ilk) view returns (address)",
  pip: "function pip(bytes32 ilk) view returns (address)",
  join: "function join(bytes32 ilk) view returns (address)",
  xlip: "function xlip(bytes32 ilk) view returns (address)",
  dec: "function dec(bytes32 ilk) view returns (uint256)",
  symbol: "function symbol(bytes32 ilk) view returns (string)",
  name: "function name(bytes32 ilk) view returns (string)",
  update: "function update(bytes32 ilk)",
} as const;

export const ILK_REGISTRY_IFACE = makeInterface(ILK_REGISTRY_EVENTS, ILK_REGISTRY_FUNCTIONS);
