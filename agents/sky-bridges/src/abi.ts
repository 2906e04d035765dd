/**
 * Sky's LayerZero bridge contracts as declared (../shared/reference/sky.md §20, LayerZero EndpointV2
 * IMessageLibManager and ULN events, OZ Ownable/Pausable). The rate limiter is sky-oapp-oft's own
 * SkyRateLimiter (contracts/interfaces/ISkyRateLimiter.sol, SkyRateLimiter.sol, SkyOFTCore.sol, read
 * at commits a9bfce85 and 10c9c180): `inboundRateLimits(eid)`/`outboundRateLimits(eid)` return the
 * RateLimit struct {uint128 lastUpdated, uint48 window, uint256 amountInFlight, uint256 limit} (the
 * stored amount, before decay: `getAmountCanBeReceived` gives the decayed one); enums
 * RateLimitDirection {Inbound, Outbound} and RateLimitAccountingType {Net, Gross} are uint8 in the ABI.
 */
import { makeInterface } from "../../../shared/abi/define";

const ULN = "tuple(uint64 confirmations, uint8 requiredDVNCount, uint8 optionalDVNCount, uint8 optionalDVNThreshold, address[] requiredDVNs, address[] optionalDVNs)";

export const OAPP_IFACE = makeInterface({
  OwnershipTransferred: "event OwnershipTransferred(address indexed previousOwner, address indexed newOwner)",
  PeerSet: "event PeerSet(uint32 eid, bytes32 peer)",
  peers: "function peers(uint32) view returns (bytes32)",
  owner: "function owner() view returns (address)",
});

export const OFT_IFACE = makeInterface({
  Paused: "event Paused(address account)",
  Unpaused: "event Unpaused(address account)",
  PauserSet: "event PauserSet(address indexed pauser, bool canPause)",
  RateLimitsChanged: "event RateLimitsChanged(tuple(uint32 eid, uint48 window, uint256 limit)[] rateLimitConfigs, uint8 direction)",
  RateLimitsReset: "event RateLimitsReset(uint32[] eids, uint8 direction)",
  RateLimitAccountingTypeSet: "event RateLimitAccountingTypeSet(uint8 newRateLimitAccountingType)",
  LockedTokensMigrated: "event LockedTokensMigrated(address indexed to, uint256 amountLD)",
  OFTSent: "event OFTSent(bytes32 indexed guid, uint32 dstEid, address indexed fromAddress, uint256 amountSentLD, uint256 amountReceivedLD)",
  OFTReceived: "event OFTReceived(bytes32 indexed guid, uint32 srcEid, address indexed toAddress, uint256 amountReceivedLD)",
  inboundRateLimits: "function inboundRateLimits(uint32) view returns (uint128 lastUpdated, uint48 window, uint256 amountInFlight, uint256 limit)",
  outboundRateLimits: "function outboundRateLimits(uint32) view returns (uint128 lastUpdated, uint48 window, uint256 amountInFlight, uint256 limit)",
  rateLimitAccountingType: "function rateLimitAccountingType() view returns (uint8)",
  getAmountCanBeReceived: "function getAmountCanBeReceived(uint32) view returns (uint256 currentAmountInFlight, uint256 amountCanBeReceived)",
});

export const GOV_SENDER_IFACE = makeInterface({
  GovernanceCallSent: "event GovernanceCallSent(bytes32 indexed guid)",
  CanCallTargetSet: "event CanCallTargetSet(address indexed sender, uint32 indexed dstEid, bytes32 indexed dstTarget, bool canCall)",
});

export const ENDPOINT_IFACE = makeInterface({
  DelegateSet: "event DelegateSet(address sender, address delegate)",
  SendLibrarySet: "event SendLibrarySet(address sender, uint32 eid, address newLib)",
  ReceiveLibrarySet: "event ReceiveLibrarySet(address receiver, uint32 eid, address newLib)",
  ReceiveLibraryTimeoutSet: "event ReceiveLibraryTimeoutSet(address receiver, uint32 eid, address oldLib, uint256 timeout)",
  getSendLibrary: "function getSendLibrary(address, uint32) view returns (address)",
  getReceiveLibrary: "function getReceiveLibrary(address, uint32) view returns (address lib, bool isDefault)",
});

/** emitted by the message library (ULN 302), not the endpoint: accepted only from a library the endpoint names for that OApp */
export const ULN_IFACE = makeInterface({
  UlnConfigSet: `event UlnConfigSet(address oapp, uint32 eid, ${ULN} config)`,
  ExecutorConfigSet: "event ExecutorConfigSet(address oapp, uint32 eid, tuple(uint32 maxMessageSize, address executor) config)",
});
