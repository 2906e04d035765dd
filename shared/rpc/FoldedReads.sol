// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// Never deployed. Its creation code, with the reads as constructor arguments, is sent as one
/// eth_call without `to`: the node runs the constructor at the block asked for, and what the
/// constructor returns (as if it were the new contract's code) is the eth_call's answer. So N
/// plain reads at one block cost the node one call and one copy of that block's state, on any
/// node and any chain, with nothing to deploy. See fold.ts beside this file.
contract FoldedReads {
    /// @param targets the contract each read goes to
    /// @param data    each read's calldata
    /// @dev returns abi.encode(bool[] ok, bytes[] answers): a read that reverted has ok false
    ///      (fold.ts asks it again on its own, so its error is the node's own words)
    constructor(address[] memory targets, bytes[] memory data) {
        uint256 n = targets.length;
        bool[] memory ok = new bool[](n);
        bytes[] memory answers = new bytes[](n);
        for (uint256 i = 0; i < n; i++) {
            (ok[i], answers[i]) = targets[i].staticcall(data[i]);
        }
        bytes memory out = abi.encode(ok, answers);
        assembly {
            return(add(out, 32), mload(out))
        }
    }
}
