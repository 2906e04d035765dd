// SPDX-License-Identifier: MIT
// Vigil test contracts: Sky's Smart Burn Engine as deployed on mainnet since 2024-25 (facts from
// ../shared/reference/sky.md §8.6 and §10: sky-ecosystem/dss-flappers Kicker, Splitter, SplitterMom,
// FlapperUniV2SwapOnly; the flapper's Uniswap V2 USDS/SKY pool; FLAP_SKY_ORACLE, a Chronicle
// Scribe). Same function signatures and events as the mainnet contracts; written for Vigil, not
// copied. Simplifications (none a bot relies on): the oracle's poke is signed by a ward instead of
// a Schnorr multi-signature of its feeds; the pool has no LP tokens (seeded by transfer + sync);
// the farm only records the rewards it is notified of.
//
// Storage a bot reads: FlapSkyOracle keeps Scribe's `_pokeData {uint128 val; uint32 age}` in
// slot 4 (the 2025-05-15 spell test writes a price there), so a watcher reads the price and its
// age without being tolled.
pragma solidity 0.8.30;

import "./lib.sol";

interface BurnVatLike {
    function move(address, address, uint256) external;
    function hope(address) external;
    function suck(address, address, uint256) external;
    function dai(address) external view returns (uint256);
    function sin(address) external view returns (uint256);
}

interface BurnJoinLike {
    function exit(address, uint256) external;
}

interface BurnSplitterLike {
    function kick(uint256, uint256) external returns (uint256);
    function file(bytes32, uint256) external;
}

interface BurnFlapperLike {
    function exec(uint256) external;
}

interface BurnFarmLike {
    function notifyRewardAmount(uint256) external;
}

interface BurnTokenLike {
    function transfer(address, uint256) external returns (bool);
    function balanceOf(address) external view returns (uint256);
}

interface BurnPipLike {
    function read() external view returns (uint256);
}

interface BurnSpotLike {
    function par() external view returns (uint256);
}

interface BurnPairLike {
    function token0() external view returns (address);
    function getReserves() external view returns (uint112, uint112, uint32);
    function swap(uint256, uint256, address, bytes calldata) external;
}

/// Wards with named Rely/Deny, as dss-flappers.
abstract contract BurnWards {
    mapping (address => uint256) public wards;
    event Rely(address indexed usr);
    event Deny(address indexed usr);
    modifier auth {
        require(wards[msg.sender] == 1, "Burn/not-authorized");
        _;
    }
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
}

