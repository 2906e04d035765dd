// SPDX-License-Identifier: MIT
// Vigil test contracts: shared bases. Written for Vigil to reproduce the interfaces and event
// layouts of the MakerDAO mainnet deployment (facts from the public makerdao / dapphub sources);
// not copied code. Compiled with solc 0.8.30 by test/chain/compile.ts.
pragma solidity 0.8.30;

/// dss LibNote (dss 1.0 lib.sol, also inlined in OSM and Median): anonymous
/// LogNote(bytes4 indexed sig, address indexed usr, bytes32 indexed arg1, bytes32 indexed arg2, bytes data)
/// emitted AFTER the function body; data = the first 224 bytes of calldata (zero-padded).
/// Used by Jug, Spotter (file/rely/deny/cage), Vow, Pot, Cat, Flipper, GemJoin, DaiJoin, Dai (rely/deny),
/// OSM, Median, AuthGemJoin. (The Vat has its own variant without the caller: see Vat.sol.)
abstract contract LibNote {
    event LogNote(
        bytes4   indexed  sig,
        address  indexed  usr,
        bytes32  indexed  arg1,
        bytes32  indexed  arg2,
        bytes             data
    ) anonymous;

    modifier note {
        _;
        assembly {
            // 288 bytes of ABI-encoded `bytes`: offset (0x20), length (224), 224 bytes of calldata.
            let mark := mload(0x40)
            mstore(0x40, add(mark, 288))
            mstore(mark, 0x20)
            mstore(add(mark, 0x20), 224)
            calldatacopy(add(mark, 0x40), 0, 224)
            log4(mark, 288,
                 shl(224, shr(224, calldataload(0))), // msg.sig, left-aligned
                 caller(),
                 calldataload(4),
                 calldataload(36))
        }
    }
}

/// ds-note DSNote (DSPause, DSChief, DSValue): anonymous
/// LogNote(bytes4 indexed sig, address indexed guy, bytes32 indexed foo, bytes32 indexed bar, uint256 wad, bytes fax)
/// with fax = the whole calldata and wad = msg.value; foo/bar are read before the body, the event
/// is emitted after it (ds-note as used by ds-pause 2019 and ds-chief 1.2).
abstract contract DSNote {
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
            wad := callvalue()
        }
        _;
        emit LogNote(msg.sig, msg.sender, foo, bar, wad, msg.data);
    }
}

interface DSAuthority {
    function canCall(address src, address dst, bytes4 sig) external view returns (bool);
}

abstract contract DSAuthEvents {
    event LogSetAuthority(address indexed authority);
    event LogSetOwner(address indexed owner);
}

/// ds-auth: slot 0 authority, slot 1 owner (as on mainnet).
abstract contract DSAuth is DSAuthEvents {
    DSAuthority public authority;
    address     public owner;

    constructor() {
        owner = msg.sender;
        emit LogSetOwner(msg.sender);
    }

    function setOwner(address owner_) public virtual auth {
        owner = owner_;
        emit LogSetOwner(owner);
    }

    function setAuthority(DSAuthority authority_) public virtual auth {
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

/// Minimal ERC-20 view used across the test contracts.
interface TokenLike {
    function decimals() external view returns (uint8);
    function balanceOf(address) external view returns (uint256);
    function totalSupply() external view returns (uint256);
    function transfer(address, uint256) external returns (bool);
    function transferFrom(address, address, uint256) external returns (bool);
    function approve(address, uint256) external returns (bool);
    function mint(address, uint256) external;
    function burn(address, uint256) external;
}

/// The Vat functions the other modules call.
interface VatLike {
    function wards(address) external view returns (uint256);
    function ilks(bytes32) external view returns (uint256 Art, uint256 rate, uint256 spot, uint256 line, uint256 dust);
    function urns(bytes32, address) external view returns (uint256 ink, uint256 art);
    function gem(bytes32, address) external view returns (uint256);
    function dai(address) external view returns (uint256);
    function sin(address) external view returns (uint256);
    function debt() external view returns (uint256);
    function live() external view returns (uint256);
    function rely(address) external;
    function deny(address) external;
    function hope(address) external;
    function nope(address) external;
    function init(bytes32) external;
    function file(bytes32, bytes32, uint256) external;
    function cage() external;
    function slip(bytes32, address, int256) external;
    function flux(bytes32, address, address, uint256) external;
    function move(address, address, uint256) external;
    function frob(bytes32, address, address, address, int256, int256) external;
    function fork(bytes32, address, address, int256, int256) external;
    function grab(bytes32, address, address, address, int256, int256) external;
    function heal(uint256) external;
    function suck(address, address, uint256) external;
    function fold(bytes32, address, int256) external;
}
