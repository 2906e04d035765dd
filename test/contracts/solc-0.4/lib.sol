// SPDX-License-Identifier: MIT
// Vigil test contracts, solc 0.4 build: the ds-note / ds-auth bases of the 2017-2019 ds-* family
// (MKR's DSToken, the first DSChief, DSValue PIPs), written for Vigil after the public dapphub
// sources. Compiled with solc 0.4.26 (npm solc-0.4), whose ABI encoder writes the `fax` bytes of
// LogNote unpadded: a lock(uint256) note carries 132 bytes of data, not the 160 an ABI decoder
// expects. That is the layout these contracts exist to reproduce.
pragma solidity ^0.4.24;

/// ds-note (>=0.4.23): anonymous LogNote with the caller, the first two argument words, msg.value
/// and the whole calldata, emitted after the function body.
contract DSNote {
    event LogNote(
        bytes4   indexed  sig,
        address  indexed  guy,
        bytes32  indexed  foo,
        bytes32  indexed  bar,
        uint256           wad,
        bytes             fax
    ) anonymous;

    modifier note {
        bytes32 foo;
        bytes32 bar;
        uint256 wad;
        assembly {
            foo := calldataload(4)
            bar := calldataload(36)
            wad := callvalue
        }
        _;
        emit LogNote(msg.sig, msg.sender, foo, bar, wad, msg.data);
    }
}

contract DSAuthority {
    function canCall(address src, address dst, bytes4 sig) public view returns (bool);
}

contract DSAuthEvents {
    event LogSetAuthority(address indexed authority);
    event LogSetOwner(address indexed owner);
}

/// ds-auth: slot 0 authority, slot 1 owner (as on mainnet).
contract DSAuth is DSAuthEvents {
    DSAuthority public authority;
    address     public owner;

    constructor() public {
        owner = msg.sender;
        emit LogSetOwner(msg.sender);
    }

    function setOwner(address owner_) public auth {
        owner = owner_;
        emit LogSetOwner(owner);
    }

    function setAuthority(DSAuthority authority_) public auth {
        authority = authority_;
        emit LogSetAuthority(address(authority));
    }

    modifier auth {
        require(isAuthorized(msg.sender, msg.sig), "ds-auth-unauthorized");
        _;
    }

    function isAuthorized(address src, bytes4 sig) internal view returns (bool) {
        if (src == address(this)) return true;
        if (src == owner) return true;
        if (address(authority) == address(0)) return false;
        return authority.canCall(src, address(this), sig);
    }
}
