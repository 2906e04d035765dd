// SPDX-License-Identifier: MIT
// Vigil test contracts: Sky's LayerZero bridges as deployed on mainnet since 2025 (facts from
// ../shared/reference/sky.md §20: sky-ecosystem/sky-oapp-oft SkyOFTAdapter, SkyRateLimiter,
// GovernanceOAppSender; LayerZero EndpointV2 and its ULN library events; OZ Ownable/Pausable).
// Same function signatures and events where sky.md or the LayerZero interfaces give them; written
// for Vigil, not copied. Simplifications (none a bot relies on): no real messaging: the endpoint's
// owner delivers a message (`deliver`) in place of the DVNs and the executor; a send only emits
// OFTSent with a guid counter; no fees; rate limits decay linearly over their window.
// The rate limiter has the shape of sky-oapp-oft's SkyRateLimiter/SkyOFTCore (read for the facts,
// contracts/SkyRateLimiter.sol, contracts/interfaces/ISkyRateLimiter.sol and ISkyOFT.sol, commits
// a9bfce85 and 10c9c180): RateLimit{uint128 lastUpdated; uint48 window; uint256 amountInFlight;
// uint256 limit} per eid and direction, `setRateLimits(inbound[], outbound[])` emitting one
// RateLimitsChanged per direction, `resetRateLimits(inboundEids, outboundEids)`, Net/Gross
// accounting (Net, the default, lets a flow in one direction free the other's), linear decay to 0
// over the window, and `pause()` for pausers only. Not modelled: fees, UUPS proxy, ERC-7201 storage.
// OftPauser (OFT_PAUSER) is modelled as a warded contract that may pause the OFTs.
pragma solidity 0.8.30;

struct SetConfigParam { uint32 eid; uint32 configType; bytes config; }
struct UlnConfig { uint64 confirmations; uint8 requiredDVNCount; uint8 optionalDVNCount; uint8 optionalDVNThreshold; address[] requiredDVNs; address[] optionalDVNs; }
struct Origin { uint32 srcEid; bytes32 sender; uint64 nonce; }
struct RateLimitConfig { uint32 eid; uint48 window; uint256 limit; }
enum RateLimitDirection { Inbound, Outbound }
enum RateLimitAccountingType { Net, Gross }

interface LzOAppLike { function lzReceive(Origin calldata, bytes32, bytes calldata) external; }
interface LzLibLike { function setConfig(address, SetConfigParam[] calldata) external; }
interface LzTokenLike {
    function transfer(address, uint256) external returns (bool);
    function transferFrom(address, address, uint256) external returns (bool);
    function balanceOf(address) external view returns (uint256);
}

/// LZ_ENDPOINT: the per-OApp library and delegate settings an attacker would change.
contract LzEndpointV2 {
    address public owner;
    mapping (address => address) public delegates;
    mapping (address => mapping (uint32 => address)) public sendLibrary;
    mapping (address => mapping (uint32 => address)) public receiveLibrary;
    address public defaultLibrary;
    event DelegateSet(address sender, address delegate);
    event SendLibrarySet(address sender, uint32 eid, address newLib);
    event ReceiveLibrarySet(address receiver, uint32 eid, address newLib);
    event ReceiveLibraryTimeoutSet(address receiver, uint32 eid, address oldLib, uint256 timeout);
    constructor() { owner = msg.sender; }
    modifier onlyRegistered(address oapp) { require(msg.sender == oapp || msg.sender == delegates[oapp], "LZ_Unauthorized"); _; }
    function setDefaultLibrary(address lib) external { require(msg.sender == owner, "LZ_OnlyOwner"); defaultLibrary = lib; }
    function getSendLibrary(address sender, uint32 eid) external view returns (address lib) {
        lib = sendLibrary[sender][eid];
        if (lib == address(0)) lib = defaultLibrary;
    }
    function getReceiveLibrary(address receiver, uint32 eid) external view returns (address lib, bool isDefault) {
        lib = receiveLibrary[receiver][eid];
        isDefault = lib == address(0);
        if (isDefault) lib = defaultLibrary;
    }
    function setDelegate(address delegate) external { delegates[msg.sender] = delegate; emit DelegateSet(msg.sender, delegate); }
    function setSendLibrary(address oapp, uint32 eid, address newLib) external onlyRegistered(oapp) {
        sendLibrary[oapp][eid] = newLib;
        emit SendLibrarySet(oapp, eid, newLib);
    }
    function setReceiveLibrary(address oapp, uint32 eid, address newLib, uint256 gracePeriod) external onlyRegistered(oapp) {
        address old = receiveLibrary[oapp][eid];
        receiveLibrary[oapp][eid] = newLib;
        emit ReceiveLibrarySet(oapp, eid, newLib);
        if (gracePeriod > 0) emit ReceiveLibraryTimeoutSet(oapp, eid, old, block.number + gracePeriod);
    }
    function setConfig(address oapp, address lib, SetConfigParam[] calldata params) external onlyRegistered(oapp) {
        LzLibLike(lib).setConfig(oapp, params);
    }
    /// stand-in for the verified delivery of a message (DVNs + executor)
    function deliver(address oapp, Origin calldata origin, bytes32 guid, bytes calldata message) external {
        require(msg.sender == owner, "LZ_OnlyOwner");
        LzOAppLike(oapp).lzReceive(origin, guid, message);
    }
}

