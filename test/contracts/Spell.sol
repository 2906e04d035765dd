// SPDX-License-Identifier: MIT
// Vigil test contracts: an executive spell shaped like the mainnet DssSpell/DssExec
// (schedule() plots on the pause, cast() execs; getters pause/action/tag/sig/eta/done/expiration/
// description/nextCastTime/officeHours) and SpellAction, run by the pause proxy through delegatecall,
// which performs the calls the spell carries (so msg.sender of each call is the pause proxy).
pragma solidity 0.8.30;

interface PauseLike {
    function delay() external view returns (uint256);
    function plot(address, bytes32, bytes calldata, uint256) external;
    function drop(address, bytes32, bytes calldata, uint256) external;
    function exec(address, bytes32, bytes calldata, uint256) external returns (bytes memory);
}

contract DssSpell {
    PauseLike public immutable pause;
    address   public immutable action;
    bytes32   public immutable tag;
    uint256   public immutable expiration;
    bytes     public sig;
    uint256   public eta;
    bool      public done;
    string    public description;

    constructor(address pause_, address action_, bytes memory sig_, string memory description_, uint256 expiration_) {
        pause = PauseLike(pause_);
        action = action_;
        sig = sig_;
        description = description_;
        expiration = expiration_;
        bytes32 _tag;
        assembly { _tag := extcodehash(action_) }
        tag = _tag;
    }

    function officeHours() external pure returns (bool) {
        return false;
    }

    function nextCastTime() external view returns (uint256) {
        require(eta != 0, "DssExec/spell-not-scheduled");
        return eta;
    }

    function schedule() public {
        require(block.timestamp <= expiration, "This contract has expired");
        require(eta == 0, "This spell has already been scheduled");
        eta = block.timestamp + pause.delay();
        pause.plot(action, tag, sig, eta);
    }

    function cast() public {
        require(!done, "spell-already-cast");
        done = true;
        pause.exec(action, tag, sig, eta);
    }
}

/// Executed by DSPauseProxy via delegatecall: calls each target with its calldata, bubbling reverts.
contract SpellAction {
    function execute(address[] calldata targets, bytes[] calldata datas) external {
        require(targets.length == datas.length, "SpellAction/length-mismatch");
        for (uint256 i = 0; i < targets.length; i++) {
            (bool ok, bytes memory ret) = targets[i].call(datas[i]);
            if (!ok) {
                assembly { revert(add(ret, 0x20), mload(ret)) }
            }
        }
    }
}
