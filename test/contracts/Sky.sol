// SPDX-License-Identifier: MIT
// Vigil test contracts: the Sky stablecoin layer as deployed on mainnet since 2024 (facts from
// ../shared/reference/sky.md: makerdao/usds Usds, UsdsJoin, DaiUsds; the SKY token; MkrSky v2;
// sUSDS; makerdao/sp-beam SPBEAM and SPBEAMMom). Same function signatures and events as the
// mainnet contracts; written for Vigil, not copied. Simplifications (none a bot relies on):
// the UUPS proxies are single contracts whose `upgradeToAndCall` writes the ERC1967 slot and emits
// `Upgraded` (no delegation); no permit; SPBEAM's `conv` is a linear bps->per-second-rate
// approximation (mainnet's rates-conv is a lookup table; bots read `conv.btor` from the chain).
pragma solidity 0.8.30;

import "./lib.sol";

interface SkyVatLike {
    function move(address, address, uint256) external;
    function hope(address) external;
    function suck(address, address, uint256) external;
    function dai(address) external view returns (uint256);
}

interface SkyJoinLike {
    function join(address, uint256) external;
    function exit(address, uint256) external;
}

/// Wards with the named Rely/Deny events of the post-2022 Sky contracts.
abstract contract SkyWards {
    mapping (address => uint256) public wards;
    event Rely(address indexed usr);
    event Deny(address indexed usr);
    modifier auth {
        require(wards[msg.sender] == 1, "Sky/not-authorized");
        _;
    }
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
}

/// UUPS-style upgrade: `_authorizeUpgrade` is `auth`; the ERC1967 implementation slot is written.
abstract contract SkyUpgradeable is SkyWards {
    event Upgraded(address indexed implementation);
    bytes32 internal constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;
    function upgradeToAndCall(address newImplementation, bytes calldata) external payable auth {
        assembly { sstore(IMPLEMENTATION_SLOT, newImplementation) }
        emit Upgraded(newImplementation);
    }
    function getImplementation() external view returns (address impl) {
        assembly { impl := sload(IMPLEMENTATION_SLOT) }
    }
}

/// ERC-20 with wards minting and anyone burning their own (or an allowance), as Usds/Sky.
abstract contract SkyToken is SkyWards {
    string  public name;
    string  public symbol;
    uint8   public constant decimals = 18;
    uint256 public totalSupply;
    mapping (address => uint256) public balanceOf;
    mapping (address => mapping (address => uint256)) public allowance;
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event Transfer(address indexed from, address indexed to, uint256 value);

    function transfer(address to, uint256 value) external returns (bool) {
        return transferFrom(msg.sender, to, value);
    }
    function transferFrom(address from, address to, uint256 value) public returns (bool) {
        require(to != address(0) && to != address(this), "Token/invalid-address");
        require(balanceOf[from] >= value, "Token/insufficient-balance");
        if (from != msg.sender) _spend(from, value);
        balanceOf[from] -= value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
        return true;
    }
    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }
    function _spend(address from, uint256 value) internal {
        uint256 a = allowance[from][msg.sender];
        if (a != type(uint256).max) {
            require(a >= value, "Token/insufficient-allowance");
            allowance[from][msg.sender] = a - value;
        }
    }
    function mint(address to, uint256 value) external auth {
        require(to != address(0) && to != address(this), "Token/invalid-address");
        balanceOf[to] += value;
        totalSupply += value;
        emit Transfer(address(0), to, value);
    }
    function burn(address from, uint256 value) external {
        require(balanceOf[from] >= value, "Token/insufficient-balance");
        if (from != msg.sender) _spend(from, value);
        balanceOf[from] -= value;
        totalSupply -= value;
        emit Transfer(from, address(0), value);
    }
}

/// USDS (key USDS): upgradeable stablecoin, minted by UsdsJoin.
contract Usds is SkyToken, SkyUpgradeable {
    constructor() {
        name = "Sky Dollar";
        symbol = "USDS";
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }
}

