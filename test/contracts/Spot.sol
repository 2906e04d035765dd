// SPDX-License-Identifier: MIT
// Vigil test contract: the Spotter (MCD_SPOT, dss 1.0): reads each ilk's pip and files spot into the
// Vat; Poke(bytes32 ilk, bytes32 val, uint256 spot); file/rely/deny/cage via dss LibNote.
pragma solidity 0.8.30;

import "./lib.sol";

interface SpotPipLike {
    function peek() external view returns (bytes32, bool);
}

contract Spotter is LibNote {
    mapping (address => uint256) public wards;
    function rely(address guy) external note auth { wards[guy] = 1; }
    function deny(address guy) external note auth { wards[guy] = 0; }
    modifier auth {
        require(wards[msg.sender] == 1, "Spotter/not-authorized");
        _;
    }

    struct Ilk {
        SpotPipLike pip;  // Price Feed
        uint256     mat;  // Liquidation ratio [ray]
    }

    mapping (bytes32 => Ilk) public ilks;

    VatLike public vat;
    uint256 public par;  // ref per dai [ray]
    uint256 public live;

    event Poke(bytes32 ilk, bytes32 val, uint256 spot);

    constructor(address vat_) {
        wards[msg.sender] = 1;
        vat = VatLike(vat_);
        par = ONE;
        live = 1;
    }

    uint256 constant ONE = 10 ** 27;
    function rdiv(uint256 x, uint256 y) internal pure returns (uint256 z) {
        z = x * ONE / y;
    }

    function file(bytes32 ilk, bytes32 what, address pip_) external note auth {
        require(live == 1, "Spotter/not-live");
        if (what == "pip") ilks[ilk].pip = SpotPipLike(pip_);
        else revert("Spotter/file-unrecognized-param");
    }
    function file(bytes32 what, uint256 data) external note auth {
        require(live == 1, "Spotter/not-live");
        if (what == "par") par = data;
        else revert("Spotter/file-unrecognized-param");
    }
    function file(bytes32 ilk, bytes32 what, uint256 data) external note auth {
        require(live == 1, "Spotter/not-live");
        if (what == "mat") ilks[ilk].mat = data;
        else revert("Spotter/file-unrecognized-param");
    }

    function poke(bytes32 ilk) external {
        (bytes32 val, bool has) = ilks[ilk].pip.peek();
        uint256 spot = has ? rdiv(rdiv(uint256(val) * 10 ** 9, par), ilks[ilk].mat) : 0;
        vat.file(ilk, "spot", spot);
        emit Poke(ilk, val, spot);
    }

    function cage() external note auth {
        live = 0;
    }
}
