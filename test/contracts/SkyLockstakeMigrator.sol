// SPDX-License-Identifier: MIT
// Vigil test contract: Sky's LockstakeMigrator (LOCKSTAKE_MIGRATOR), as ../shared/reference/sky.md §8.4
// and the migrator's public source describe it: an MKR v1 urn with debt is moved with a Vat-DAI
// flash loan; on the way the migrator, a Vat ward, sets the new ilk's line to 55M (RAD), draws, and
// sets it back to 0; it refuses when the old ilk's line is not 0; it then emits the anonymous
// Migrate(oldOwner, oldIndex, newOwner, newIndex, ink, debt) with `ink` the old urn's MKR and `debt`
// in RAD (the old art * rate, rounded up to a whole wad). Written for Vigil, not copied.
// Simplification (none a bot relies on): no urn is moved and no flash loan taken: the caller names
// the ink and debt; only the Vat line toggling, the old-line requirement and the event are real.
// Anyone may call it (mainnet: whoever is authed on both urns). It keeps wards (Rely/Deny) that
// mainnet's has not, so that maker-auth's tests see a right granted on every Lockstake key.
pragma solidity 0.8.30;

import "./Sky.sol";


interface LsMigVatLike {
    function ilks(bytes32) external view returns (uint256 Art, uint256 rate, uint256 spot, uint256 line, uint256 dust);
    function file(bytes32, bytes32, uint256) external;
}

contract LockstakeMigrator is SkyWards {
    LsMigVatLike public immutable vat;
    bytes32 public immutable oldIlk;
    bytes32 public immutable newIlk;
    uint256 public constant mkrSkyRate = 24000;
    uint256 constant RAD = 10 ** 45;
    event Migrate(address indexed oldOwner, uint256 indexed oldIndex, address indexed newOwner, uint256 indexed newIndex, uint256 ink, uint256 debt) anonymous;

    constructor(address vat_, bytes32 oldIlk_, bytes32 newIlk_) {
        vat = LsMigVatLike(vat_);
        oldIlk = oldIlk_;
        newIlk = newIlk_;
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    /// `ink` [wad MKR] and `debt` [rad] of the old urn being moved.
    function migrate(address oldOwner, uint256 oldIndex, address newOwner, uint256 newIndex, uint256 ink, uint256 debt) external {
        if (debt > 0) {
            (,,, uint256 oldLine,) = vat.ilks(oldIlk);
            require(oldLine == 0, "LockstakeMigrator/old-ilk-line-not-zero");
            vat.file(newIlk, "line", 55_000_000 * RAD); // room for the draw that repays the flash loan
            vat.file(newIlk, "line", 0);                // ... and back to 0, whatever it was before
        }
        emit Migrate(oldOwner, oldIndex, newOwner, newIndex, ink, debt);
    }
}
