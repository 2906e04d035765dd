// SPDX-License-Identifier: MIT
// Vigil test contracts: dss-vest (sky-ecosystem/dss-vest), the vesting contracts behind the
// ChainLog's MCD_VEST_* keys: DssVestSuckable (MCD_VEST_USDS, MCD_VEST_DAI: pays by sucking new
// dai against the Vow, so it is a Vat ward) and DssVestMintable (MCD_VEST_SKY: pays by minting
// SKY, so it is a ward of SKY). Same function signatures, events and Award layout as dss-vest;
// written for Vigil, not copied. Simplifications (none a bot relies on): no restrict/unrestrict,
// move or yank; the suckable one takes the Vat, the join and the Vow in its constructor instead
// of reading them from the ChainLog.
pragma solidity 0.8.30;

interface VestVatLike {
    function suck(address, address, uint256) external;
    function hope(address) external;
}
interface VestJoinLike { function exit(address, uint256) external; }
interface VestGemLike { function mint(address, uint256) external; }

abstract contract DssVest {
    uint256 internal constant RAY = 10 ** 27;
    struct Award {
        address usr;   // Vesting recipient
        uint48  bgn;   // Start of vesting period  [timestamp]
        uint48  clf;   // The cliff date           [timestamp]
        uint48  fin;   // End of vesting period    [timestamp]
        address mgr;   // A manager address that can yank
        uint8   res;   // Restricted
        uint128 tot;   // Total reward amount
        uint128 rxd;   // Amount of vest claimed
    }
    mapping (address => uint256) public wards;
    mapping (uint256 => Award) public awards;
    uint256 public cap;  // maximum per-second issuance token rate
    uint256 public ids;  // total vestings

    event Rely(address indexed usr);
    event Deny(address indexed usr);
    event Init(uint256 indexed id, address indexed usr);
    event Vest(uint256 indexed id, uint256 amt);
    event File(bytes32 indexed what, uint256 data);

    constructor() { wards[msg.sender] = 1; emit Rely(msg.sender); }
    modifier auth { require(wards[msg.sender] == 1, "DssVest/not-authorized"); _; }
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    function file(bytes32 what, uint256 data) external auth {
        if (what == "cap") cap = data;
        else revert("DssVest/file-unrecognized-param");
        emit File(what, data);
    }

    function create(address _usr, uint256 _tot, uint256 _bgn, uint256 _tau, uint256 _eta, address _mgr) external auth returns (uint256 id) {
        require(_usr != address(0), "DssVest/invalid-user");
        require(_tot > 0, "DssVest/no-vest-total-amount");
        require(_tau > 0, "DssVest/tau-zero");
        require(_tot / _tau <= cap, "DssVest/rate-too-high");
        require(_eta <= _tau, "DssVest/eta-too-long");
        id = ++ids;
        awards[id] = Award({
            usr: _usr, bgn: uint48(_bgn), clf: uint48(_bgn + _eta), fin: uint48(_bgn + _tau), mgr: _mgr,
            res: 0, tot: uint128(_tot), rxd: 0
        });
        emit Init(id, _usr);
    }

    function accrued(uint256 _id) public view returns (uint256 amt) {
        Award memory a = awards[_id];
        require(a.usr != address(0), "DssVest/invalid-award");
        if (block.timestamp < a.bgn) return 0;
        if (block.timestamp >= a.fin) return a.tot;
        return uint256(a.tot) * (block.timestamp - a.bgn) / (a.fin - a.bgn);
    }
    function unpaid(uint256 _id) public view returns (uint256) {
        Award memory a = awards[_id];
        if (block.timestamp < a.clf) return 0;
        return accrued(_id) - a.rxd;
    }

    function vest(uint256 _id) external { _vest(_id, type(uint256).max); }
    function vest(uint256 _id, uint256 _maxAmt) external { _vest(_id, _maxAmt); }
    function _vest(uint256 _id, uint256 _maxAmt) internal {
        Award memory a = awards[_id];
        require(a.usr != address(0), "DssVest/invalid-award");
        uint256 amt = unpaid(_id);
        amt = _maxAmt < amt ? _maxAmt : amt;
        awards[_id].rxd = uint128(a.rxd + amt);
        pay(a.usr, amt);
        emit Vest(_id, amt);
    }
    function pay(address _guy, uint256 _amt) internal virtual;
}

/// MCD_VEST_USDS / MCD_VEST_DAI: pays by `vat.suck(vow, this, amt * RAY)` then the join's exit.
contract DssVestSuckable is DssVest {
    VestVatLike  public immutable vat;
    VestJoinLike public immutable join;
    address      public immutable vow;
    constructor(address vat_, address join_, address vow_) {
        vat = VestVatLike(vat_);
        join = VestJoinLike(join_);
        vow = vow_;
        VestVatLike(vat_).hope(join_);
    }
    function pay(address _guy, uint256 _amt) internal override {
        vat.suck(vow, address(this), _amt * RAY);
        join.exit(_guy, _amt);
    }
}

/// MCD_VEST_SKY: pays by minting the gem (SKY), of which it is a ward.
contract DssVestMintable is DssVest {
    VestGemLike public immutable gem;
    constructor(address gem_) { gem = VestGemLike(gem_); }
    function pay(address _guy, uint256 _amt) internal override { gem.mint(_guy, _amt); }
}
