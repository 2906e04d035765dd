// SPDX-License-Identifier: MIT
// Vigil test contracts: Sky's Lockstake (staking engine v2 "LSEV2-SKY-A": LockstakeEngine,
// LockstakeSky lsSKY, LockstakeClipper with stUSDS as `cuttee`, LockstakeMigrator's event,
// LockstakeCappedOsmWrapper), a VoteDelegate's custody and the LitePSM's MOM, as
// ../shared/reference/sky.md (sections 8 and 11) describes them. Same function signatures and events
// as the mainnet contracts; written for Vigil, not copied. Simplifications (none a bot relies on):
// urns are plain contracts created by the engine (mainnet: EIP-1167 clones); no farms staking;
// the clipper (SkyLockstakeClipper.sol) prices with a linear decrease over `tail` (mainnet:
// LOCKSTAKE_CLIP_CALC); the migrator is in SkyLockstakeMigrator.sol.
pragma solidity 0.8.30;

import "./lib.sol";
import "./Sky.sol";

interface LsVatLike {
    function slip(bytes32, address, int256) external;
    function frob(bytes32, address, address, address, int256, int256) external;
    function hope(address) external;
    function move(address, address, uint256) external;
    function ilks(bytes32) external view returns (uint256 Art, uint256 rate, uint256 spot, uint256 line, uint256 dust);
    function urns(bytes32, address) external view returns (uint256 ink, uint256 art);
}

interface LsVoteDelegateLike {
    function lock(uint256) external;
    function free(uint256) external;
}

/// lsSKY (LOCKSTAKE_SKY): ward-minted receipt of the SKY locked in an urn.
contract LockstakeSky is SkyToken {
    constructor() {
        name = "LockstakeSky";
        symbol = "lsSKY";
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }
}

/// A VoteDelegate's custody side: `stake(owner)` is the SKY `owner` locked in it.
contract LockstakeVoteDelegate {
    TokenLike public immutable gov;
    mapping (address => uint256) public stake;
    event Lock(address indexed usr, uint256 wad);
    event Free(address indexed usr, uint256 wad);
    constructor(address gov_) { gov = TokenLike(gov_); }
    function lock(uint256 wad) external {
        gov.transferFrom(msg.sender, address(this), wad);
        stake[msg.sender] += wad;
        emit Lock(msg.sender, wad);
    }
    function free(uint256 wad) external {
        stake[msg.sender] -= wad;
        gov.transfer(msg.sender, wad);
        emit Free(msg.sender, wad);
    }
}

/// An urn: holds the ink in the Vat and the lsSKY; lets the engine move both.
contract LockstakeUrn {
    constructor(address vat_, address lssky_) {
        LsVatLike(vat_).hope(msg.sender);
        TokenLike(lssky_).approve(msg.sender, type(uint256).max);
    }
}

