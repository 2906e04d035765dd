// SPDX-License-Identifier: MIT
// Vigil test doubles of faulty Sky code (written for Vigil): put behind a deployed contract's
// address with anvil_setCode, standing for an implementation swap, then the original code is put back.
pragma solidity 0.8.30;

import "./Sky.sol";

/// A faulty sUSDS implementation (same storage layout as SUsds): its drip accrues chi as if twice
/// the time since the last drip had passed, so it mints yield that its rate and time do not explain
/// (sky-stablecoin's SKY-SUSDS-DRIP-LARGE, High branch).
contract SUsdsOverpaying is SUsds {
    constructor(address vat_, address usdsJoin_, address usds_, address vow_) SUsds(vat_, usdsJoin_, usds_, vow_) {}

    function drip() public override returns (uint256 nChi) {
        (uint256 chi_, uint256 rho_) = (chi, rho);
        uint256 diff;
        if (block.timestamp > rho_) {
            nChi = _rpow(ssr, 2 * (block.timestamp - rho_)) * chi_ / RAY;
            uint256 totalSupply_ = totalSupply;
            diff = totalSupply_ * nChi / RAY - totalSupply_ * chi_ / RAY;
            if (diff > 0) {
                vat.suck(vow, address(this), diff * RAY);
                usdsJoin.exit(address(this), diff);
            }
            chi = nChi;
            rho = block.timestamp;
        } else {
            nChi = chi_;
        }
        emit Drip(nChi, diff);
    }
}