/// A ULN 302 message library: the DVN configuration of an OApp, per remote eid.
contract LzUln302 {
    address public immutable endpoint;
    event UlnConfigSet(address oapp, uint32 eid, UlnConfig config);
    event ExecutorConfigSet(address oapp, uint32 eid, ExecutorConfig config);
    struct ExecutorConfig { uint32 maxMessageSize; address executor; }
    constructor(address endpoint_) { endpoint = endpoint_; }
    function setConfig(address oapp, SetConfigParam[] calldata params) external {
        require(msg.sender == endpoint, "LZ_MessageLib_OnlyEndpoint");
        for (uint256 i = 0; i < params.length; i++) {
            if (params[i].configType == 1) emit ExecutorConfigSet(oapp, params[i].eid, abi.decode(params[i].config, (ExecutorConfig)));
            else emit UlnConfigSet(oapp, params[i].eid, abi.decode(params[i].config, (UlnConfig)));
        }
    }
}

/// Ownable + the OApp's peers and delegate.
abstract contract LzOwnedOApp {
    address public owner;
    LzEndpointV2 public immutable endpoint;
    mapping (uint32 => bytes32) public peers;
    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event PeerSet(uint32 eid, bytes32 peer);
    constructor(address endpoint_, address delegate) {
        endpoint = LzEndpointV2(endpoint_);
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
        LzEndpointV2(endpoint_).setDelegate(delegate);
    }
    modifier onlyOwner { require(msg.sender == owner, "Ownable: caller is not the owner"); _; }
    function transferOwnership(address newOwner) external onlyOwner { emit OwnershipTransferred(owner, newOwner); owner = newOwner; }
    function setPeer(uint32 eid, bytes32 peer) external onlyOwner { peers[eid] = peer; emit PeerSet(eid, peer); }
    function setDelegate(address delegate) external onlyOwner { endpoint.setDelegate(delegate); }
}

