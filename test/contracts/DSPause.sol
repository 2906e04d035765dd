// SPDX-License-Identifier: MIT
// Vigil test contracts: the governance delay (MCD_PAUSE, ds-pause 2019) and its proxy
// (MCD_PAUSE_PROXY). Storage as on mainnet: DSAuth (authority, owner), plans, proxy, delay.
// DSNote LogNote on plot/drop/exec/setDelay; LogSetOwner/LogSetAuthority from setOwner/setAuthority,
// which (like setDelay) can only be called by the proxy, i.e. through a plan.
pragma solidity 0.8.30;

import "./lib.sol";

contract DSPause is DSAuth, DSNote {
    modifier wait {
        require(msg.sender == address(proxy), "ds-pause-undelayed-call");
        _;
    }

    function setOwner(address owner_) public override wait {
        owner = owner_;
        emit LogSetOwner(owner);
    }
    function setAuthority(DSAuthority authority_) public override wait {
        authority = authority_;
        emit LogSetAuthority(address(authority));
    }
    function setDelay(uint256 delay_) public note wait {
        delay = delay_;
    }

    mapping (bytes32 => bool) public plans;
    DSPauseProxy public proxy;
    uint256      public delay;

    constructor(uint256 delay_, address owner_, DSAuthority authority_) {
        delay = delay_;
        owner = owner_;
        authority = authority_;
        proxy = new DSPauseProxy();
    }

    function hash(address usr, bytes32 tag, bytes memory fax, uint256 eta) internal pure returns (bytes32) {
        return keccak256(abi.encode(usr, tag, fax, eta));
    }

    function soul(address usr) internal view returns (bytes32 tag) {
        assembly { tag := extcodehash(usr) }
    }

    function plot(address usr, bytes32 tag, bytes memory fax, uint256 eta) public note auth {
        require(eta >= block.timestamp + delay, "ds-pause-delay-not-respected");
        plans[hash(usr, tag, fax, eta)] = true;
    }

    function drop(address usr, bytes32 tag, bytes memory fax, uint256 eta) public note auth {
        plans[hash(usr, tag, fax, eta)] = false;
    }

    function exec(address usr, bytes32 tag, bytes memory fax, uint256 eta) public note returns (bytes memory out) {
        require(plans[hash(usr, tag, fax, eta)], "ds-pause-unplotted-plan");
        require(soul(usr) == tag,                "ds-pause-wrong-codehash");
        require(block.timestamp >= eta,          "ds-pause-premature-exec");

        plans[hash(usr, tag, fax, eta)] = false;

        out = proxy.exec(usr, fax);
        require(proxy.owner() == address(this), "ds-pause-illegal-storage-change");
    }
}

/// Plans run here (delegatecall), in a storage context apart from the pause. This address holds
/// the admin rights (wards) on every core contract.
contract DSPauseProxy {
    address public owner;
    modifier auth {
        require(msg.sender == owner, "ds-pause-proxy-unauthorized");
        _;
    }
    constructor() {
        owner = msg.sender;
    }

    function exec(address usr, bytes memory fax) public auth returns (bytes memory out) {
        bool ok;
        (ok, out) = usr.delegatecall(fax);
        require(ok, "ds-pause-delegatecall-error");
    }
}