/// SKY (keys SKY, and MCD_GOV on mainnet since 2025-05-15): not upgradeable.
contract SkyGov is SkyToken {
    constructor() {
        name = "SKY";
        symbol = "SKY";
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }
}

/// UsdsJoin (USDS_JOIN): Vat dai <-> USDS, permissionless, no wards.
contract UsdsJoin {
    SkyVatLike public immutable vat;
    TokenLike  public immutable usds;
    uint256 constant RAY = 10 ** 27;
    event Join(address indexed caller, address indexed usr, uint256 wad);
    event Exit(address indexed caller, address indexed usr, uint256 wad);
    constructor(address vat_, address usds_) {
        vat = SkyVatLike(vat_);
        usds = TokenLike(usds_);
    }
    function join(address usr, uint256 wad) external {
        vat.move(address(this), usr, RAY * wad);
        usds.burn(msg.sender, wad);
        emit Join(msg.sender, usr, wad);
    }
    function exit(address usr, uint256 wad) external {
        vat.move(msg.sender, address(this), RAY * wad);
        usds.mint(usr, wad);
        emit Exit(msg.sender, usr, wad);
    }
}

/// DaiUsds (DAI_USDS): 1:1 converter, holds nothing between calls, no auth.
contract DaiUsds {
    SkyJoinLike public immutable daiJoin;
    SkyJoinLike public immutable usdsJoin;
    TokenLike   public immutable dai;
    TokenLike   public immutable usds;
    event DaiToUsds(address indexed caller, address indexed usr, uint256 wad);
    event UsdsToDai(address indexed caller, address indexed usr, uint256 wad);
    constructor(address daiJoin_, address usdsJoin_, address dai_, address usds_, address vat_) {
        daiJoin = SkyJoinLike(daiJoin_);
        usdsJoin = SkyJoinLike(usdsJoin_);
        dai = TokenLike(dai_);
        usds = TokenLike(usds_);
        SkyVatLike(vat_).hope(daiJoin_);
        SkyVatLike(vat_).hope(usdsJoin_);
        TokenLike(dai_).approve(daiJoin_, type(uint256).max);
        TokenLike(usds_).approve(usdsJoin_, type(uint256).max);
    }
    function daiToUsds(address usr, uint256 wad) external {
        dai.transferFrom(msg.sender, address(this), wad);
        daiJoin.join(address(this), wad);
        usdsJoin.exit(usr, wad);
        emit DaiToUsds(msg.sender, usr, wad);
    }
    function usdsToDai(address usr, uint256 wad) external {
        usds.transferFrom(msg.sender, address(this), wad);
        usdsJoin.join(address(this), wad);
        daiJoin.exit(usr, wad);
        emit UsdsToDai(msg.sender, usr, wad);
    }
}

/// Lets MKR_SKY burn the MKR it is handed (mainnet: MKR_GUARD, MkrAuthority).
contract MkrBurnAuthority {
    address public immutable burner;
    constructor(address burner_) { burner = burner_; }
    function canCall(address src, address, bytes4 sig) external view returns (bool) {
        return src == burner && sig == bytes4(keccak256("burn(address,uint256)"));
    }
}

/// MkrSky v2 (MKR_SKY): one-way MKR -> pre-minted SKY at `rate`, minus a fee kept as `take`.
contract MkrSky is SkyWards {
    TokenLike public immutable mkr;
    TokenLike public immutable sky;
    uint256   public immutable rate;
    uint256   public fee;
    uint256   public take;
    uint256 constant WAD = 10 ** 18;
    event File(bytes32 indexed what, uint256 data);
    event Collect(address indexed to, uint256 take);
    event Burn(uint256 skyAmt);
    event MkrToSky(address indexed caller, address indexed usr, uint256 mkrAmt, uint256 skyAmt, uint256 skyFee);
    constructor(address mkr_, address sky_, uint256 rate_) {
        mkr = TokenLike(mkr_);
        sky = TokenLike(sky_);
        rate = rate_;
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }
    function file(bytes32 what, uint256 data) external auth {
        if (what == "fee") { require(data <= WAD, "MkrSky/fee-too-high"); fee = data; }
        else revert("MkrSky/file-unrecognized-param");
        emit File(what, data);
    }
    function mkrToSky(address usr, uint256 mkrAmt) external {
        mkr.burn(msg.sender, mkrAmt);
        uint256 skyAmt = mkrAmt * rate;
        uint256 skyFee = skyAmt * fee / WAD;
        take += skyFee;
        sky.transfer(usr, skyAmt - skyFee);
        emit MkrToSky(msg.sender, usr, mkrAmt, skyAmt - skyFee, skyFee);
    }
    function collect(address to) external auth returns (uint256 t) {
        t = take;
        take = 0;
        sky.transfer(to, t);
        emit Collect(to, t);
    }
    function burn(uint256 skyAmt) external auth {
        sky.burn(address(this), skyAmt);
        emit Burn(skyAmt);
    }
}

