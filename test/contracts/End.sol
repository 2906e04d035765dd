// SPDX-License-Identifier: MIT
// Vigil test contract: the global settlement module (MCD_END, dss end.sol with events). cage() takes
// the system down: cages the Vat and every module it knows (a module left unset is skipped, so a
// partial system can be shut down too). cage(ilk) fixes the ilk's cage price; skim/free/thaw/flow/
// pack/cash settle as on mainnet. Events Rely/Deny/File/Cage()/Cage(ilk)/Snip/Skim/Free/Thaw/Flow/Pack/Cash.
pragma solidity 0.8.30;

import "./lib.sol";

interface CagedLike { function cage() external; }
interface VowCageLike { function cage() external; }
interface EndSpotLike {
    function par() external view returns (uint256);
    function ilks(bytes32) external view returns (address pip, uint256 mat);
    function cage() external;
}
interface EndPipLike { function read() external view returns (bytes32); }
interface EndDogLike { function ilks(bytes32) external view returns (address clip, uint256 chop, uint256 hole, uint256 dirt); function cage() external; }
interface EndClipLike {
    function sales(uint256) external view returns (uint256 pos, uint256 tab, uint256 lot, address usr, uint96 tic, uint256 top);
    function yank(uint256) external;
}
interface EndCureLike { function tell() external view returns (uint256); function cage() external; }

