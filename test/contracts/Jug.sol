// SPDX-License-Identifier: MIT
// Vigil test contract: stability fees (MCD_JUG, dss 1.0): drip(ilk) folds the accrued rate into the
// Vat, crediting the Vow. init/file/rely/deny/drip via dss LibNote.
pragma solidity 0.8.30;

import "./lib.sol";

contract Jug is LibNote {
    mapping (address => uint256) public wards;
    function rely(address usr) external note auth { wards[usr] = 1; }
    function deny(address usr) external note auth { wards[usr] = 0; }
    modifier auth {
        require(wards[msg.sender] == 1, "Jug/not-authorized");
        _;
    }

    struct Ilk {
        uint256 duty;  // per-second stability fee [ray]
        uint256 rho;   // time of last drip        [unix epoch time]
    }

    mapping (bytes32 => Ilk) public ilks;
    VatLike                  public vat;
    address                  public vow;
    uint256                  public base;

    constructor(address vat_) {
        wards[msg.sender] = 1;
        vat = VatLike(vat_);
    }

    uint256 constant ONE = 10 ** 27;

    /// x^n in base b fixed point, rounding half up (the dss rpow).
    function rpow(uint256 x, uint256 n, uint256 b) internal pure returns (uint256 z) {
        assembly {
            switch x case 0 {switch n case 0 {z := b} default {z := 0}}
            default {
                switch mod(n, 2) case 0 { z := b } default { z := x }
                let half := div(b, 2)
                for { n := div(n, 2) } n { n := div(n, 2) } {
                    let xx := mul(x, x)
                    if iszero(eq(div(xx, x), x)) { revert(0, 0) }
                    let xxRound := add(xx, half)
                    if lt(xxRound, xx) { revert(0, 0) }
                    x := div(xxRound, b)
                    if mod(n, 2) {
                        let zx := mul(z, x)
                        if and(iszero(iszero(x)), iszero(eq(div(zx, x), z))) { revert(0, 0) }
                        let zxRound := add(zx, half)
                        if lt(zxRound, zx) { revert(0, 0) }
                        z := div(zxRound, b)
                    }
                }
            }
        }
    }
    function rmul(uint256 x, uint256 y) internal pure returns (uint256) {
        return x * y / ONE;
    }

    function init(bytes32 ilk) external note auth {
        Ilk storage i = ilks[ilk];
        require(i.duty == 0, "Jug/ilk-already-init");
        i.duty = ONE;
        i.rho  = block.timestamp;
    }
    function file(bytes32 ilk, bytes32 what, uint256 data) external note auth {
        require(block.timestamp == ilks[ilk].rho, "Jug/rho-not-updated");
        if (what == "duty") ilks[ilk].duty = data;
        else revert("Jug/file-unrecognized-param");
    }
    function file(bytes32 what, uint256 data) external note auth {
        if (what == "base") base = data;
        else revert("Jug/file-unrecognized-param");
    }
    function file(bytes32 what, address data) external note auth {
        if (what == "vow") vow = data;
        else revert("Jug/file-unrecognized-param");
    }

    function drip(bytes32 ilk) external note returns (uint256 rate) {
        require(block.timestamp >= ilks[ilk].rho, "Jug/invalid-now");
        (, uint256 prev,,,) = vat.ilks(ilk);
        rate = rmul(rpow(base + ilks[ilk].duty, block.timestamp - ilks[ilk].rho, ONE), prev);
        vat.fold(ilk, vow, int256(rate) - int256(prev));
        ilks[ilk].rho = block.timestamp;
    }
}
