// SPDX-License-Identifier: MIT
// Vigil test contracts: peg stability modules.
//  - DssPsm (MCD_PSM_USDC_A, dss-psm): sellGem/buyGem through an AuthGemJoin5 and a frob per swap,
//    fees tin/tout to the Vow; events SellGem/BuyGem/File/Rely/Deny.
//  - DssLitePsm (MCD_LITE_PSM_USDC_A, dss-lite-psm): swaps against pre-minted DAI, gems kept in a
//    pocket; fill/trim keep `buf` DAI ready, chug sends fees to the Vow; whitelisted no-fee swaps (bud).
//    Events SellGem/BuyGem/Fill/Trim/Chug/File/Kiss/Diss/Rely/Deny.
//  - LitePsmPocket: holds the lite PSM's gems and lets it move them.
pragma solidity 0.8.30;

import "./lib.sol";

interface PsmGemJoinLike {
    function dec() external view returns (uint256);
    function vat() external view returns (address);
    function ilk() external view returns (bytes32);
    function gem() external view returns (address);
    function join(address, uint256, address) external;
    function exit(address, uint256) external;
}

interface PsmDaiJoinLike {
    function vat() external view returns (address);
    function dai() external view returns (address);
    function join(address, uint256) external;
    function exit(address, uint256) external;
}

contract DssPsm {
    mapping (address => uint256) public wards;
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    modifier auth { require(wards[msg.sender] == 1, "DssPsm/not-authorized"); _; }

    VatLike        immutable public vat;
    PsmGemJoinLike immutable public gemJoin;
    TokenLike      immutable public dai;
    PsmDaiJoinLike immutable public daiJoin;
    bytes32        immutable public ilk;
    address        immutable public vow;

    uint256 immutable internal to18ConversionFactor;

    uint256 public tin;   // toll in  [wad]
    uint256 public tout;  // toll out [wad]

    event Rely(address indexed usr);
    event Deny(address indexed usr);
    event File(bytes32 indexed what, uint256 data);
    event SellGem(address indexed owner, uint256 value, uint256 fee);
    event BuyGem(address indexed owner, uint256 value, uint256 fee);

    constructor(address gemJoin_, address daiJoin_, address vow_) {
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
        PsmGemJoinLike gemJoin__ = gemJoin = PsmGemJoinLike(gemJoin_);
        PsmDaiJoinLike daiJoin__ = daiJoin = PsmDaiJoinLike(daiJoin_);
        VatLike vat__ = vat = VatLike(gemJoin__.vat());
        TokenLike dai__ = dai = TokenLike(daiJoin__.dai());
        ilk = gemJoin__.ilk();
        vow = vow_;
        to18ConversionFactor = 10 ** (18 - gemJoin__.dec());
        dai__.approve(daiJoin_, type(uint256).max);
        vat__.hope(daiJoin_);
    }

    uint256 constant WAD = 10 ** 18;
    uint256 constant RAY = 10 ** 27;

    function file(bytes32 what, uint256 data) external auth {
        if (what == "tin") tin = data;
        else if (what == "tout") tout = data;
        else revert("DssPsm/file-unrecognized-param");
        emit File(what, data);
    }
    function hope(address usr) external auth {
        vat.hope(usr);
    }
    function nope(address usr) external auth {
        vat.nope(usr);
    }

    function sellGem(address usr, uint256 gemAmt) external {
        uint256 gemAmt18 = gemAmt * to18ConversionFactor;
        uint256 fee = gemAmt18 * tin / WAD;
        uint256 daiAmt = gemAmt18 - fee;
        gemJoin.join(address(this), gemAmt, msg.sender);
        vat.frob(ilk, address(this), address(this), address(this), int256(gemAmt18), int256(gemAmt18));
        vat.move(address(this), vow, fee * RAY);
        daiJoin.exit(usr, daiAmt);
        emit SellGem(usr, gemAmt, fee);
    }

    function buyGem(address usr, uint256 gemAmt) external {
        uint256 gemAmt18 = gemAmt * to18ConversionFactor;
        uint256 fee = gemAmt18 * tout / WAD;
        uint256 daiAmt = gemAmt18 + fee;
        require(dai.transferFrom(msg.sender, address(this), daiAmt), "DssPsm/failed-transfer");
        daiJoin.join(address(this), daiAmt);
        vat.frob(ilk, address(this), address(this), address(this), -int256(gemAmt18), -int256(gemAmt18));
        gemJoin.exit(usr, gemAmt);
        vat.move(address(this), vow, fee * RAY);
        emit BuyGem(usr, gemAmt, fee);
    }
}

