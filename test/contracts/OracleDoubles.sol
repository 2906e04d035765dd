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