/// SkyOFTAdapter (USDS_OFT, SUSDS_OFT): locks the token on Ethereum, releases it on inbound messages.
contract SkyOFTAdapter is LzOwnedOApp, LzOAppLike {
    struct RateLimit { uint128 lastUpdated; uint48 window; uint256 amountInFlight; uint256 limit; }
    LzTokenLike public immutable token;
    bool public paused;
    uint64 internal nonce;
    mapping (address => bool) public pausers;
    RateLimitAccountingType public rateLimitAccountingType;
    mapping (uint32 => RateLimit) public outboundRateLimits;
    mapping (uint32 => RateLimit) public inboundRateLimits;
    event Paused(address account);
    event Unpaused(address account);
    event PauserSet(address indexed pauser, bool canPause);
    event RateLimitsChanged(RateLimitConfig[] rateLimitConfigs, RateLimitDirection direction);
    event RateLimitAccountingTypeSet(RateLimitAccountingType newRateLimitAccountingType);
    event RateLimitsReset(uint32[] eids, RateLimitDirection direction);
    event LockedTokensMigrated(address indexed to, uint256 amountLD);
    event OFTSent(bytes32 indexed guid, uint32 dstEid, address indexed fromAddress, uint256 amountSentLD, uint256 amountReceivedLD);
    event OFTReceived(bytes32 indexed guid, uint32 srcEid, address indexed toAddress, uint256 amountReceivedLD);

    constructor(address token_, address endpoint_, address delegate) LzOwnedOApp(endpoint_, delegate) { token = LzTokenLike(token_); }

    function setPauser(address pauser, bool canPause) external onlyOwner {
        require(pausers[pauser] != canPause, "PauserIdempotent");
        pausers[pauser] = canPause;
        emit PauserSet(pauser, canPause);
    }
    function pause() external { require(pausers[msg.sender], "OnlyPauser"); paused = true; emit Paused(msg.sender); }
    function unpause() external onlyOwner { paused = false; emit Unpaused(msg.sender); }
    function setRateLimits(RateLimitConfig[] calldata inbound, RateLimitConfig[] calldata outbound) external onlyOwner {
        _setRateLimits(inbound, RateLimitDirection.Inbound);
        _setRateLimits(outbound, RateLimitDirection.Outbound);
    }
    function resetRateLimits(uint32[] calldata inbound, uint32[] calldata outbound) external onlyOwner {
        _reset(inbound, RateLimitDirection.Inbound);
        _reset(outbound, RateLimitDirection.Outbound);
    }
    function setRateLimitAccountingType(RateLimitAccountingType kind) external onlyOwner {
        rateLimitAccountingType = kind;
        emit RateLimitAccountingTypeSet(kind);
    }
    function migrateLockedTokens(address to) external onlyOwner {
        uint256 amt = token.balanceOf(address(this));
        token.transfer(to, amt);
        emit LockedTokensMigrated(to, amt);
    }

    function _rl(uint32 eid, RateLimitDirection dir) internal view returns (RateLimit storage) {
        return dir == RateLimitDirection.Outbound ? outboundRateLimits[eid] : inboundRateLimits[eid];
    }
    function _setRateLimits(RateLimitConfig[] calldata configs, RateLimitDirection dir) internal {
        for (uint256 i = 0; i < configs.length; i++) {
            _use(configs[i].eid, 0, dir); // checkpoint under the old limit and window
            RateLimit storage rl = _rl(configs[i].eid, dir);
            rl.limit = configs[i].limit;
            rl.window = configs[i].window;
        }
        emit RateLimitsChanged(configs, dir);
    }
    function _reset(uint32[] calldata eids, RateLimitDirection dir) internal {
        for (uint256 i = 0; i < eids.length; i++) {
            RateLimit storage rl = _rl(eids[i], dir);
            rl.amountInFlight = 0;
            rl.lastUpdated = uint128(block.timestamp);
        }
        emit RateLimitsReset(eids, dir);
    }
    /// in flight now (linear decay of `limit` per `window`, nothing left after a whole window) and what is free
    function _decayed(RateLimit storage rl) internal view returns (uint256 inFlight, uint256 free) {
        uint256 elapsed = block.timestamp - rl.lastUpdated;
        if (elapsed >= rl.window) return (0, rl.limit);
        uint256 decay = rl.limit * elapsed / rl.window;
        inFlight = rl.amountInFlight > decay ? rl.amountInFlight - decay : 0;
        free = rl.limit > inFlight ? rl.limit - inFlight : 0;
    }
    function _use(uint32 eid, uint256 amt, RateLimitDirection dir) internal {
        RateLimit storage rl = _rl(eid, dir);
        (uint256 inFlight, uint256 free) = _decayed(rl);
        require(amt <= free, "RateLimitExceeded");
        rl.amountInFlight = inFlight + amt;
        rl.lastUpdated = uint128(block.timestamp);
        if (rateLimitAccountingType == RateLimitAccountingType.Net) {
            RateLimit storage other = _rl(eid, dir == RateLimitDirection.Outbound ? RateLimitDirection.Inbound : RateLimitDirection.Outbound);
            (uint256 otherInFlight, ) = _decayed(other);
            other.amountInFlight = otherInFlight > amt ? otherInFlight - amt : 0;
            other.lastUpdated = uint128(block.timestamp);
        }
    }
    function getAmountCanBeSent(uint32 eid) external view returns (uint256 currentAmountInFlight, uint256 amountCanBeSent) {
        return _decayed(outboundRateLimits[eid]);
    }
    function getAmountCanBeReceived(uint32 eid) external view returns (uint256 currentAmountInFlight, uint256 amountCanBeReceived) {
        return _decayed(inboundRateLimits[eid]);
    }

    /// send `amount` to `to` on `dstEid` (the message itself is not modelled)
    function send(uint32 dstEid, bytes32 to, uint256 amount) external returns (bytes32 guid) {
        require(!paused, "Pausable: paused");
        require(peers[dstEid] != bytes32(0), "OApp/no-peer");
        _use(dstEid, amount, RateLimitDirection.Outbound);
        token.transferFrom(msg.sender, address(this), amount);
        guid = keccak256(abi.encode(address(this), dstEid, to, ++nonce));
        emit OFTSent(guid, dstEid, msg.sender, amount, amount);
    }

    function lzReceive(Origin calldata origin, bytes32 guid, bytes calldata message) external {
        require(msg.sender == address(endpoint), "OApp/only-endpoint");
        require(peers[origin.srcEid] == origin.sender && origin.sender != bytes32(0), "OApp/only-peer");
        require(!paused, "Pausable: paused");
        (address to, uint256 amount) = abi.decode(message, (address, uint256));
        _use(origin.srcEid, amount, RateLimitDirection.Inbound);
        token.transfer(to, amount);
        emit OFTReceived(guid, origin.srcEid, to, amount);
    }
}

