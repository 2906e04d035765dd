// SPDX-License-Identifier: MIT
// Vigil test contracts: Dutch auctions of liquidated collateral (MCD_CLIP_*, dss clip.sol) and the
// LinearDecrease price curve (MCD_CLIP_CALC_*, dss abaci.sol). Named events Kick/Take/Redo/Yank/File/
// Rely/Deny; getStatus/list/count/sales; stopped breaker levels 0..3; tip/chip keeper incentives.
pragma solidity 0.8.30;

import "./lib.sol";

interface ClipPipLike { function peek() external view returns (bytes32, bool); }
interface ClipSpotterLike {
    function par() external view returns (uint256);
    function ilks(bytes32) external view returns (address, uint256);
}
interface ClipDogLike {
    function chop(bytes32) external view returns (uint256);
    function digs(bytes32, uint256) external;
}
interface ClipperCallee {
    function clipperCall(address, uint256, uint256, bytes calldata) external;
}
interface AbacusLike {
    function price(uint256, uint256) external view returns (uint256);
}

contract Clipper {
    mapping (address => uint256) public wards;
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    modifier auth {
        require(wards[msg.sender] == 1, "Clipper/not-authorized");
        _;
    }

    bytes32 immutable public ilk;
    VatLike immutable public vat;

    ClipDogLike     public dog;
    address         public vow;
    ClipSpotterLike public spotter;
    AbacusLike      public calc;

    uint256 public buf;    // starting price multiplier        [ray]
    uint256 public tail;   // time before reset                [seconds]
    uint256 public cusp;   // price drop before reset          [ray]
    uint64  public chip;   // % of tab paid to the kicker      [wad]
    uint192 public tip;    // flat fee paid to the kicker      [rad]
    uint256 public chost;  // ilk dust * chop                  [rad]

    uint256   public kicks;
    uint256[] public active;

    struct Sale {
        uint256 pos;  // index in `active`
        uint256 tab;  // dai to raise       [rad]
        uint256 lot;  // collateral to sell [wad]
        address usr;  // liquidated urn
        uint96  tic;  // auction start time
        uint256 top;  // starting price     [ray]
    }
    mapping (uint256 => Sale) public sales;

    uint256 internal locked;

    // 0: no breaker, 1: no new kick(), 2: no new kick() or redo(), 3: no kick(), redo() or take()
    uint256 public stopped = 0;

    event Rely(address indexed usr);
    event Deny(address indexed usr);
    event File(bytes32 indexed what, uint256 data);
    event File(bytes32 indexed what, address data);
    event Kick(uint256 indexed id, uint256 top, uint256 tab, uint256 lot, address indexed usr, address indexed kpr, uint256 coin);
    event Take(uint256 indexed id, uint256 max, uint256 price, uint256 owe, uint256 tab, uint256 lot, address indexed usr);
    event Redo(uint256 indexed id, uint256 top, uint256 tab, uint256 lot, address indexed usr, address indexed kpr, uint256 coin);
    event Yank(uint256 id);

    constructor(address vat_, address spotter_, address dog_, bytes32 ilk_) {
        vat     = VatLike(vat_);
        spotter = ClipSpotterLike(spotter_);
        dog     = ClipDogLike(dog_);
        ilk     = ilk_;
        buf     = RAY;
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    modifier lock {
        require(locked == 0, "Clipper/system-locked");
        locked = 1;
        _;
        locked = 0;
    }

    modifier isStopped(uint256 level) {
        require(stopped < level, "Clipper/stopped-incorrect");
        _;
    }

    function file(bytes32 what, uint256 data) external auth lock {
        if      (what == "buf")     buf = data;
        else if (what == "tail")    tail = data;
        else if (what == "cusp")    cusp = data;
        else if (what == "chip")    chip = uint64(data);
        else if (what == "tip")     tip = uint192(data);
        else if (what == "stopped") stopped = data;
        else revert("Clipper/file-unrecognized-param");
        emit File(what, data);
    }
    function file(bytes32 what, address data) external auth lock {
        if (what == "spotter") spotter = ClipSpotterLike(data);
        else if (what == "dog")  dog = ClipDogLike(data);
        else if (what == "vow")  vow = data;
        else if (what == "calc") calc = AbacusLike(data);
        else revert("Clipper/file-unrecognized-param");
        emit File(what, data);
    }

    uint256 constant BLN = 10 ** 9;
    uint256 constant WAD = 10 ** 18;
    uint256 constant RAY = 10 ** 27;

    function min(uint256 x, uint256 y) internal pure returns (uint256) { return x <= y ? x : y; }
    function wmul(uint256 x, uint256 y) internal pure returns (uint256) { return x * y / WAD; }
    function rmul(uint256 x, uint256 y) internal pure returns (uint256) { return x * y / RAY; }
    function rdiv(uint256 x, uint256 y) internal pure returns (uint256) { return x * RAY / y; }

    function getFeedPrice() internal view returns (uint256 feedPrice) {
        (address pip, ) = spotter.ilks(ilk);
        (bytes32 val, bool has) = ClipPipLike(pip).peek();
        require(has, "Clipper/invalid-price");
        feedPrice = rdiv(uint256(val) * BLN, spotter.par());
    }

    function kick(uint256 tab, uint256 lot, address usr, address kpr) external auth lock isStopped(1) returns (uint256 id) {
        require(tab  >          0, "Clipper/zero-tab");
        require(lot  >          0, "Clipper/zero-lot");
        require(usr != address(0), "Clipper/zero-usr");
        id = ++kicks;
        require(id   >          0, "Clipper/overflow");

        active.push(id);

        sales[id].pos = active.length - 1;
        sales[id].tab = tab;
        sales[id].lot = lot;
        sales[id].usr = usr;
        sales[id].tic = uint96(block.timestamp);

        uint256 top = rmul(getFeedPrice(), buf);
        require(top > 0, "Clipper/zero-top-price");
        sales[id].top = top;

        uint256 _tip  = tip;
        uint256 _chip = chip;
        uint256 coin;
        if (_tip > 0 || _chip > 0) {
            coin = _tip + wmul(tab, _chip);
            vat.suck(vow, kpr, coin);
        }

        emit Kick(id, top, tab, lot, usr, kpr, coin);
    }

    function redo(uint256 id, address kpr) external lock isStopped(2) {
        address usr = sales[id].usr;
        uint96  tic = sales[id].tic;
        uint256 top = sales[id].top;

        require(usr != address(0), "Clipper/not-running-auction");

        (bool done,) = status(tic, top);
        require(done, "Clipper/cannot-reset");

        uint256 tab   = sales[id].tab;
        uint256 lot   = sales[id].lot;
        sales[id].tic = uint96(block.timestamp);

        uint256 feedPrice = getFeedPrice();
        top = rmul(feedPrice, buf);
        require(top > 0, "Clipper/zero-top-price");
        sales[id].top = top;

        uint256 _tip  = tip;
        uint256 _chip = chip;
        uint256 coin;
        if (_tip > 0 || _chip > 0) {
            uint256 _chost = chost;
            if (tab >= _chost && lot * feedPrice >= _chost) {
                coin = _tip + wmul(tab, _chip);
                vat.suck(vow, kpr, coin);
            }
        }

        emit Redo(id, top, tab, lot, usr, kpr, coin);
    }

    function take(uint256 id, uint256 amt, uint256 max, address who, bytes calldata data) external lock isStopped(3) {
        address usr = sales[id].usr;
        uint96  tic = sales[id].tic;

        require(usr != address(0), "Clipper/not-running-auction");

        uint256 price;
        {
            bool done;
            (done, price) = status(tic, sales[id].top);
            require(!done, "Clipper/needs-reset");
        }

        require(max >= price, "Clipper/too-expensive");

        uint256 lot = sales[id].lot;
        uint256 tab = sales[id].tab;
        uint256 owe;

        {
            uint256 slice = min(lot, amt);
            owe = slice * price;

            if (owe > tab) {
                owe = tab;
                slice = owe / price;
            } else if (owe < tab && slice < lot) {
                uint256 _chost = chost;
                if (tab - owe < _chost) {
                    require(tab > _chost, "Clipper/no-partial-purchase");
                    owe = tab - _chost;
                    slice = owe / price;
                }
            }

            tab = tab - owe;
            lot = lot - slice;

            vat.flux(ilk, address(this), who, slice);

            ClipDogLike dog_ = dog;
            if (data.length > 0 && who != address(vat) && who != address(dog_)) {
                ClipperCallee(who).clipperCall(msg.sender, owe, slice, data);
            }

            vat.move(msg.sender, vow, owe);

            dog_.digs(ilk, lot == 0 ? tab + owe : owe);
        }

        if (lot == 0) {
            _remove(id);
        } else if (tab == 0) {
            vat.flux(ilk, address(this), usr, lot);
            _remove(id);
        } else {
            sales[id].tab = tab;
            sales[id].lot = lot;
        }

        emit Take(id, max, price, owe, tab, lot, usr);
    }

    function _remove(uint256 id) internal {
        uint256 _move = active[active.length - 1];
        if (id != _move) {
            uint256 _index = sales[id].pos;
            active[_index] = _move;
            sales[_move].pos = _index;
        }
        active.pop();
        delete sales[id];
    }

    function count() external view returns (uint256) {
        return active.length;
    }

    function list() external view returns (uint256[] memory) {
        return active;
    }

    function getStatus(uint256 id) external view returns (bool needsRedo, uint256 price, uint256 lot, uint256 tab) {
        address usr = sales[id].usr;
        uint96  tic = sales[id].tic;
        bool done;
        (done, price) = status(tic, sales[id].top);
        needsRedo = usr != address(0) && done;
        lot = sales[id].lot;
        tab = sales[id].tab;
    }

    function status(uint96 tic, uint256 top) internal view returns (bool done, uint256 price) {
        price = calc.price(top, block.timestamp - tic);
        done  = (block.timestamp - tic > tail || rdiv(price, top) < cusp);
    }

    function upchost() external {
        (,,,, uint256 _dust) = vat.ilks(ilk);
        chost = wmul(_dust, dog.chop(ilk));
    }

    function yank(uint256 id) external auth lock {
        require(sales[id].usr != address(0), "Clipper/not-running-auction");
        dog.digs(ilk, sales[id].tab);
        vat.flux(ilk, address(this), msg.sender, sales[id].lot);
        _remove(id);
        emit Yank(id);
    }
}

/// Price falls linearly from `top` to zero over `tau` seconds.
contract LinearDecrease {
    mapping (address => uint256) public wards;
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    modifier auth {
        require(wards[msg.sender] == 1, "LinearDecrease/not-authorized");
        _;
    }

    uint256 public tau;  // seconds after auction start when the price reaches zero

    event Rely(address indexed usr);
    event Deny(address indexed usr);
    event File(bytes32 indexed what, uint256 data);

    constructor() {
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    function file(bytes32 what, uint256 data) external auth {
        if (what == "tau") tau = data;
        else revert("LinearDecrease/file-unrecognized-param");
        emit File(what, data);
    }

    uint256 constant RAY = 10 ** 27;

    function price(uint256 top, uint256 dur) external view returns (uint256) {
        if (dur >= tau) return 0;
        return top * ((tau - dur) * RAY / tau) / RAY;
    }
}