contract End {
    mapping (address => uint256) public wards;
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    modifier auth {
        require(wards[msg.sender] == 1, "End/not-authorized");
        _;
    }

    VatLike     public vat;
    CagedLike   public cat;
    EndDogLike  public dog;
    VowCageLike public vow;
    CagedLike   public pot;
    EndSpotLike public spot;
    EndCureLike public cure;

    uint256 public live;  // Active Flag
    uint256 public when;  // Time of cage                              [unix epoch time]
    uint256 public wait;  // Processing cooldown length                [seconds]
    uint256 public debt;  // Total outstanding dai following processing [rad]

    mapping (bytes32 => uint256) public tag;  // Cage price           [ray]
    mapping (bytes32 => uint256) public gap;  // Collateral shortfall [wad]
    mapping (bytes32 => uint256) public Art;  // Total debt per ilk   [wad]
    mapping (bytes32 => uint256) public fix;  // Final cash price     [ray]

    mapping (address => uint256)                      public bag;  // [wad]
    mapping (bytes32 => mapping (address => uint256)) public out;  // [wad]

    event Rely(address indexed usr);
    event Deny(address indexed usr);
    event File(bytes32 indexed what, uint256 data);
    event File(bytes32 indexed what, address data);
    event Cage();
    event Cage(bytes32 indexed ilk);
    event Snip(bytes32 indexed ilk, uint256 indexed id, address indexed usr, uint256 tab, uint256 lot, uint256 art);
    event Skim(bytes32 indexed ilk, address indexed urn, uint256 wad, uint256 art);
    event Free(bytes32 indexed ilk, address indexed usr, uint256 ink);
    event Thaw();
    event Flow(bytes32 indexed ilk);
    event Pack(address indexed usr, uint256 wad);
    event Cash(bytes32 indexed ilk, address indexed usr, uint256 wad);

    constructor() {
        wards[msg.sender] = 1;
        live = 1;
        emit Rely(msg.sender);
    }

    uint256 constant WAD = 10 ** 18;
    uint256 constant RAY = 10 ** 27;
    function rmul(uint256 x, uint256 y) internal pure returns (uint256) { return x * y / RAY; }
    function rdiv(uint256 x, uint256 y) internal pure returns (uint256) { return x * RAY / y; }
    function wdiv(uint256 x, uint256 y) internal pure returns (uint256) { return x * WAD / y; }
    function min(uint256 x, uint256 y) internal pure returns (uint256) { return x <= y ? x : y; }

    function file(bytes32 what, address data) external auth {
        require(live == 1, "End/not-live");
        if (what == "vat")       vat = VatLike(data);
        else if (what == "cat")  cat = CagedLike(data);
        else if (what == "dog")  dog = EndDogLike(data);
        else if (what == "vow")  vow = VowCageLike(data);
        else if (what == "pot")  pot = CagedLike(data);
        else if (what == "spot") spot = EndSpotLike(data);
        else if (what == "cure") cure = EndCureLike(data);
        else revert("End/file-unrecognized-param");
        emit File(what, data);
    }
    function file(bytes32 what, uint256 data) external auth {
        require(live == 1, "End/not-live");
        if (what == "wait") wait = data;
        else revert("End/file-unrecognized-param");
        emit File(what, data);
    }

    function cage() external auth {
        require(live == 1, "End/not-live");
        live = 0;
        when = block.timestamp;
        vat.cage();
        if (address(cat)  != address(0)) cat.cage();
        if (address(dog)  != address(0)) dog.cage();
        if (address(vow)  != address(0)) vow.cage();
        if (address(spot) != address(0)) spot.cage();
        if (address(pot)  != address(0)) pot.cage();
        if (address(cure) != address(0)) cure.cage();
        emit Cage();
    }

    function cage(bytes32 ilk) external {
        require(live == 0, "End/still-live");
        require(tag[ilk] == 0, "End/tag-ilk-already-defined");
        (Art[ilk],,,,) = vat.ilks(ilk);
        (address pip,) = spot.ilks(ilk);
        // par is a ray, the pip returns a wad
        tag[ilk] = wdiv(spot.par(), uint256(EndPipLike(pip).read()));
        emit Cage(ilk);
    }

    function snip(bytes32 ilk, uint256 id) external {
        require(tag[ilk] != 0, "End/tag-ilk-not-defined");
        (address clip,,,) = dog.ilks(ilk);
        (, uint256 rate,,,) = vat.ilks(ilk);
        (, uint256 tab, uint256 lot, address usr,,) = EndClipLike(clip).sales(id);
        vat.suck(address(vow), address(vow), tab);
        EndClipLike(clip).yank(id);
        uint256 art = tab / rate;
        Art[ilk] += art;
        require(int256(lot) >= 0 && int256(art) >= 0, "End/overflow");
        vat.grab(ilk, usr, address(this), address(vow), int256(lot), int256(art));
        emit Snip(ilk, id, usr, tab, lot, art);
    }

    function skim(bytes32 ilk, address urn) external {
        require(tag[ilk] != 0, "End/tag-ilk-not-defined");
        (, uint256 rate,,,) = vat.ilks(ilk);
        (uint256 ink, uint256 art) = vat.urns(ilk, urn);
        uint256 owe = rmul(rmul(art, rate), tag[ilk]);
        uint256 wad = min(ink, owe);
        gap[ilk] += owe - wad;
        require(wad <= 2 ** 255 && art <= 2 ** 255, "End/overflow");
        vat.grab(ilk, urn, address(this), address(vow), -int256(wad), -int256(art));
        emit Skim(ilk, urn, wad, art);
    }

    function free(bytes32 ilk) external {
        require(live == 0, "End/still-live");
        (uint256 ink, uint256 art) = vat.urns(ilk, msg.sender);
        require(art == 0, "End/art-not-zero");
        require(ink <= 2 ** 255, "End/overflow");
        vat.grab(ilk, msg.sender, msg.sender, address(vow), -int256(ink), 0);
        emit Free(ilk, msg.sender, ink);
    }

    function thaw() external {
        require(live == 0, "End/still-live");
        require(debt == 0, "End/debt-not-zero");
        require(vat.dai(address(vow)) == 0, "End/surplus-not-zero");
        require(block.timestamp >= when + wait, "End/wait-not-finished");
        debt = vat.debt() - (address(cure) != address(0) ? cure.tell() : 0);
        emit Thaw();
    }

    function flow(bytes32 ilk) external {
        require(debt != 0, "End/debt-zero");
        require(fix[ilk] == 0, "End/fix-ilk-already-defined");
        (, uint256 rate,,,) = vat.ilks(ilk);
        uint256 wad = rmul(rmul(Art[ilk], rate), tag[ilk]);
        fix[ilk] = (wad - gap[ilk]) * RAY / (debt / RAY);
        emit Flow(ilk);
    }

    function pack(uint256 wad) external {
        require(debt != 0, "End/debt-zero");
        vat.move(msg.sender, address(vow), wad * RAY);
        bag[msg.sender] += wad;
        emit Pack(msg.sender, wad);
    }

    function cash(bytes32 ilk, uint256 wad) external {
        require(fix[ilk] != 0, "End/fix-ilk-not-defined");
        vat.flux(ilk, address(this), msg.sender, rmul(wad, fix[ilk]));
        out[ilk][msg.sender] += wad;
        require(out[ilk][msg.sender] <= bag[msg.sender], "End/insufficient-bag-balance");
        emit Cash(ilk, msg.sender, wad);
    }
}
