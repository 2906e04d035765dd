// SPDX-License-Identifier: MIT
// Vigil test contract: Sky's LockstakeClipper (LOCKSTAKE_CLIP) with stUSDS as `cuttee`, as
// ../shared/reference/sky.md §8.3 describes it (dss clip.sol's Dutch auction plus the engine's
// onKick/onTake/onRemove callbacks and the stUSDS hooks). Same function signatures and events as
// mainnet's; written for Vigil, not copied. Simplifications (none a bot relies on): the price falls
// linearly to 0 over `tail` (mainnet: LOCKSTAKE_CLIP_CALC, an exponential decrease); no keeper
// callback on take; `redo` pays no incentive (`coin` 0); `yank` leaves the SKY in the engine.
pragma solidity 0.8.30;

import "./SkyLockstake.sol";

interface LsCutteeLike { function drip() external returns (uint256); function cut(uint256) external; }
interface LsDogLike { function chop(bytes32) external view returns (uint256); function digs(bytes32, uint256) external; }

/// LockstakeClipper (LOCKSTAKE_CLIP): Dutch auctions of an urn's SKY; tracks `Due` (the debt of
/// active auctions, tab/chop); an auction that sells out short of its due cuts stUSDS (`cuttee`).
contract LockstakeClipper is SkyWards {
    bytes32      public immutable ilk;
    LsVatLike    public immutable vat;
    LsEngineLike public immutable engine;
    address public dog;
    address public vow;
    address public spotter;
    address public calc;
    address public cuttee;
    address public pip;
    uint256 public buf;
    uint256 public tail;
    uint256 public cusp;
    uint64  public chip;
    uint192 public tip;
    uint256 public chost;
    uint256 public kicks;
    uint256[] public active;
    uint256 public Due;
    uint256 public stopped;
    struct Sale { uint256 pos; uint256 tab; uint256 lot; uint256 tot; address usr; uint96 tic; uint256 top; }
    mapping (uint256 => Sale) public sales;
    /// per auction: its debt without the penalty (tab / chop) and what takes paid so far [rad]
    mapping (uint256 => uint256) public dues;
    mapping (uint256 => uint256) public paid;
    uint256 constant RAY = 10 ** 27;
    uint256 constant WAD = 10 ** 18;

    event File(bytes32 indexed what, uint256 data);
    event File(bytes32 indexed what, address data);
    event Kick(uint256 indexed id, uint256 top, uint256 tab, uint256 lot, address indexed usr, address indexed kpr, uint256 coin);
    event Take(uint256 indexed id, uint256 max, uint256 price, uint256 owe, uint256 tab, uint256 lot, address indexed usr);
    event Redo(uint256 indexed id, uint256 top, uint256 tab, uint256 lot, address indexed usr, address indexed kpr, uint256 coin);
    event Yank(uint256 id);

    constructor(address vat_, address spotter_, address dog_, address engine_, bytes32 ilk_) {
        vat = LsVatLike(vat_);
        spotter = spotter_;
        dog = dog_;
        engine = LsEngineLike(engine_);
        ilk = ilk_;
        buf = RAY;
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    function file(bytes32 what, uint256 data) external auth {
        if (what == "buf") buf = data;
        else if (what == "tail") tail = data;
        else if (what == "cusp") cusp = data;
        else if (what == "chip") chip = uint64(data);
        else if (what == "tip") tip = uint192(data);
        else if (what == "stopped") stopped = data;
        else revert("LockstakeClipper/file-unrecognized-param");
        emit File(what, data);
    }
    function file(bytes32 what, address data) external auth {
        if (what == "spotter") spotter = data;
        else if (what == "dog") dog = data;
        else if (what == "vow") vow = data;
        else if (what == "calc") calc = data;
        else if (what == "cuttee") cuttee = data;
        else if (what == "pip") pip = data;
        else revert("LockstakeClipper/file-unrecognized-param");
        emit File(what, data);
    }

    function count() external view returns (uint256) { return active.length; }
    function list() external view returns (uint256[] memory) { return active; }

    /// The capped oracle's price [ray].
    function _feed() internal view returns (uint256) {
        (bytes32 val, bool has) = LsPipLike(pip).peek();
        require(has, "LockstakeClipper/invalid-price");
        return uint256(val) * 10 ** 9;
    }
    function _price(uint256 top, uint256 dur) internal view returns (uint256) {
        if (dur >= tail) return 0;
        return top * (tail - dur) / tail;
    }

    function kick(uint256 tab, uint256 lot, address usr, address kpr) external auth returns (uint256 id) {
        require(stopped < 1, "LockstakeClipper/stopped-incorrect");
        require(tab > 0 && lot > 0 && usr != address(0), "LockstakeClipper/zero-args");
        id = ++kicks;
        active.push(id);
        uint256 due = tab * WAD / LsDogLike(dog).chop(ilk);
        uint256 top = _feed() * buf / RAY;
        sales[id] = Sale(active.length - 1, tab, lot, lot, usr, uint96(block.timestamp), top);
        dues[id] = due;
        Due += due;
        if (cuttee != address(0)) LsCutteeLike(cuttee).drip();
        engine.onKick(usr, lot);
        emit Kick(id, top, tab, lot, usr, kpr, 0);
    }

    function take(uint256 id, uint256 amt, uint256 max, address who, bytes calldata) external {
        require(stopped < 3, "LockstakeClipper/stopped-incorrect");
        Sale memory s = sales[id];
        require(s.usr != address(0), "LockstakeClipper/not-running-auction");
        uint256 price = _price(s.top, block.timestamp - s.tic);
        require(price > 0, "LockstakeClipper/needs-reset");
        require(max >= price, "LockstakeClipper/too-expensive");
        uint256 slice = amt < s.lot ? amt : s.lot;
        uint256 owe = slice * price;
        if (owe > s.tab) { owe = s.tab; slice = owe / price; }
        s.tab -= owe;
        s.lot -= slice;
        vat.slip(ilk, address(this), -int256(slice));
        engine.onTake(s.usr, who, slice);
        vat.move(msg.sender, vow, owe);
        LsDogLike(dog).digs(ilk, owe);
        uint256 got = paid[id] + owe;
        if (s.lot == 0 || s.tab == 0) {
            uint256 due = dues[id];
            _remove(id);
            delete dues[id];
            delete paid[id];
            if (s.lot > 0) vat.slip(ilk, address(this), -int256(s.lot));
            engine.onRemove(s.usr, s.tot - s.lot, s.lot);
            Due -= due;
            if (s.tab > 0) LsDogLike(dog).digs(ilk, s.tab);
            // sold out short of the debt: stUSDS depositors pay the rest
            if (got < due && cuttee != address(0)) LsCutteeLike(cuttee).cut(due - got);
        } else {
            sales[id].tab = s.tab;
            sales[id].lot = s.lot;
            paid[id] = got;
        }
        emit Take(id, max, price, owe, s.tab, s.lot, s.usr);
    }

    /// As dss clip: restart an auction that is too old or too cheap at the current price * buf.
    function redo(uint256 id, address kpr) external {
        require(stopped < 2, "LockstakeClipper/stopped-incorrect");
        Sale memory s = sales[id];
        require(s.usr != address(0), "LockstakeClipper/not-running-auction");
        uint256 price = _price(s.top, block.timestamp - s.tic);
        require(block.timestamp - s.tic >= tail || price * RAY < s.top * cusp, "LockstakeClipper/cannot-reset");
        uint256 top = _feed() * buf / RAY;
        sales[id].tic = uint96(block.timestamp);
        sales[id].top = top;
        emit Redo(id, top, s.tab, s.lot, s.usr, kpr, 0);
    }

    /// As LockstakeClipper: End (a ward) cancels a running auction; the urn gets nothing back.
    function yank(uint256 id) external auth {
        Sale memory s = sales[id];
        require(s.usr != address(0), "LockstakeClipper/not-running-auction");
        LsDogLike(dog).digs(ilk, s.tab);
        vat.slip(ilk, address(this), -int256(s.lot));
        engine.onRemove(s.usr, 0, 0);
        Due -= dues[id];
        delete dues[id];
        delete paid[id];
        _remove(id);
        emit Yank(id);
    }

    /// As dss clip: whether the auction needs a redo (too old or too cheap), its price, lot and tab.
    function getStatus(uint256 id) external view returns (bool needsRedo, uint256 price, uint256 lot, uint256 tab) {
        Sale memory s = sales[id];
        if (s.usr == address(0)) return (false, 0, 0, 0);
        price = _price(s.top, block.timestamp - s.tic);
        needsRedo = block.timestamp - s.tic >= tail || price * RAY < s.top * cusp;
        return (needsRedo, price, s.lot, s.tab);
    }

    function _remove(uint256 id) internal {
        uint256 last = active[active.length - 1];
        if (id != last) {
            uint256 pos = sales[id].pos;
            active[pos] = last;
            sales[last].pos = pos;
        }
        active.pop();
        delete sales[id];
    }
}