/// sUSDS (SUSDS): ERC-4626-ish savings vault over USDS; chi accrues at ssr; drip sucks the yield.
contract SUsds is SkyUpgradeable {
    SkyVatLike  public immutable vat;
    SkyJoinLike public immutable usdsJoin;
    TokenLike   public immutable usds;
    address     public immutable vow;
    string  public constant name = "Savings USDS";
    string  public constant symbol = "sUSDS";
    uint8   public constant decimals = 18;
    uint256 public totalSupply;
    mapping (address => uint256) public balanceOf;
    mapping (address => mapping (address => uint256)) public allowance;
    uint256 public chi;  // [ray]
    uint256 public rho;  // [s]
    uint256 public ssr;  // [ray per second]
    uint256 constant RAY = 10 ** 27;

    event File(bytes32 indexed what, uint256 data);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    event Withdraw(address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares);
    event Referral(uint16 indexed referral, address indexed owner, uint256 assets, uint256 shares);
    event Drip(uint256 chi, uint256 diff);

    constructor(address vat_, address usdsJoin_, address usds_, address vow_) {
        vat = SkyVatLike(vat_);
        usdsJoin = SkyJoinLike(usdsJoin_);
        usds = TokenLike(usds_);
        vow = vow_;
        chi = RAY;
        rho = block.timestamp;
        ssr = RAY;
        SkyVatLike(vat_).hope(usdsJoin_);
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    function _rpow(uint256 x, uint256 n) internal pure returns (uint256 z) {
        z = n % 2 != 0 ? x : RAY;
        for (n /= 2; n != 0; n /= 2) {
            x = x * x / RAY;
            if (n % 2 != 0) z = z * x / RAY;
        }
    }

    function file(bytes32 what, uint256 data) external auth {
        if (what == "ssr") {
            require(data >= RAY, "SUsds/wrong-ssr-value");
            require(rho == block.timestamp, "SUsds/chi-not-up-to-date");
            ssr = data;
        } else revert("SUsds/file-unrecognized-param");
        emit File(what, data);
    }

    function drip() public virtual returns (uint256 nChi) {
        (uint256 chi_, uint256 rho_) = (chi, rho);
        uint256 diff;
        if (block.timestamp > rho_) {
            nChi = _rpow(ssr, block.timestamp - rho_) * chi_ / RAY;
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

    function totalAssets() external view returns (uint256) {
        uint256 nChi = block.timestamp > rho ? _rpow(ssr, block.timestamp - rho) * chi / RAY : chi;
        return totalSupply * nChi / RAY;
    }

    function _mintShares(uint256 assets, uint256 shares, address receiver) internal {
        require(receiver != address(0) && receiver != address(this), "SUsds/invalid-address");
        usds.transferFrom(msg.sender, address(this), assets);
        balanceOf[receiver] += shares;
        totalSupply += shares;
        emit Deposit(msg.sender, receiver, assets, shares);
        emit Transfer(address(0), receiver, shares);
    }
    function _burnShares(uint256 assets, uint256 shares, address receiver, address owner) internal {
        require(balanceOf[owner] >= shares, "SUsds/insufficient-balance");
        if (owner != msg.sender) {
            uint256 a = allowance[owner][msg.sender];
            if (a != type(uint256).max) {
                require(a >= shares, "SUsds/insufficient-allowance");
                allowance[owner][msg.sender] = a - shares;
            }
        }
        balanceOf[owner] -= shares;
        totalSupply -= shares;
        usds.transfer(receiver, assets);
        emit Transfer(owner, address(0), shares);
        emit Withdraw(msg.sender, receiver, owner, assets, shares);
    }

    function deposit(uint256 assets, address receiver) public returns (uint256 shares) {
        shares = assets * RAY / drip();
        _mintShares(assets, shares, receiver);
    }
    function deposit(uint256 assets, address receiver, uint16 referral) external returns (uint256 shares) {
        shares = deposit(assets, receiver);
        emit Referral(referral, receiver, assets, shares);
    }
    function withdraw(uint256 assets, address receiver, address owner) external returns (uint256 shares) {
        uint256 nChi = drip();
        shares = (assets * RAY + nChi - 1) / nChi;
        _burnShares(assets, shares, receiver, owner);
    }
    function redeem(uint256 shares, address receiver, address owner) external returns (uint256 assets) {
        assets = shares * drip() / RAY;
        _burnShares(assets, shares, receiver, owner);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        require(balanceOf[msg.sender] >= value, "SUsds/insufficient-balance");
        balanceOf[msg.sender] -= value;
        balanceOf[to] += value;
        emit Transfer(msg.sender, to, value);
        return true;
    }
    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }
    function transferFrom(address from, address to, uint256 value) external returns (bool) {
        require(balanceOf[from] >= value, "SUsds/insufficient-balance");
        if (from != msg.sender && allowance[from][msg.sender] != type(uint256).max) {
            require(allowance[from][msg.sender] >= value, "SUsds/insufficient-allowance");
            allowance[from][msg.sender] -= value;
        }
        balanceOf[from] -= value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
        return true;
    }
}

/// bps (yearly) -> per-second ray. Mainnet's rates-conv is an exact lookup table; this is the
/// linear approximation RAY + bps * RAY / (10000 * 365 days), enough for tests (bots read btor).
contract Conv {
    uint256 constant RAY = 10 ** 27;
    function btor(uint256 bps) external pure returns (uint256) {
        require(bps <= 65535, "Conv/bps-too-high");
        return RAY + bps * RAY / (10000 * 365 days);
    }
    function rtob(uint256 ray) external pure returns (uint256) {
        return ((ray - RAY) * (10000 * 365 days) + RAY / 2) / RAY;
    }
}

interface SPJugLike { function drip(bytes32) external returns (uint256); function file(bytes32, bytes32, uint256) external; }
interface SPPotLike { function drip() external returns (uint256); function file(bytes32, uint256) external; }
interface SPSUsdsLike { function drip() external returns (uint256); function file(bytes32, uint256) external; }
interface SPConvLike { function btor(uint256) external view returns (uint256); }

/// SPBEAM (MCD_SPBEAM): buds set ilk duties, DSR and SSR within per-id bounds, one step per tau.
contract SPBEAM is SkyWards {
    struct Cfg {
        uint16 min;   // [bps]
        uint16 max;   // [bps]
        uint16 step;  // [bps]
    }
    struct ParamChange {
        bytes32 id;   // ilk name, "DSR" or "SSR"
        uint256 bps;
    }
    mapping (address => uint256) public buds;
    mapping (bytes32 => Cfg) public cfgs;
    uint8  public bad;
    uint64 public tau;
    uint128 public toc;
    SPJugLike   public immutable jug;
    SPPotLike   public immutable pot;
    SPSUsdsLike public immutable susds;
    SPConvLike  public immutable conv;
    uint256 constant RAY = 10 ** 27;

    event Kiss(address indexed usr);
    event Diss(address indexed usr);
    event File(bytes32 indexed what, uint256 data);
    event File(bytes32 indexed id, bytes32 indexed what, uint256 data);
    event Set(bytes32 indexed id, uint256 bps);

    constructor(address jug_, address pot_, address susds_, address conv_) {
        jug = SPJugLike(jug_);
        pot = SPPotLike(pot_);
        susds = SPSUsdsLike(susds_);
        conv = SPConvLike(conv_);
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }
    modifier toll { require(buds[msg.sender] == 1, "SPBEAM/not-facilitator"); _; }
    modifier good { require(bad == 0, "SPBEAM/module-halted"); _; }

    function kiss(address usr) external auth { buds[usr] = 1; emit Kiss(usr); }
    function diss(address usr) external auth { buds[usr] = 0; emit Diss(usr); }

    function file(bytes32 what, uint256 data) external auth {
        if (what == "bad") { require(data <= 1, "SPBEAM/invalid-bad-value"); bad = uint8(data); }
        else if (what == "tau") { require(data <= type(uint64).max, "SPBEAM/invalid-tau-value"); tau = uint64(data); }
        else if (what == "toc") { require(data <= type(uint128).max, "SPBEAM/invalid-toc-value"); toc = uint128(data); }
        else revert("SPBEAM/file-unrecognized-param");
        emit File(what, data);
    }
    function file(bytes32 id, bytes32 what, uint256 data) external auth {
        require(data <= type(uint16).max, "SPBEAM/invalid-value");
        if (what == "min") { require(data <= cfgs[id].max, "SPBEAM/min-too-high"); cfgs[id].min = uint16(data); }
        else if (what == "max") { require(data >= cfgs[id].min, "SPBEAM/max-too-low"); cfgs[id].max = uint16(data); }
        else if (what == "step") { cfgs[id].step = uint16(data); }
        else revert("SPBEAM/file-unrecognized-param");
        emit File(id, what, data);
    }

    function _current(bytes32 id) internal view returns (uint256 ray) {
        if (id == "DSR") return PotRead(address(pot)).dsr();
        if (id == "SSR") return SUsdsRead(address(susds)).ssr();
        (ray,) = JugRead(address(jug)).ilks(id);
    }

    function set(ParamChange[] calldata updates) external toll good {
        require(updates.length > 0, "SPBEAM/empty-batch");
        require(block.timestamp >= tau + toc, "SPBEAM/too-early");
        toc = uint128(block.timestamp);
        bytes32 last;
        for (uint256 i = 0; i < updates.length; i++) {
            bytes32 id = updates[i].id;
            require(id > last, "SPBEAM/updates-out-of-order");
            last = id;
            uint256 bps = updates[i].bps;
            Cfg memory cfg = cfgs[id];
            require(cfg.step > 0, "SPBEAM/rate-not-configured");
            require(bps >= cfg.min, "SPBEAM/below-min");
            require(bps <= cfg.max, "SPBEAM/above-max");
            uint256 oldBps = ConvRead(address(conv)).rtob(_current(id));
            uint256 delta = bps > oldBps ? bps - oldBps : oldBps - bps;
            require(delta <= cfg.step, "SPBEAM/delta-above-step");
            uint256 ray = conv.btor(bps);
            if (id == "DSR") { pot.drip(); pot.file("dsr", ray); }
            else if (id == "SSR") { susds.drip(); susds.file("ssr", ray); }
            else { jug.drip(id); jug.file(id, "duty", ray); }
            emit Set(id, bps);
        }
    }
}
interface PotRead { function dsr() external view returns (uint256); }
interface SUsdsRead { function ssr() external view returns (uint256); }
interface JugRead { function ilks(bytes32) external view returns (uint256 duty, uint256 rho); }
interface ConvRead { function rtob(uint256) external view returns (uint256); }

/// SPBEAMMom (SPBEAM_MOM): owner + authority (the chief: the hat, no delay) may halt SPBEAM.
contract SPBEAMMom {
    address public owner;
    address public authority;
    event SetOwner(address indexed owner);
    event SetAuthority(address indexed authority);
    event Halt(address indexed spbeam);
    constructor() { owner = msg.sender; emit SetOwner(msg.sender); }
    modifier onlyOwner { require(msg.sender == owner, "SPBEAMMom/not-owner"); _; }
    modifier auth { require(isAuthorized(msg.sender, msg.sig), "SPBEAMMom/not-authorized"); _; }
    function isAuthorized(address src, bytes4 sig) internal view returns (bool) {
        if (src == owner) return true;
        if (authority == address(0)) return false;
        return DSAuthority(authority).canCall(src, address(this), sig);
    }
    function setOwner(address owner_) external onlyOwner { owner = owner_; emit SetOwner(owner_); }
    function setAuthority(address authority_) external onlyOwner { authority = authority_; emit SetAuthority(authority_); }
    function halt(address spbeam) external auth {
        SPBEAM(spbeam).file("bad", 1);
        emit Halt(spbeam);
    }
}

/// A stand-in converter for tests: emits DaiToUsds without converting anything (what a
/// DAI_USDS re-pointed to the wrong code would look like).
contract DaiUsdsDouble {
    event DaiToUsds(address indexed caller, address indexed usr, uint256 wad);
    function daiToUsds(address usr, uint256 wad) external {
        emit DaiToUsds(msg.sender, usr, wad);
    }
}

interface StVatLike {
    function suck(address, address, uint256) external;
    function hope(address) external;
}

/// stUSDS (STUSDS): staked-USDS vault whose deposits back Lockstake borrowing; accrues at `str`;
/// `cut` (the Lockstake clipper, governance) sends USDS to the vow and LOWERS chi. Simplified: no
/// `_setLine` into the Vat, no utilisation limit (no Lockstake in the test world).
contract StUsds is SkyUpgradeable {
    StVatLike   public immutable vat;
    SkyJoinLike public immutable usdsJoin;
    TokenLike   public immutable usds;
    address     public immutable vow;
    string  public constant name = "Staked USDS";
    string  public constant symbol = "stUSDS";
    uint8   public constant decimals = 18;
    uint256 public totalSupply;
    mapping (address => uint256) public balanceOf;
    mapping (address => mapping (address => uint256)) public allowance;
    uint256 public chi;  // [ray]
    uint256 public rho;  // [s]
    uint256 public str;  // [ray per second]
    uint256 public cap;  // [wad] max totalAssets
    uint256 public line; // [rad] max debt of the Lockstake ilk
    uint256 constant RAY = 10 ** 27;

    event File(bytes32 indexed what, uint256 data);
    event Cut(uint256 assets, uint256 oldChi, uint256 newChi);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Deposit(address indexed sender, address indexed owner, uint256 assets, uint256 shares);
    event Withdraw(address indexed sender, address indexed receiver, address indexed owner, uint256 assets, uint256 shares);
    event Referral(uint16 indexed referral, address indexed owner, uint256 assets, uint256 shares);
    event Drip(uint256 chi, uint256 diff);

    constructor(address vat_, address usdsJoin_, address usds_, address vow_) {
        vat = StVatLike(vat_);
        usdsJoin = SkyJoinLike(usdsJoin_);
        usds = TokenLike(usds_);
        vow = vow_;
        chi = RAY;
        rho = block.timestamp;
        str = RAY;
        cap = type(uint256).max;
        StVatLike(vat_).hope(usdsJoin_);
        TokenLike(usds_).approve(usdsJoin_, type(uint256).max);
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    function _rpow(uint256 x, uint256 n) internal pure returns (uint256 z) {
        z = n % 2 != 0 ? x : RAY;
        for (n /= 2; n != 0; n /= 2) {
            x = x * x / RAY;
            if (n % 2 != 0) z = z * x / RAY;
        }
    }

    function file(bytes32 what, uint256 data) external auth {
        if (what == "str") {
            require(data >= RAY, "StUsds/wrong-str-value");
            require(rho == block.timestamp, "StUsds/chi-not-up-to-date");
            str = data;
        } else if (what == "cap") cap = data;
        else if (what == "line") line = data;
        else revert("StUsds/file-unrecognized-param");
        emit File(what, data);
    }

    function drip() public returns (uint256 nChi) {
        (uint256 chi_, uint256 rho_) = (chi, rho);
        uint256 diff;
        if (block.timestamp > rho_) {
            nChi = _rpow(str, block.timestamp - rho_) * chi_ / RAY;
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

    /// Bad debt of a Lockstake auction paid by the depositors: `rad` of it, in USDS, to the vow.
    function cut(uint256 rad) external auth {
        uint256 oldChi = drip();
        uint256 assets = (rad + RAY - 1) / RAY;
        uint256 total = totalSupply * oldChi / RAY;
        require(assets <= total, "StUsds/cut-too-large");
        usdsJoin.join(vow, assets);
        uint256 newChi = totalSupply == 0 ? oldChi : (total - assets) * RAY / totalSupply;
        chi = newChi;
        emit Cut(assets, oldChi, newChi);
    }

    function deposit(uint256 assets, address receiver) public returns (uint256 shares) {
        uint256 nChi = drip();
        require(totalSupply * nChi / RAY + assets <= cap, "StUsds/supply-cap-exceeded");
        shares = assets * RAY / nChi;
        usds.transferFrom(msg.sender, address(this), assets);
        balanceOf[receiver] += shares;
        totalSupply += shares;
        emit Deposit(msg.sender, receiver, assets, shares);
        emit Transfer(address(0), receiver, shares);
    }
    function withdraw(uint256 assets, address receiver, address owner) external returns (uint256 shares) {
        uint256 nChi = drip();
        shares = (assets * RAY + nChi - 1) / nChi;
        require(owner == msg.sender, "StUsds/not-owner");
        require(balanceOf[owner] >= shares, "StUsds/insufficient-balance");
        balanceOf[owner] -= shares;
        totalSupply -= shares;
        usds.transfer(receiver, assets);
        emit Transfer(owner, address(0), shares);
        emit Withdraw(msg.sender, receiver, owner, assets, shares);
    }
}

interface RsStUsdsLike { function drip() external returns (uint256); function file(bytes32, uint256) external; }

/// StUsdsRateSetter (STUSDS_RATE_SETTER): buds set stUSDS's str, the Lockstake ilk's duty, the
/// ilk line and the stUSDS cap in one `set`, within bounds, one step per tau; `bad` halts it.
contract StUsdsRateSetter is SkyWards {
    struct Cfg { uint16 min; uint16 max; uint16 step; }
    mapping (address => uint256) public buds;
    mapping (bytes32 => Cfg) public cfgs;   // "STR" and the ilk name
    uint8   public bad;
    uint64  public tau;
    uint128 public toc;
    uint256 public maxLine;  // [rad]
    uint256 public maxCap;   // [wad]
    RsStUsdsLike public immutable stusds;
    SPJugLike    public immutable jug;
    SPConvLike   public immutable conv;
    bytes32      public immutable ilk;

    event Kiss(address indexed usr);
    event Diss(address indexed usr);
    event File(bytes32 indexed what, uint256 data);
    event File(bytes32 indexed id, bytes32 indexed what, uint256 data);
    event Set(uint256 strBps, uint256 dutyBps, uint256 line, uint256 cap);

    constructor(address stusds_, address jug_, address conv_, bytes32 ilk_) {
        stusds = RsStUsdsLike(stusds_);
        jug = SPJugLike(jug_);
        conv = SPConvLike(conv_);
        ilk = ilk_;
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }
    modifier toll { require(buds[msg.sender] == 1, "StUsdsRateSetter/not-facilitator"); _; }
    modifier good { require(bad == 0, "StUsdsRateSetter/module-halted"); _; }

    function kiss(address usr) external auth { buds[usr] = 1; emit Kiss(usr); }
    function diss(address usr) external auth { buds[usr] = 0; emit Diss(usr); }

    function file(bytes32 what, uint256 data) external auth {
        if (what == "bad") { require(data <= 1, "StUsdsRateSetter/invalid-bad-value"); bad = uint8(data); }
        else if (what == "tau") tau = uint64(data);
        else if (what == "toc") toc = uint128(data);
        else if (what == "maxLine") maxLine = data;
        else if (what == "maxCap") maxCap = data;
        else revert("StUsdsRateSetter/file-unrecognized-param");
        emit File(what, data);
    }
    function file(bytes32 id, bytes32 what, uint256 data) external auth {
        require(id == "STR" || id == ilk, "StUsdsRateSetter/invalid-id");
        require(data <= type(uint16).max, "StUsdsRateSetter/invalid-value");
        if (what == "min") cfgs[id].min = uint16(data);
        else if (what == "max") cfgs[id].max = uint16(data);
        else if (what == "step") cfgs[id].step = uint16(data);
        else revert("StUsdsRateSetter/file-unrecognized-param");
        emit File(id, what, data);
    }

    function _check(bytes32 id, uint256 bps, uint256 oldRay) internal view {
        Cfg memory c = cfgs[id];
        require(c.step > 0, "StUsdsRateSetter/rate-not-configured");
        require(bps >= c.min && bps <= c.max, "StUsdsRateSetter/out-of-bounds");
        uint256 oldBps = ConvRead(address(conv)).rtob(oldRay);
        uint256 delta = bps > oldBps ? bps - oldBps : oldBps - bps;
        require(delta <= c.step, "StUsdsRateSetter/delta-above-step");
    }

    function set(uint256 strBps, uint256 dutyBps, uint256 line, uint256 cap) external toll good {
        require(block.timestamp >= tau + toc, "StUsdsRateSetter/too-early");
        require(line <= maxLine, "StUsdsRateSetter/line-too-high");
        require(cap <= maxCap, "StUsdsRateSetter/cap-too-high");
        toc = uint128(block.timestamp);
        _check("STR", strBps, StRead(address(stusds)).str());
        (uint256 duty,) = JugRead(address(jug)).ilks(ilk);
        _check(ilk, dutyBps, duty);
        stusds.drip();
        stusds.file("str", conv.btor(strBps));
        jug.drip(ilk);
        jug.file(ilk, "duty", conv.btor(dutyBps));
        stusds.file("line", line);
        stusds.file("cap", cap);
        emit Set(strBps, dutyBps, line, cap);
    }
}
interface StRead { function str() external view returns (uint256); }

interface RsLike { function file(bytes32, uint256) external; function diss(address) external; }

/// StUsdsMom (STUSDS_MOM): owner + authority (the chief's hat, no delay) halt the rate setter,
/// zero the stUSDS cap or the ilk line, or remove a bud.
contract StUsdsMom {
    address public owner;
    address public authority;
    RsStUsdsLike public immutable stusds;
    event SetOwner(address indexed owner);
    event SetAuthority(address indexed authority);
    event DissRateSetterBud(address indexed rateSetter, address bud);
    event HaltRateSetter(address indexed rateSetter);
    event ZeroCap(address indexed rateSetter);
    event ZeroLine(address indexed rateSetter);
    constructor(address stusds_) { stusds = RsStUsdsLike(stusds_); owner = msg.sender; emit SetOwner(msg.sender); }
    modifier onlyOwner { require(msg.sender == owner, "StUsdsMom/not-owner"); _; }
    modifier auth {
        require(msg.sender == owner || (authority != address(0) && DSAuthority(authority).canCall(msg.sender, address(this), msg.sig)), "StUsdsMom/not-authorized");
        _;
    }
    function setOwner(address owner_) external onlyOwner { owner = owner_; emit SetOwner(owner_); }
    function setAuthority(address authority_) external onlyOwner { authority = authority_; emit SetAuthority(authority_); }
    function dissRateSetterBud(address rateSetter, address bud) external auth { RsLike(rateSetter).diss(bud); emit DissRateSetterBud(rateSetter, bud); }
    function haltRateSetter(address rateSetter) external auth { RsLike(rateSetter).file("bad", 1); emit HaltRateSetter(rateSetter); }
    function zeroCap(address rateSetter) external auth { stusds.file("cap", 0); RsLike(rateSetter).file("maxCap", 0); emit ZeroCap(rateSetter); }
    function zeroLine(address rateSetter) external auth { stusds.file("line", 0); RsLike(rateSetter).file("maxLine", 0); stusds.drip(); emit ZeroLine(rateSetter); }
}