contract LitePsmPocket {
    mapping (address => uint256) public wards;
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    modifier auth { require(wards[msg.sender] == 1, "LitePsmPocket/not-authorized"); _; }
    event Rely(address indexed usr);
    event Deny(address indexed usr);

    constructor() {
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    /// Let `spender` (the lite PSM) move this pocket's `token`.
    function hope(address token, address spender) external auth {
        TokenLike(token).approve(spender, type(uint256).max);
    }
}

contract DssLitePsm {
    uint256 constant WAD = 10 ** 18;
    uint256 constant RAY = 10 ** 27;
    uint256 public constant HALTED = type(uint256).max;

    bytes32        public immutable ilk;
    VatLike        public immutable vat;
    PsmDaiJoinLike public immutable daiJoin;
    TokenLike      public immutable dai;
    TokenLike      public immutable gem;
    uint256        public immutable to18ConversionFactor;
    address        public immutable pocket;

    mapping (address => uint256) public wards;
    mapping (address => uint256) public bud;

    address public vow;
    uint256 public tin;
    uint256 public tout;
    uint256 public buf;

    event Rely(address indexed usr);
    event Deny(address indexed usr);
    event Kiss(address indexed usr);
    event Diss(address indexed usr);
    event File(bytes32 indexed what, address data);
    event File(bytes32 indexed what, uint256 data);
    event Chug(uint256 wad);
    event SellGem(address indexed owner, uint256 value, uint256 fee);
    event BuyGem(address indexed owner, uint256 value, uint256 fee);
    event Fill(uint256 wad);
    event Trim(uint256 wad);

    modifier auth { require(wards[msg.sender] == 1, "DssLitePsm/not-authorized"); _; }
    modifier toll { require(bud[msg.sender] == 1, "DssLitePsm/not-whitelisted"); _; }

    constructor(bytes32 ilk_, address gem_, address daiJoin_, address pocket_) {
        ilk = ilk_;
        gem = TokenLike(gem_);
        daiJoin = PsmDaiJoinLike(daiJoin_);
        vat = VatLike(daiJoin.vat());
        dai = TokenLike(daiJoin.dai());
        pocket = pocket_;
        to18ConversionFactor = 10 ** (18 - gem.decimals());
        dai.approve(daiJoin_, type(uint256).max);
        vat.hope(daiJoin_);
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    function kiss(address usr) external auth { bud[usr] = 1; emit Kiss(usr); }
    function diss(address usr) external auth { bud[usr] = 0; emit Diss(usr); }

    function file(bytes32 what, uint256 data) external auth {
        if (what == "tin") {
            require(data == HALTED || data <= WAD, "DssLitePsm/tin-out-of-range");
            tin = data;
        } else if (what == "tout") {
            require(data == HALTED || data <= WAD, "DssLitePsm/tout-out-of-range");
            tout = data;
        } else if (what == "buf") buf = data;
        else revert("DssLitePsm/file-unrecognized-param");
        emit File(what, data);
    }

    function file(bytes32 what, address data) external auth {
        if (what == "vow") vow = data;
        else revert("DssLitePsm/file-unrecognized-param");
        emit File(what, data);
    }

    function sellGem(address usr, uint256 gemAmt) external returns (uint256 daiOutWad) {
        daiOutWad = _sellGem(usr, gemAmt, tin);
    }
    function sellGemNoFee(address usr, uint256 gemAmt) external toll returns (uint256 daiOutWad) {
        daiOutWad = _sellGem(usr, gemAmt, 0);
    }
    function _sellGem(address usr, uint256 gemAmt, uint256 tin_) internal returns (uint256 daiOutWad) {
        daiOutWad = gemAmt * to18ConversionFactor;
        uint256 fee;
        if (tin_ > 0) {
            require(tin_ != HALTED, "DssLitePsm/sell-gem-halted");
            fee = daiOutWad * tin_ / WAD;
            daiOutWad -= fee;
        }
        require(gem.transferFrom(msg.sender, pocket, gemAmt), "DssLitePsm/gem-transfer-failed");
        require(dai.transfer(usr, daiOutWad), "DssLitePsm/dai-transfer-failed");
        emit SellGem(usr, gemAmt, fee);
    }

    function buyGem(address usr, uint256 gemAmt) external returns (uint256 daiInWad) {
        daiInWad = _buyGem(usr, gemAmt, tout);
    }
    function buyGemNoFee(address usr, uint256 gemAmt) external toll returns (uint256 daiInWad) {
        daiInWad = _buyGem(usr, gemAmt, 0);
    }
    function _buyGem(address usr, uint256 gemAmt, uint256 tout_) internal returns (uint256 daiInWad) {
        daiInWad = gemAmt * to18ConversionFactor;
        uint256 fee;
        if (tout_ > 0) {
            require(tout_ != HALTED, "DssLitePsm/buy-gem-halted");
            fee = daiInWad * tout_ / WAD;
            daiInWad += fee;
        }
        require(dai.transferFrom(msg.sender, address(this), daiInWad), "DssLitePsm/dai-transfer-failed");
        require(gem.transferFrom(pocket, usr, gemAmt), "DssLitePsm/gem-transfer-failed");
        emit BuyGem(usr, gemAmt, fee);
    }

    /// Mint DAI into the PSM (as debt of its urn) up to `buf` above the gems it holds, within the ceilings.
    function fill() external returns (uint256 wad) {
        wad = rush();
        require(wad > 0, "DssLitePsm/nothing-to-fill");
        // the PSM's urn holds "unlimited" ink (set at init), so the frob only draws debt
        vat.frob(ilk, address(this), address(0), address(this), 0, int256(wad));
        daiJoin.exit(address(this), wad);
        emit Fill(wad);
    }

    /// Burn DAI the PSM holds beyond `buf` above its gems.
    function trim() external returns (uint256 wad) {
        wad = gush();
        require(wad > 0, "DssLitePsm/nothing-to-trim");
        daiJoin.join(address(this), wad);
        vat.frob(ilk, address(this), address(0), address(this), 0, -int256(wad));
        emit Trim(wad);
    }

    /// Send accumulated fees (DAI beyond the urn's debt) to the Vow.
    function chug() external returns (uint256 wad) {
        require(vow != address(0), "DssLitePsm/chug-missing-vow");
        wad = cut();
        require(wad > 0, "DssLitePsm/nothing-to-chug");
        daiJoin.join(vow, wad);
        emit Chug(wad);
    }

    function _min(uint256 a, uint256 b) internal pure returns (uint256) { return a < b ? a : b; }
    function _subcap(uint256 a, uint256 b) internal pure returns (uint256) { return a > b ? a - b : 0; }

    function rush() public view returns (uint256 wad) {
        (uint256 Art, uint256 rate,, uint256 line,) = vat.ilks(ilk);
        require(rate == RAY, "DssLitePsm/rate-not-RAY");
        (, uint256 art) = vat.urns(ilk, address(this));
        uint256 tArt = gem.balanceOf(pocket) * to18ConversionFactor + buf;
        wad = _min(_subcap(tArt, art), _subcap(line / RAY, Art));
    }

    function gush() public view returns (uint256 wad) {
        (, uint256 rate,, uint256 line,) = vat.ilks(ilk);
        require(rate == RAY, "DssLitePsm/rate-not-RAY");
        (, uint256 art) = vat.urns(ilk, address(this));
        uint256 tArt = gem.balanceOf(pocket) * to18ConversionFactor + buf;
        wad = _min(_subcap(art, _min(tArt, line / RAY)), dai.balanceOf(address(this)));
    }

    function cut() public view returns (uint256 wad) {
        (, uint256 art) = vat.urns(ilk, address(this));
        uint256 cash = dai.balanceOf(address(this));
        wad = _subcap(cash + gem.balanceOf(pocket) * to18ConversionFactor, art);
        wad = _min(wad, cash);
    }
}
