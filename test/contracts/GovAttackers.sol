// SPDX-License-Identifier: MIT
// Vigil test contracts (maker-governance / maker-auth scenarios), written for Vigil:
//  - GovTakeover: the governance-takeover pattern without a flash loan, so it also works on the
//    ds-chief 1.2 shape (no free in the same block): governance tokens arrive by transfer from the
//    caller, are locked in the chief, voted for a spell, and the spell is lifted, in one call.
//  - WardThenExec: an account holding a ward on a contract changes rights and then executes a ripe
//    pause plan in the same transaction, trying to make the change look like part of the plan.
pragma solidity 0.8.30;

interface TakeoverTokenLike {
    function transferFrom(address, address, uint256) external returns (bool);
    function approve(address, uint256) external returns (bool);
}

interface TakeoverChiefLike {
    function lock(uint256) external;
    function vote(address[] calldata) external returns (bytes32);
    function lift(address) external;
}

contract GovTakeover {
    TakeoverChiefLike public immutable chief;
    TakeoverTokenLike public immutable gov;

    constructor(address chief_, address gov_) {
        chief = TakeoverChiefLike(chief_);
        gov = TakeoverTokenLike(gov_);
    }

    /// Pull `amount` governance tokens from the caller, lock them, vote for `spell` and lift it.
    function takeover(address spell, uint256 amount) external {
        require(gov.transferFrom(msg.sender, address(this), amount), "GovTakeover/transfer-failed");
        gov.approve(address(chief), amount);
        chief.lock(amount);
        address[] memory yays = new address[](1);
        yays[0] = spell;
        chief.vote(yays);
        chief.lift(spell);
    }
}

interface WardTargetLike {
    function rely(address) external;
    function deny(address) external;
}

interface ExecPauseLike {
    function exec(address, bytes32, bytes calldata, uint256) external returns (bytes memory);
}

contract WardThenExec {
    /// `target.rely(usr)` with this contract's ward, then `pause.exec(...)` of a ripe plan.
    function run(address target, address usr, address pause, address planUsr, bytes32 tag, bytes calldata fax, uint256 eta) external {
        WardTargetLike(target).rely(usr);
        ExecPauseLike(pause).exec(planUsr, tag, fax, eta);
    }

    /// Plain `target.rely(usr)` / `deny(usr)` with this contract's ward.
    function rely(address target, address usr) external {
        WardTargetLike(target).rely(usr);
    }

    function deny(address target, address usr) external {
        WardTargetLike(target).deny(usr);
    }
}
