// SPDX-License-Identifier: MIT
// Vigil test contracts: the price path of a mainnet collateral type.
//  - Median (MEDIAN_*): signed prices from whitelisted feeds, checked with ecrecover, median of `bar`
//    messages; LogMedianPrice(val, age); lift/drop/setBar/kiss/diss via dss LibNote.
//    Storage as on mainnet: wards (0), val uint128 + age uint32 packed (1), bar (2), orcl (3), bud (4), slot (5).
//  - OSM (PIP_*): one-hop delay in front of the median. Storage as on mainnet: wards (0), stopped (1),
//    src + hop (uint16) + zzz (uint64) packed (2), cur Feed {uint128 val, uint128 has} (3), nxt (4), bud (5).
//    LibNote on rely/deny/stop/start/change/void/poke/kiss/diss (step has none, as on mainnet); LogValue(bytes32).
//  - DSValue (PIP_USDC and other fixed prices): ds-value with DSNote poke/void.
pragma solidity 0.8.30;

import "./lib.sol";

contract Median is LibNote {
    mapping (address => uint256) public wards;
    function rely(address usr) external note auth { wards[usr] = 1; }
    function deny(address usr) external note auth { wards[usr] = 0; }
    modifier auth {
        require(wards[msg.sender] == 1, "Median/not-authorized");
        _;
    }

    uint128        val;
    uint32  public age;
    /// The price pair signed by the feeds ("ETHUSD", "BTCUSD"); a constant in each mainnet median.
    bytes32 public immutable wat;
    uint256 public bar = 1;

    mapping (address => uint256) public orcl;
    mapping (address => uint256) public bud;
    mapping (uint8 => address)   public slot;

    modifier toll { require(bud[msg.sender] == 1, "Median/contract-not-whitelisted"); _; }

    event LogMedianPrice(uint256 val, uint256 age);

    constructor(bytes32 wat_) {
        wards[msg.sender] = 1;
        wat = wat_;
    }

    function read() external view toll returns (uint256) {
        require(val > 0, "Median/invalid-price-feed");
        return val;
    }

    function peek() external view toll returns (uint256, bool) {
        return (val, val > 0);
    }

    function recover(uint256 val_, uint256 age_, uint8 v, bytes32 r, bytes32 s) internal view returns (address) {
        return ecrecover(
            keccak256(abi.encodePacked("\x19Ethereum Signed Message:\n32", keccak256(abi.encodePacked(val_, age_, wat)))),
            v, r, s
        );
    }

    function poke(
        uint256[] calldata val_, uint256[] calldata age_,
        uint8[] calldata v, bytes32[] calldata r, bytes32[] calldata s) external
    {
        require(val_.length == bar, "Median/bar-too-low");

        uint256 bloom = 0;
        uint256 last = 0;
        uint256 zzz = age;

        for (uint256 i = 0; i < val_.length; i++) {
            address signer = recover(val_[i], age_[i], v[i], r[i], s[i]);
            require(orcl[signer] == 1, "Median/invalid-oracle");
            require(age_[i] > zzz, "Median/stale-message");
            require(val_[i] >= last, "Median/messages-not-in-order");
            last = val_[i];
            // one message per signer: signers are told apart by their first address byte
            uint8 sl = uint8(uint160(signer) >> 152);
            require((bloom >> sl) % 2 == 0, "Median/oracle-already-signed");
            bloom += uint256(2) ** sl;
        }

        val = uint128(val_[val_.length >> 1]);
        age = uint32(block.timestamp);

        emit LogMedianPrice(val, age);
    }

    function lift(address[] calldata a) external note auth {
        for (uint256 i = 0; i < a.length; i++) {
            require(a[i] != address(0), "Median/no-oracle-0");
            uint8 s = uint8(uint160(a[i]) >> 152);
            require(slot[s] == address(0), "Median/signer-already-exists");
            orcl[a[i]] = 1;
            slot[s] = a[i];
        }
    }

    function drop(address[] calldata a) external note auth {
        for (uint256 i = 0; i < a.length; i++) {
            orcl[a[i]] = 0;
            slot[uint8(uint160(a[i]) >> 152)] = address(0);
        }
    }

    function setBar(uint256 bar_) external note auth {
        require(bar_ > 0, "Median/quorum-is-zero");
        require(bar_ % 2 != 0, "Median/quorum-not-odd-number");
        bar = bar_;
    }

    function kiss(address a) external note auth {
        require(a != address(0), "Median/no-contract-0");
        bud[a] = 1;
    }

    function diss(address a) external note auth {
        bud[a] = 0;
    }

    function kiss(address[] calldata a) external note auth {
        for (uint256 i = 0; i < a.length; i++) {
            require(a[i] != address(0), "Median/no-contract-0");
            bud[a[i]] = 1;
        }
    }

    function diss(address[] calldata a) external note auth {
        for (uint256 i = 0; i < a.length; i++) bud[a[i]] = 0;
    }
}

