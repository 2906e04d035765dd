// SPDX-License-Identifier: MIT
// Vigil test contract, solc 0.4 build of DSValue (test/contracts/Oracles.sol): a price set by its
// owner, as the old DSValue PIPs were deployed.
pragma solidity ^0.4.24;

import "./lib.sol";

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