/// Kicker (MCD_KICK): a permissionless flap() while the vow's dai - sin >= kbump + khump.
/// kbump [rad] is sucked against the vow and kicked to the splitter; khump [rad] is signed.
contract Kicker is BurnWards {
    BurnVatLike      public immutable vat;
    address          public immutable vow;
    BurnSplitterLike public immutable splitter;
    uint256 public kbump;
    int256  public khump;
    event File(bytes32 indexed what, uint256 data);
    event File(bytes32 indexed what, int256 data);

    constructor(address vat_, address vow_, address splitter_) {
        vat = BurnVatLike(vat_);
        vow = vow_;
        splitter = BurnSplitterLike(splitter_);
        BurnVatLike(vat_).hope(splitter_);
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    function file(bytes32 what, uint256 data) external auth {
        if (what == "kbump") kbump = data;
        else revert("Kicker/file-unrecognized-param");
        emit File(what, data);
    }

    function file(bytes32 what, int256 data) external auth {
        if (what == "khump") khump = data;
        else revert("Kicker/file-unrecognized-param");
        emit File(what, data);
    }

    function flap() external returns (uint256 id) {
        require(int256(vat.dai(vow)) >= int256(vat.sin(vow)) + int256(kbump) + khump, "Kicker/flap-threshold-not-reached");
        vat.suck(vow, address(this), kbump);
        id = splitter.kick(kbump, 0);
    }
}

/// Splitter (MCD_SPLIT): splits each kick between the flapper (burn share) and the farm.
contract Splitter is BurnWards {
    BurnVatLike  public immutable vat;
    BurnJoinLike public immutable usdsJoin;
    uint256 public hop;     // [s] minimum time between kicks; type(uint256).max = stopped by the MOM
    uint256 public zzz;     // last kick
    uint256 public burn;    // [wad] share of each kick that is burnt
    uint256 public live;
    address public flapper;
    address public farm;
    uint256 constant WAD = 10 ** 18;
    uint256 constant RAY = 10 ** 27;
    uint256 constant RAD = 10 ** 45;
    event File(bytes32 indexed what, uint256 data);
    event File(bytes32 indexed what, address data);
    event Kick(uint256 tot, uint256 lot, uint256 pay);
    event Cage(uint256 rad);

    constructor(address usdsJoin_, address vat_) {
        usdsJoin = BurnJoinLike(usdsJoin_);
        vat = BurnVatLike(vat_);
        BurnVatLike(vat_).hope(usdsJoin_);
        live = 1;
        burn = WAD;
        hop = 1 hours;
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    function file(bytes32 what, uint256 data) external auth {
        if (what == "burn") { require(data <= WAD, "Splitter/burn-too-high"); burn = data; }
        else if (what == "hop") hop = data;
        else revert("Splitter/file-unrecognized-param");
        emit File(what, data);
    }

    function file(bytes32 what, address data) external auth {
        if (what == "flapper") flapper = data;
        else if (what == "farm") farm = data;
        else revert("Splitter/file-unrecognized-param");
        emit File(what, data);
    }

    function kick(uint256 tot, uint256) external auth returns (uint256) {
        require(live == 1, "Splitter/not-live");
        require(block.timestamp >= zzz + hop, "Splitter/kicked-too-soon");
        zzz = block.timestamp;
        vat.move(msg.sender, address(this), tot);
        uint256 lot = tot * burn / RAD;
        if (lot > 0) {
            usdsJoin.exit(flapper, lot);
            BurnFlapperLike(flapper).exec(lot);
        }
        uint256 pay = tot / RAY - lot;
        if (pay > 0) {
            usdsJoin.exit(farm, pay);
            BurnFarmLike(farm).notifyRewardAmount(pay);
        }
        emit Kick(tot, lot, pay);
        return 0;
    }

    function cage(uint256) external auth {
        live = 0;
        emit Cage(0);
    }
}

/// SplitterMom (SPLITTER_MOM): owner (pause proxy) + authority (the chief: the hat, no delay)
/// may stop the splitter (hop = type(uint256).max).
contract SplitterMom {
    address public owner;
    address public authority;
    BurnSplitterLike public immutable splitter;
    event SetOwner(address indexed _owner);
    event SetAuthority(address indexed _authority);
    event Stop();
    constructor(address splitter_) {
        splitter = BurnSplitterLike(splitter_);
        owner = msg.sender;
        emit SetOwner(msg.sender);
    }
    modifier onlyOwner { require(msg.sender == owner, "SplitterMom/only-owner"); _; }
    modifier auth { require(isAuthorized(msg.sender, msg.sig), "SplitterMom/not-authorized"); _; }
    function isAuthorized(address src, bytes4 sig) internal view returns (bool) {
        if (src == owner) return true;
        if (authority == address(0)) return false;
        return DSAuthority(authority).canCall(src, address(this), sig);
    }
    function setOwner(address _owner) external onlyOwner { owner = _owner; emit SetOwner(_owner); }
    function setAuthority(address _authority) external onlyOwner { authority = _authority; emit SetAuthority(_authority); }
    function stop() external auth {
        splitter.file("hop", type(uint256).max);
        emit Stop();
    }
}

/// FlapperUniV2SwapOnly (MCD_FLAP): swaps each lot of USDS for SKY on the pool, to `receiver`,
/// only if the pool gives at least `want` of the oracle's price.
contract FlapperUniV2SwapOnly is BurnWards {
    BurnSpotLike  public immutable spotter;
    address       public immutable usds;
    address       public immutable gem;
    address       public immutable receiver;
    BurnPairLike  public immutable pair;
    bool          public immutable usdsFirst;
    address public pip;
    uint256 public want;    // [wad] minimum fraction of the oracle price the swap must give
    uint256 constant WAD = 10 ** 18;
    uint256 constant RAY = 10 ** 27;
    event File(bytes32 indexed what, uint256 data);
    event File(bytes32 indexed what, address data);
    event Exec(uint256 lot, uint256 bought);

    constructor(address spotter_, address usds_, address gem_, address pair_, address receiver_) {
        spotter = BurnSpotLike(spotter_);
        usds = usds_;
        gem = gem_;
        pair = BurnPairLike(pair_);
        receiver = receiver_;
        usdsFirst = BurnPairLike(pair_).token0() == usds_;
        want = WAD;
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    function file(bytes32 what, uint256 data) external auth {
        if (what == "want") want = data;
        else revert("FlapperUniV2SwapOnly/file-unrecognized-param");
        emit File(what, data);
    }

    function file(bytes32 what, address data) external auth {
        if (what == "pip") pip = data;
        else revert("FlapperUniV2SwapOnly/file-unrecognized-param");
        emit File(what, data);
    }

    function _amountOut(uint256 amtIn, uint256 reserveIn, uint256 reserveOut) internal pure returns (uint256) {
        uint256 inWithFee = amtIn * 997;
        return inWithFee * reserveOut / (reserveIn * 1000 + inWithFee);
    }

    function exec(uint256 lot) external auth {
        (uint256 r0, uint256 r1,) = pair.getReserves();
        (uint256 rUsds, uint256 rGem) = usdsFirst ? (r0, r1) : (r1, r0);
        uint256 buy = _amountOut(lot, rUsds, rGem);
        require(buy >= lot * want / (BurnPipLike(pip).read() * RAY / spotter.par()), "FlapperUniV2SwapOnly/insufficient-buy-amount");
        BurnTokenLike(usds).transfer(address(pair), lot);
        (uint256 out0, uint256 out1) = usdsFirst ? (uint256(0), buy) : (buy, uint256(0));
        pair.swap(out0, out1, receiver, "");
        emit Exec(lot, buy);
    }
}

/// The Uniswap V2 USDS/SKY pool (UNIV2USDSSKY), reduced to what the flapper and traders use:
/// reserves, swap with the 0.3% fee and the K check, sync.
contract SkyUniV2Pair {
    address public immutable token0;
    address public immutable token1;
    uint112 internal reserve0;
    uint112 internal reserve1;
    uint32  internal blockTimestampLast;
    event Swap(address indexed sender, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out, address indexed to);
    event Sync(uint112 reserve0, uint112 reserve1);

    constructor(address tokenA, address tokenB) {
        (token0, token1) = tokenA < tokenB ? (tokenA, tokenB) : (tokenB, tokenA);
    }

    function getReserves() public view returns (uint112, uint112, uint32) {
        return (reserve0, reserve1, blockTimestampLast);
    }

    function _update(uint256 b0, uint256 b1) internal {
        require(b0 <= type(uint112).max && b1 <= type(uint112).max, "UniswapV2: OVERFLOW");
        reserve0 = uint112(b0);
        reserve1 = uint112(b1);
        blockTimestampLast = uint32(block.timestamp);
        emit Sync(reserve0, reserve1);
    }

    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata) external {
        require(amount0Out > 0 || amount1Out > 0, "UniswapV2: INSUFFICIENT_OUTPUT_AMOUNT");
        (uint112 r0, uint112 r1,) = getReserves();
        require(amount0Out < r0 && amount1Out < r1, "UniswapV2: INSUFFICIENT_LIQUIDITY");
        if (amount0Out > 0) BurnTokenLike(token0).transfer(to, amount0Out);
        if (amount1Out > 0) BurnTokenLike(token1).transfer(to, amount1Out);
        uint256 b0 = BurnTokenLike(token0).balanceOf(address(this));
        uint256 b1 = BurnTokenLike(token1).balanceOf(address(this));
        uint256 in0 = b0 > r0 - amount0Out ? b0 - (r0 - amount0Out) : 0;
        uint256 in1 = b1 > r1 - amount1Out ? b1 - (r1 - amount1Out) : 0;
        require(in0 > 0 || in1 > 0, "UniswapV2: INSUFFICIENT_INPUT_AMOUNT");
        require((b0 * 1000 - in0 * 3) * (b1 * 1000 - in1 * 3) >= uint256(r0) * uint256(r1) * 1000 ** 2, "UniswapV2: K");
        _update(b0, b1);
        emit Swap(msg.sender, in0, in1, amount0Out, amount1Out, to);
    }

    function sync() external {
        _update(BurnTokenLike(token0).balanceOf(address(this)), BurnTokenLike(token1).balanceOf(address(this)));
    }
}

/// FLAP_SKY_ORACLE: a Chronicle Scribe-shaped SKY/USD oracle. Readers must be tolled (kissed);
/// `_pokeData` sits in slot 4 as on mainnet. Poked by a ward here (mainnet: feeds' Schnorr signature).
contract FlapSkyOracle {
    struct PokeData { uint128 val; uint32 age; }
    mapping (address => uint256) internal _wards;   // slot 0
    mapping (address => uint256) internal _buds;    // slot 1
    uint8 public bar;                               // slot 2
    address[] internal _feeds;                      // slot 3
    PokeData internal _pokeData;                    // slot 4
    event Poked(address indexed caller, uint128 val, uint32 age);
    event AuthGranted(address indexed caller, address indexed who);
    event AuthRenounced(address indexed caller, address indexed who);
    event TollGranted(address indexed caller, address indexed who);
    event TollRenounced(address indexed caller, address indexed who);

    constructor() {
        _wards[msg.sender] = 1;
        bar = 1;
        emit AuthGranted(msg.sender, msg.sender);
    }
    modifier auth { require(_wards[msg.sender] == 1, "Scribe/not-authorized"); _; }
    modifier toll { require(_buds[msg.sender] == 1, "Scribe/not-tolled"); _; }

    function rely(address who) external auth { _wards[who] = 1; emit AuthGranted(msg.sender, who); }
    function deny(address who) external auth { _wards[who] = 0; emit AuthRenounced(msg.sender, who); }
    function wards(address who) external view returns (bool) { return _wards[who] == 1; }
    function kiss(address who) external auth { _buds[who] = 1; emit TollGranted(msg.sender, who); }
    function diss(address who) external auth { _buds[who] = 0; emit TollRenounced(msg.sender, who); }
    function tolled(address who) external view returns (bool) { return _buds[who] == 1; }

    function poke(uint128 val, uint32 age) external auth {
        require(val != 0, "Scribe/zero-value");
        require(age >= _pokeData.age && age <= block.timestamp, "Scribe/stale-or-future"); // mainnet: strictly newer
        _pokeData = PokeData(val, age);
        emit Poked(msg.sender, val, age);
    }

    function read() external view toll returns (uint256) {
        require(_pokeData.val != 0, "Scribe/no-value");
        return _pokeData.val;
    }
    function readWithAge() external view toll returns (uint256, uint256) {
        require(_pokeData.val != 0, "Scribe/no-value");
        return (_pokeData.val, _pokeData.age);
    }
}

/// The farm the splitter pays (REWARDS_LSSKY_USDS on mainnet), reduced to the notification.
contract SkyBurnFarm {
    event RewardAdded(uint256 reward);
    function notifyRewardAmount(uint256 reward) external { emit RewardAdded(reward); }
}
