// SPDX-License-Identifier: MIT
// Vigil test doubles for the oracle bot (maker-oracles): an OSM that can also write a LibNote
// that does not decode, to prove that bad input is reported rather than dropped.
pragma solidity 0.8.30;

import "./Oracles.sol";

/// A mainnet-shaped OSM plus `garble()`, which logs a note carrying stop()'s selector whose
/// topics[2] (arg1) does not repeat the calldata it carries, as no real note can.
contract MalformedNoteOsm is OSM {
    constructor(address src_) OSM(src_) {}

    function garble() external {
        bytes4 sig = bytes4(keccak256("stop()"));
        bytes memory data = abi.encodePacked(sig, new bytes(220));
        emit LogNote(sig, msg.sender, bytes32(uint256(1)), bytes32(0), data);
    }
}

/// An LP-token oracle double: the OSM's public interface (hop, zzz, src, stopped, poke, step,
/// stop, start) and the LP oracles' own kiss/diss/link, with the storage order of MakerDAO's
/// LP-token oracles (UNIV2LPOracle): wards (0), hop and zzz packed (1), bud (2), cur (3), nxt (4),
/// stopped (5), then quote and the orbs; src immutable; zzz is the poke's block time (not rounded
/// to hop); named events instead of notes, none naming the caller (as UNIV2LPOracle's). Its price
/// is a quote the ward sets (the real ones compute it from a Uniswap pair and two Medians).
contract LpOracleDouble {
    mapping (address => uint256) public wards;
    address public immutable src;
    uint16  public hop = 3600;
    uint64  public zzz;
    mapping (address => uint256) public bud;

    struct Feed {
        uint128 val;
        uint128 has;
    }

    Feed internal cur;
    Feed internal nxt;
    uint256 public stopped;
    uint128 public quote;
    address public orb0;
    address public orb1;

    event Rely(address indexed usr);
    event Deny(address indexed usr);
    event Step(uint256 hop);
    event Stop();
    event Start();
    event Value(uint128 curVal, uint128 nxtVal);
    event Link(uint256 id, address orb);
    event Kiss(address a);
    event Diss(address a);

    modifier auth {
        require(wards[msg.sender] == 1, "LpOracleDouble/not-authorized");
        _;
    }

    constructor(address src_) {
        wards[msg.sender] = 1;
        src = src_;
        emit Rely(msg.sender);
    }

    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    function setQuote(uint128 q) external auth { quote = q; }
    function kiss(address a) external auth { require(a != address(0), "LpOracleDouble/no-contract-0"); bud[a] = 1; emit Kiss(a); }
    function diss(address a) external auth { bud[a] = 0; emit Diss(a); }

    function link(uint256 id, address orb) external auth {
        require(orb != address(0), "LpOracleDouble/no-contract-0");
        if (id == 0) orb0 = orb;
        else if (id == 1) orb1 = orb;
        else revert("LpOracleDouble/invalid-id");
        emit Link(id, orb);
    }

    function step(uint256 hop_) external auth {
        require(hop_ <= type(uint16).max, "LpOracleDouble/invalid-hop");
        hop = uint16(hop_);
        emit Step(hop_);
    }

    function stop() external auth {
        stopped = 1;
        delete cur;
        delete nxt;
        zzz = 0;
        emit Stop();
    }

    function start() external auth {
        stopped = 0;
        emit Start();
    }

    function pass() public view returns (bool) {
        return block.timestamp >= uint256(zzz) + hop;
    }

    function poke() external {
        require(stopped == 0, "LpOracleDouble/is-stopped");
        require(pass(), "LpOracleDouble/not-passed");
        require(quote != 0, "LpOracleDouble/invalid-price");
        cur = nxt;
        nxt = Feed(quote, 1);
        zzz = uint64(block.timestamp);
        emit Value(cur.val, nxt.val);
    }
}