/// GovernanceOAppSender (LZ_GOV_SENDER): sends governance calls to the remote chains' receivers.
contract GovernanceOAppSender is LzOwnedOApp {
    mapping (address => mapping (uint32 => mapping (bytes32 => bool))) public canCallTarget;
    uint64 internal nonce;
    event GovernanceCallSent(bytes32 indexed guid);
    event CanCallTargetSet(address indexed sender, uint32 indexed dstEid, bytes32 indexed dstTarget, bool canCall);
    constructor(address endpoint_, address delegate) LzOwnedOApp(endpoint_, delegate) {}
    function setCanCallTarget(address sender, uint32 dstEid, bytes32 dstTarget, bool canCall) external onlyOwner {
        canCallTarget[sender][dstEid][dstTarget] = canCall;
        emit CanCallTargetSet(sender, dstEid, dstTarget, canCall);
    }
    function sendGovernanceCall(uint32 dstEid, bytes32 dstTarget, bytes calldata) external returns (bytes32 guid) {
        require(canCallTarget[msg.sender][dstEid][dstTarget], "GovernanceOAppSender/not-allowed");
        require(peers[dstEid] != bytes32(0), "OApp/no-peer");
        guid = keccak256(abi.encode(address(this), dstEid, dstTarget, ++nonce));
        emit GovernanceCallSent(guid);
    }
}

/// LZ_GOV_RELAY: the pause proxy's door to the governance sender (wards: the pause proxy).
contract LzGovRelay {
    mapping (address => uint256) public wards;
    GovernanceOAppSender public immutable sender;
    event Rely(address indexed usr);
    event Deny(address indexed usr);
    constructor(address sender_) { sender = GovernanceOAppSender(sender_); wards[msg.sender] = 1; emit Rely(msg.sender); }
    modifier auth { require(wards[msg.sender] == 1, "LzGovRelay/not-authorized"); _; }
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    function relayRaw(uint32 dstEid, bytes32 dstTarget, bytes calldata dstCallData) external auth returns (bytes32) {
        return sender.sendGovernanceCall(dstEid, dstTarget, dstCallData);
    }
}

/// OFT_PAUSER: may pause the OFTs (a pauser on each); wards decide who may use it.
contract OftPauser {
    mapping (address => uint256) public wards;
    event Rely(address indexed usr);
    event Deny(address indexed usr);
    constructor() { wards[msg.sender] = 1; emit Rely(msg.sender); }
    modifier auth { require(wards[msg.sender] == 1, "OftPauser/not-authorized"); _; }
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    function pause(address oft) external auth { SkyOFTAdapter(oft).pause(); }
}
