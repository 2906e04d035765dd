// SPDX-License-Identifier: MIT
// Vigil test contracts, solc 0.4 build of test/contracts/DSPause.sol (same ABI and storage): the
// governance delay and its proxy with ds-note notes as a 0.4 compiler writes them. solc 0.4 has
// no extcodehash: soul() hashes the code itself (the same value for a deployed contract).
pragma solidity ^0.4.24;

import "./lib.sol";

contract DSPause is DSAuth, DSNote {
    modifier wait {
        require(msg.sender == address(proxy), "ds-pause-undelayed-call");
        _;
    }

    function setOwner(address owner_) public wait {
        owner = owner_;
        emit LogSetOwner(owner);
    }
    function setAuthority(DSAuthority authority_) public wait {
        authority = authority_;
        emit LogSetAuthority(address(authority));
    }
    function setDelay(uint256 delay_) public note wait {
        delay = delay_;
    }

    mapping (bytes32 => bool) public plans;
    DSPauseProxy public proxy;
    uint256      public delay;

    constructor(uint256 delay_, address owner_, DSAuthority authority_) public {
        delay = delay_;
        owner = owner_;
        authority = authority_;
        proxy = new DSPauseProxy();
    }

    function hash(address usr, bytes32 tag, bytes memory fax, uint256 eta) internal pure returns (bytes32) {
        return keccak256(abi.encode(usr, tag, fax, eta));
    }

    function soul(address usr) internal view returns (bytes32 tag) {
        uint256 size;
        assembly { size := extcodesize(usr) }
        bytes memory code = new bytes(size);
        assembly { extcodecopy(usr, add(code, 0x20), 0, size) }
        tag = keccak256(code);
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

/// Plans run here (delegatecall), in a storage context apart from the pause.
contract DSPauseProxy {
    address public owner;
    modifier auth {
        require(msg.sender == owner, "ds-pause-proxy-unauthorized");
        _;
    }
    constructor() public {
        owner = msg.sender;
    }

    function exec(address usr, bytes memory fax) public auth returns (bytes memory out) {
        bool ok;
        uint256 size;
        assembly {
            ok := delegatecall(gas, usr, add(fax, 0x20), mload(fax), 0, 0)
            size := returndatasize
        }
        require(ok, "ds-pause-delegatecall-error");
        out = new bytes(size);
        assembly { returndatacopy(add(out, 0x20), 0, size) }
    }
}