/// LockstakeEngine (LOCKSTAKE_ENGINE): urns lock SKY as ink of `ilk`, draw USDS against it.
contract LockstakeEngine is SkyWards {
    LsVatLike   public immutable vat;
    SkyJoinLike public immutable usdsJoin;
    TokenLike   public immutable usds;
    bytes32     public immutable ilk;
    TokenLike   public immutable sky;
    TokenLike   public immutable lssky;
    uint256     public immutable fee;
    address     public jug;
    mapping (address => uint256) public farms;
    mapping (address => uint256) public ownerUrnsCount;
    mapping (address => mapping (uint256 => address)) public ownerUrns;
    mapping (address => address) public urnOwners;
    mapping (address => mapping (address => uint256)) public urnCan;
    mapping (address => address) public urnVoteDelegates;
    mapping (address => address) public urnFarms;
    mapping (address => uint256) public urnAuctions;
    uint256 constant RAY = 10 ** 27;

    event File(bytes32 indexed what, address data);
    event AddFarm(address farm);
    event DelFarm(address farm);
    event Open(address indexed owner, uint256 indexed index, address urn);
    event Hope(address indexed owner, uint256 indexed index, address indexed usr);
    event Nope(address indexed owner, uint256 indexed index, address indexed usr);
    event SelectVoteDelegate(address indexed owner, uint256 indexed index, address indexed voteDelegate);
    event SelectFarm(address indexed owner, uint256 indexed index, address indexed farm, uint16 ref);
    event Lock(address indexed owner, uint256 indexed index, uint256 wad, uint16 ref);
    event Free(address indexed owner, uint256 indexed index, address to, uint256 wad, uint256 freed);
    event FreeNoFee(address indexed owner, uint256 indexed index, address to, uint256 wad);
    event Draw(address indexed owner, uint256 indexed index, address to, uint256 wad);
    event Wipe(address indexed owner, uint256 indexed index, uint256 wad);
    event GetReward(address indexed owner, uint256 indexed index, address indexed farm, address to, uint256 amt);
    event OnKick(address indexed urn, uint256 wad);
    event OnTake(address indexed urn, address indexed who, uint256 wad);
    event OnRemove(address indexed urn, uint256 sold, uint256 burn, uint256 refund);

    constructor(address vat_, address usdsJoin_, address usds_, bytes32 ilk_, address sky_, address lssky_, uint256 fee_) {
        vat = LsVatLike(vat_);
        usdsJoin = SkyJoinLike(usdsJoin_);
        usds = TokenLike(usds_);
        ilk = ilk_;
        sky = TokenLike(sky_);
        lssky = TokenLike(lssky_);
        fee = fee_;
        LsVatLike(vat_).hope(usdsJoin_);
        TokenLike(usds_).approve(usdsJoin_, type(uint256).max);
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    modifier urnAuth(address owner, uint256 index) {
        address urn = ownerUrns[owner][index];
        require(urn != address(0), "LockstakeEngine/invalid-urn");
        require(owner == msg.sender || urnCan[urn][msg.sender] == 1, "LockstakeEngine/urn-not-authorized");
        _;
    }

    function file(bytes32 what, address data) external auth {
        if (what == "jug") jug = data;
        else revert("LockstakeEngine/file-unrecognized-param");
        emit File(what, data);
    }
    function addFarm(address farm) external auth { farms[farm] = 1; emit AddFarm(farm); }
    function delFarm(address farm) external auth { farms[farm] = 2; emit DelFarm(farm); }

    function open(uint256 index) external returns (address urn) {
        require(index == ownerUrnsCount[msg.sender]++, "LockstakeEngine/wrong-urn-index");
        urn = address(new LockstakeUrn(address(vat), address(lssky)));
        ownerUrns[msg.sender][index] = urn;
        urnOwners[urn] = msg.sender;
        emit Open(msg.sender, index, urn);
    }
    function hope(address owner, uint256 index, address usr) external urnAuth(owner, index) {
        urnCan[ownerUrns[owner][index]][usr] = 1;
        emit Hope(owner, index, usr);
    }

    function selectVoteDelegate(address owner, uint256 index, address voteDelegate) external urnAuth(owner, index) {
        address urn = ownerUrns[owner][index];
        require(urnAuctions[urn] == 0, "LockstakeEngine/urn-in-auction");
        address prev = urnVoteDelegates[urn];
        require(prev != voteDelegate, "LockstakeEngine/same-voteDelegate");
        (uint256 ink,) = vat.urns(ilk, urn);
        if (prev != address(0) && ink > 0) LsVoteDelegateLike(prev).free(ink);
        if (voteDelegate != address(0) && ink > 0) {
            sky.approve(voteDelegate, ink);
            LsVoteDelegateLike(voteDelegate).lock(ink);
        }
        urnVoteDelegates[urn] = voteDelegate;
        emit SelectVoteDelegate(owner, index, voteDelegate);
    }

    function lock(address owner, uint256 index, uint256 wad, uint16 ref) external {
        address urn = ownerUrns[owner][index];
        require(urn != address(0), "LockstakeEngine/invalid-urn");
        require(urnAuctions[urn] == 0, "LockstakeEngine/urn-in-auction");
        require(wad <= uint256(type(int256).max), "LockstakeEngine/overflow");
        sky.transferFrom(msg.sender, address(this), wad);
        address vd = urnVoteDelegates[urn];
        if (vd != address(0)) {
            sky.approve(vd, wad);
            LsVoteDelegateLike(vd).lock(wad);
        }
        vat.slip(ilk, urn, int256(wad));
        vat.frob(ilk, urn, urn, address(0), int256(wad), 0);
        lssky.mint(urn, wad);
        emit Lock(owner, index, wad, ref);
    }

    function _free(address urn, address to, uint256 wad) internal {
        require(wad <= uint256(type(int256).max), "LockstakeEngine/overflow");
        lssky.burn(urn, wad);
        vat.frob(ilk, urn, urn, address(0), -int256(wad), 0);
        vat.slip(ilk, urn, -int256(wad));
        address vd = urnVoteDelegates[urn];
        if (vd != address(0)) LsVoteDelegateLike(vd).free(wad);
        sky.transfer(to, wad);
    }
    function free(address owner, uint256 index, address to, uint256 wad) external urnAuth(owner, index) returns (uint256 freed) {
        _free(ownerUrns[owner][index], to, wad);
        freed = wad; // fee == 0 (v2)
        emit Free(owner, index, to, wad, freed);
    }
    function freeNoFee(address owner, uint256 index, address to, uint256 wad) external auth {
        _free(ownerUrns[owner][index], to, wad);
        emit FreeNoFee(owner, index, to, wad);
    }

    function draw(address owner, uint256 index, address to, uint256 wad) external urnAuth(owner, index) {
        address urn = ownerUrns[owner][index];
        (, uint256 rate,,,) = vat.ilks(ilk);
        uint256 dart = (wad * RAY + rate - 1) / rate;
        vat.frob(ilk, urn, address(0), address(this), 0, int256(dart));
        usdsJoin.exit(to, wad);
        emit Draw(owner, index, to, wad);
    }
    function wipe(address owner, uint256 index, uint256 wad) external {
        address urn = ownerUrns[owner][index];
        require(urn != address(0), "LockstakeEngine/invalid-urn");
        usds.transferFrom(msg.sender, address(this), wad);
        usdsJoin.join(address(this), wad);
        (, uint256 rate,,,) = vat.ilks(ilk);
        uint256 dart = wad * RAY / rate;
        vat.frob(ilk, urn, address(0), address(this), 0, -int256(dart));
        emit Wipe(owner, index, wad);
    }

    // the clipper's callbacks
    function onKick(address urn, uint256 wad) external auth {
        // the Dog has already moved `wad` of the urn's ink to the clipper; the SKY stays here until onTake
        lssky.burn(urn, wad);
        address vd = urnVoteDelegates[urn];
        if (vd != address(0)) {
            (uint256 ink,) = vat.urns(ilk, urn);
            LsVoteDelegateLike(vd).free(ink + wad); // the urn's delegation ends: its SKY comes back here
            urnVoteDelegates[urn] = address(0);
        }
        urnAuctions[urn]++;
        emit OnKick(urn, wad);
    }
    function onTake(address urn, address who, uint256 wad) external auth {
        sky.transfer(who, wad);
        emit OnTake(urn, who, wad);
    }
    function onRemove(address urn, uint256 sold, uint256 left) external auth {
        uint256 refund = left;
        if (refund > 0) {
            vat.slip(ilk, urn, int256(refund));
            vat.frob(ilk, urn, urn, address(0), int256(refund), 0);
            lssky.mint(urn, refund);
        }
        urnAuctions[urn]--;
        emit OnRemove(urn, sold, 0, refund);
    }
}

interface LsEngineLike {
    function onKick(address, uint256) external;
    function onTake(address, address, uint256) external;
    function onRemove(address, uint256, uint256) external;
}
// LockstakeClipper (LOCKSTAKE_CLIP) and its interfaces: test/contracts/SkyLockstakeClipper.sol
interface LsPipLike { function peek() external view returns (bytes32, bool); }

/// LockstakeCappedValueWrapper: the shape of mainnet's LockstakeCappedOsmWrapper (LOCKSTAKE_ORACLE) over a plain value (Chronicle.sol has the OSM-backed one; names must be unique): `peek` is min(source price, cap), for buds only.
contract LockstakeCappedValueWrapper is SkyWards {
    LsPipLike public immutable osm;
    uint256 public cap;
    mapping (address => uint256) public buds;
    event Kiss(address indexed usr);
    event Diss(address indexed usr);
    event File(bytes32 indexed what, uint256 data);
    constructor(address osm_, uint256 cap_) {
        osm = LsPipLike(osm_);
        cap = cap_;
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }
    function kiss(address usr) external auth { buds[usr] = 1; emit Kiss(usr); }
    function diss(address usr) external auth { buds[usr] = 0; emit Diss(usr); }
    function file(bytes32 what, uint256 data) external auth {
        require(what == "cap", "LockstakeCappedOsmWrapper/file-unrecognized-param");
        cap = data;
        emit File(what, data);
    }
    /// The OSM getter mainnet's wrapper passes through to its OSM; over a plain value it is fixed at
    /// one hour (PIP_SKY's). maker-oracles tells a capped wrapper by cap() beside hop().
    function hop() external pure returns (uint16) { return 3600; }
    function peek() external view returns (bytes32, bool) {
        require(buds[msg.sender] == 1, "LockstakeCappedOsmWrapper/not-whitelisted");
        (bytes32 val, bool has) = osm.peek();
        uint256 v = uint256(val) < cap ? uint256(val) : cap;
        return (bytes32(v), has);
    }
}

// LockstakeMigrator (LOCKSTAKE_MIGRATOR): test/contracts/SkyLockstakeMigrator.sol

interface LitePsmMomPsmLike { function file(bytes32, uint256) external; }
interface LitePsmMomAuthority { function canCall(address, address, bytes4) external view returns (bool); }

/// DssLitePsmMom (LITE_PSM_MOM): the hat (through the chief's canCall) halts a LitePSM direction.
contract DssLitePsmMom {
    enum Flow { SELL, BUY, BOTH }
    address public owner;
    address public authority;
    event SetOwner(address indexed _owner);
    event SetAuthority(address indexed _authority);
    event Halt(address indexed psm, Flow indexed what);
    constructor() { owner = msg.sender; emit SetOwner(msg.sender); }
    modifier onlyOwner { require(msg.sender == owner, "DssLitePsmMom/only-owner"); _; }
    modifier auth {
        require(msg.sender == owner || (authority != address(0) && LitePsmMomAuthority(authority).canCall(msg.sender, address(this), msg.sig)), "DssLitePsmMom/not-authorized");
        _;
    }
    function setOwner(address owner_) external onlyOwner { owner = owner_; emit SetOwner(owner_); }
    function setAuthority(address authority_) external onlyOwner { authority = authority_; emit SetAuthority(authority_); }
    function halt(address psm, Flow what) external auth {
        if (what == Flow.SELL || what == Flow.BOTH) LitePsmMomPsmLike(psm).file("tin", type(uint256).max);
        if (what == Flow.BUY || what == Flow.BOTH) LitePsmMomPsmLike(psm).file("tout", type(uint256).max);
        emit Halt(psm, what);
    }
}