interface PeekLike {
    function peek() external view returns (bytes32, bool);
}

contract OSM is LibNote {
    mapping (address => uint256) public wards;
    function rely(address usr) external note auth { wards[usr] = 1; }
    function deny(address usr) external note auth { wards[usr] = 0; }
    modifier auth {
        require(wards[msg.sender] == 1, "OSM/not-authorized");
        _;
    }

    uint256 public stopped;
    modifier stoppable { require(stopped == 0, "OSM/is-stopped"); _; }

    address public src;
    uint16  constant ONE_HOUR = uint16(3600);
    uint16  public hop = ONE_HOUR;
    uint64  public zzz;

    struct Feed {
        uint128 val;
        uint128 has;
    }

    Feed cur;
    Feed nxt;

    mapping (address => uint256) public bud;

    modifier toll { require(bud[msg.sender] == 1, "OSM/contract-not-whitelisted"); _; }

    event LogValue(bytes32 val);

    constructor(address src_) {
        wards[msg.sender] = 1;
        src = src_;
    }

    function stop() external note auth {
        stopped = 1;
    }
    function start() external note auth {
        stopped = 0;
    }

    function change(address src_) external note auth {
        src = src_;
    }

    function prev(uint256 ts) internal view returns (uint64) {
        require(hop != 0, "OSM/hop-is-zero");
        return uint64(ts - (ts % hop));
    }

    function step(uint16 ts) external auth {
        require(ts > 0, "OSM/ts-is-zero");
        hop = ts;
    }

    function void() external note auth {
        cur = nxt = Feed(0, 0);
        stopped = 1;
    }

    function pass() public view returns (bool ok) {
        return block.timestamp >= uint256(zzz) + hop;
    }

    function poke() external note stoppable {
        require(pass(), "OSM/not-passed");
        (bytes32 wut, bool ok) = PeekLike(src).peek();
        if (ok) {
            cur = nxt;
            nxt = Feed(uint128(uint256(wut)), 1);
            zzz = prev(block.timestamp);
            emit LogValue(bytes32(uint256(cur.val)));
        }
    }

    function peek() external view toll returns (bytes32, bool) {
        return (bytes32(uint256(cur.val)), cur.has == 1);
    }

    function peep() external view toll returns (bytes32, bool) {
        return (bytes32(uint256(nxt.val)), nxt.has == 1);
    }

    function read() external view toll returns (bytes32) {
        require(cur.has == 1, "OSM/no-current-value");
        return (bytes32(uint256(cur.val)));
    }

    function kiss(address a) external note auth {
        require(a != address(0), "OSM/no-contract-0");
        bud[a] = 1;
    }

    function diss(address a) external note auth {
        bud[a] = 0;
    }

    function kiss(address[] calldata a) external note auth {
        for (uint256 i = 0; i < a.length; i++) {
            require(a[i] != address(0), "OSM/no-contract-0");
            bud[a[i]] = 1;
        }
    }

    function diss(address[] calldata a) external note auth {
        for (uint256 i = 0; i < a.length; i++) bud[a[i]] = 0;
    }
}

/// ds-value: a price set by its owner (PIP_USDC on mainnet is one, fixed at 1.0).
contract DSValue is DSAuth, DSNote {
    bool    has;
    bytes32 val;

    function peek() public view returns (bytes32, bool) {
        return (val, has);
    }
    function read() public view returns (bytes32) {
        bytes32 wut;
        bool haz;
        (wut, haz) = peek();
        require(haz, "haz-not");
        return wut;
    }
    function poke(bytes32 wut) public note auth {
        val = wut;
        has = true;
    }
    function void() public note auth {
        has = false;
    }
}
