// SPDX-License-Identifier: MIT
// Vigil test contracts: collateral adapters with the mainnet interfaces: GemJoin (dss join.sol,
// 18-decimal gems such as WETH), GemJoin5 (dss-gem-joins join-5.sol, fewer decimals, e.g. WBTC)
// and AuthGemJoin5 (dss-psm join-5-auth.sol, the PSM's USDC adapter). LibNote on rely/deny/cage/join/exit.
pragma solidity 0.8.30;

import "./lib.sol";

contract GemJoin is LibNote {
    mapping (address => uint256) public wards;
    function rely(address usr) external note auth { wards[usr] = 1; }
    function deny(address usr) external note auth { wards[usr] = 0; }
    modifier auth {
        require(wards[msg.sender] == 1, "GemJoin/not-authorized");
        _;
    }

    VatLike   public vat;
    bytes32   public ilk;
    TokenLike public gem;
    uint256   public dec;
    uint256   public live;

    constructor(address vat_, bytes32 ilk_, address gem_) {
        wards[msg.sender] = 1;
        live = 1;
        vat = VatLike(vat_);
        ilk = ilk_;
        gem = TokenLike(gem_);
        dec = gem.decimals();
    }
    function cage() external note auth {
        live = 0;
    }
    function join(address usr, uint256 wad) external note {
        require(live == 1, "GemJoin/not-live");
        require(int256(wad) >= 0, "GemJoin/overflow");
        vat.slip(ilk, usr, int256(wad));
        require(gem.transferFrom(msg.sender, address(this), wad), "GemJoin/failed-transfer");
    }
    function exit(address usr, uint256 wad) external note {
        require(wad <= 2 ** 255, "GemJoin/overflow");
        vat.slip(ilk, msg.sender, -int256(wad));
        require(gem.transfer(usr, wad), "GemJoin/failed-transfer");
    }
}

contract GemJoin5 is LibNote {
    mapping (address => uint256) public wards;
    function rely(address usr) external note auth { wards[usr] = 1; }
    function deny(address usr) external note auth { wards[usr] = 0; }
    modifier auth {
        require(wards[msg.sender] == 1, "GemJoin5/not-authorized");
        _;
    }

    VatLike   public vat;
    bytes32   public ilk;
    TokenLike public gem;
    uint256   public dec;
    uint256   public live;

    constructor(address vat_, bytes32 ilk_, address gem_) {
        gem = TokenLike(gem_);
        dec = gem.decimals();
        require(dec < 18, "GemJoin5/decimals-18-or-higher");
        wards[msg.sender] = 1;
        live = 1;
        vat = VatLike(vat_);
        ilk = ilk_;
    }
    function cage() external note auth {
        live = 0;
    }
    function join(address urn, uint256 amt) external note {
        require(live == 1, "GemJoin5/not-live");
        uint256 wad = amt * 10 ** (18 - dec);
        require(int256(wad) >= 0, "GemJoin5/overflow");
        vat.slip(ilk, urn, int256(wad));
        require(gem.transferFrom(msg.sender, address(this), amt), "GemJoin5/failed-transfer");
    }
    function exit(address guy, uint256 amt) external note {
        uint256 wad = amt * 10 ** (18 - dec);
        require(int256(wad) >= 0, "GemJoin5/overflow");
        vat.slip(ilk, msg.sender, -int256(wad));
        require(gem.transfer(guy, amt), "GemJoin5/failed-transfer");
    }
}

contract AuthGemJoin5 is LibNote {
    mapping (address => uint256) public wards;
    function rely(address usr) external note auth { wards[usr] = 1; }
    function deny(address usr) external note auth { wards[usr] = 0; }
    modifier auth { require(wards[msg.sender] == 1, "AuthGemJoin5/not-authorized"); _; }

    VatLike   public vat;
    bytes32   public ilk;
    TokenLike public gem;
    uint256   public dec;
    uint256   public live;

    constructor(address vat_, bytes32 ilk_, address gem_) {
        gem = TokenLike(gem_);
        dec = gem.decimals();
        require(dec < 18, "GemJoin5/decimals-18-or-higher");
        wards[msg.sender] = 1;
        live = 1;
        vat = VatLike(vat_);
        ilk = ilk_;
    }
    function cage() external note auth {
        live = 0;
    }
    function join(address urn, uint256 wad, address _msgSender) public note auth {
        require(live == 1, "GemJoin5/not-live");
        uint256 wad18 = wad * 10 ** (18 - dec);
        require(int256(wad18) >= 0, "GemJoin5/overflow");
        vat.slip(ilk, urn, int256(wad18));
        require(gem.transferFrom(_msgSender, address(this), wad), "GemJoin5/failed-transfer");
    }
    function exit(address guy, uint256 wad) public note {
        uint256 wad18 = wad * 10 ** (18 - dec);
        require(int256(wad18) >= 0, "GemJoin5/overflow");
        vat.slip(ilk, msg.sender, -int256(wad18));
        require(gem.transfer(guy, wad), "GemJoin5/failed-transfer");
    }
}
