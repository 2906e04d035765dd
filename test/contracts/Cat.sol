// SPDX-License-Identifier: MIT
// Vigil test contracts: liquidations 1.0, kept on mainnet as MCD_CAT (Cat 1.1) with its Flipper
// auctions: bite() emits Bite(ilk, urn, ink, art, tab, flip, id); file/rely/deny/cage/scoop via
// dss LibNote. The Flipper is minimal: kick, tend (raise the bid), deal, yank.
pragma solidity 0.8.30;

import "./lib.sol";

interface FlipKickLike {
    function kick(address urn, address gal, uint256 tab, uint256 lot, uint256 bid) external returns (uint256);
}

interface CatVowLike {
    function fess(uint256) external;
}

contract Cat is LibNote {
    mapping (address => uint256) public wards;
    function rely(address usr) external note auth { wards[usr] = 1; }
    function deny(address usr) external note auth { wards[usr] = 0; }
    modifier auth {
        require(wards[msg.sender] == 1, "Cat/not-authorized");
        _;
    }

    struct Ilk {
        address flip;  // Liquidator
        uint256 chop;  // Liquidation Penalty  [wad]
        uint256 dunk;  // Liquidation Quantity [rad]
    }

    mapping (bytes32 => Ilk) public ilks;

    uint256    public live;
    VatLike    public vat;
    CatVowLike public vow;
    uint256    public box;    // Max Dai out for liquidation        [rad]
    uint256    public litter; // Balance of Dai out for liquidation [rad]

    event Bite(
      bytes32 indexed ilk,
      address indexed urn,
      uint256 ink,
      uint256 art,
      uint256 tab,
      address flip,
      uint256 id
    );

    constructor(address vat_) {
        wards[msg.sender] = 1;
        vat = VatLike(vat_);
        live = 1;
    }

    uint256 constant WAD = 10 ** 18;
    uint256 constant MAX_DUNK = type(uint256).max / WAD;

    function min(uint256 x, uint256 y) internal pure returns (uint256) { return x > y ? y : x; }

    function file(bytes32 what, address data) external note auth {
        if (what == "vow") vow = CatVowLike(data);
        else revert("Cat/file-unrecognized-param");
    }
    function file(bytes32 what, uint256 data) external note auth {
        if (what == "box") box = data;
        else revert("Cat/file-unrecognized-param");
    }
    function file(bytes32 ilk, bytes32 what, uint256 data) external note auth {
        if (what == "chop") ilks[ilk].chop = data;
        else if (what == "dunk") ilks[ilk].dunk = data;
        else revert("Cat/file-unrecognized-param");
    }
    function file(bytes32 ilk, bytes32 what, address flip) external note auth {
        if (what == "flip") {
            if (ilks[ilk].flip != address(0)) vat.nope(ilks[ilk].flip);
            ilks[ilk].flip = flip;
            vat.hope(flip);
        }
        else revert("Cat/file-unrecognized-param");
    }

    function bite(bytes32 ilk, address urn) external returns (uint256 id) {
        (,uint256 rate, uint256 spot,,uint256 dust) = vat.ilks(ilk);
        (uint256 ink, uint256 art) = vat.urns(ilk, urn);

        require(live == 1, "Cat/not-live");
        require(spot > 0 && ink * spot < art * rate, "Cat/not-unsafe");

        Ilk memory milk = ilks[ilk];
        uint256 dart;
        {
            uint256 room = box - litter;
            require(litter < box && room >= dust, "Cat/liquidation-limit-hit");
            dart = min(art, min(milk.dunk, room) * WAD / rate / milk.chop);
        }

        uint256 dink = min(ink, ink * dart / art);

        require(dart > 0 && dink > 0, "Cat/null-auction");
        require(dart <= 2 ** 255 && dink <= 2 ** 255, "Cat/overflow");

        vat.grab(ilk, urn, address(this), address(vow), -int256(dink), -int256(dart));
        vow.fess(dart * rate);

        {
            uint256 tab = dart * rate * milk.chop / WAD;
            litter += tab;
            id = FlipKickLike(milk.flip).kick({ urn: urn, gal: address(vow), tab: tab, lot: dink, bid: 0 });
        }

        emit Bite(ilk, urn, dink, dart, dart * rate, milk.flip, id);
    }

    function claw(uint256 rad) external note auth {
        litter -= rad;
    }

    function cage() external note auth {
        live = 0;
    }
}

interface FlipCatLike {
    function claw(uint256) external;
}

contract Flipper is LibNote {
    mapping (address => uint256) public wards;
    function rely(address usr) external note auth { wards[usr] = 1; }
    function deny(address usr) external note auth { wards[usr] = 0; }
    modifier auth {
        require(wards[msg.sender] == 1, "Flipper/not-authorized");
        _;
    }

    struct Bid {
        uint256 bid;  // dai paid                 [rad]
        uint256 lot;  // gems in return for bid   [wad]
        address guy;  // high bidder
        uint48  tic;  // bid expiry time
        uint48  end;  // auction expiry time
        address usr;
        address gal;
        uint256 tab;  // total dai wanted         [rad]
    }

    mapping (uint256 => Bid) public bids;

    VatLike     public vat;
    bytes32     public ilk;

    uint256 constant ONE = 1.00E18;
    uint256 public beg = 1.05E18;
    uint48  public ttl = 3 hours;
    uint48  public tau = 2 days;
    uint256 public kicks = 0;
    FlipCatLike public cat;

    event Kick(
      uint256 id,
      uint256 lot,
      uint256 bid,
      uint256 tab,
      address indexed usr,
      address indexed gal
    );

    constructor(address vat_, address cat_, bytes32 ilk_) {
        vat = VatLike(vat_);
        cat = FlipCatLike(cat_);
        ilk = ilk_;
        wards[msg.sender] = 1;
    }

    function file(bytes32 what, uint256 data) external note auth {
        if (what == "beg") beg = data;
        else if (what == "ttl") ttl = uint48(data);
        else if (what == "tau") tau = uint48(data);
        else revert("Flipper/file-unrecognized-param");
    }

    function kick(address usr, address gal, uint256 tab, uint256 lot, uint256 bid) public auth returns (uint256 id) {
        id = ++kicks;
        bids[id].bid = bid;
        bids[id].lot = lot;
        bids[id].guy = msg.sender;
        bids[id].end = uint48(block.timestamp) + tau;
        bids[id].usr = usr;
        bids[id].gal = gal;
        bids[id].tab = tab;
        vat.flux(ilk, msg.sender, address(this), lot);
        emit Kick(id, lot, bid, tab, usr, gal);
    }

    function tend(uint256 id, uint256 lot, uint256 bid) external note {
        require(bids[id].guy != address(0), "Flipper/guy-not-set");
        require(bids[id].tic > block.timestamp || bids[id].tic == 0, "Flipper/already-finished-tic");
        require(bids[id].end > block.timestamp, "Flipper/already-finished-end");
        require(lot == bids[id].lot, "Flipper/lot-not-matching");
        require(bid <= bids[id].tab, "Flipper/higher-than-tab");
        require(bid >  bids[id].bid, "Flipper/bid-not-higher");
        require(bid * ONE >= beg * bids[id].bid || bid == bids[id].tab, "Flipper/insufficient-increase");

        if (msg.sender != bids[id].guy) {
            vat.move(msg.sender, bids[id].guy, bids[id].bid);
            bids[id].guy = msg.sender;
        }
        vat.move(msg.sender, bids[id].gal, bid - bids[id].bid);

        bids[id].bid = bid;
        bids[id].tic = uint48(block.timestamp) + ttl;
    }

    function deal(uint256 id) external note {
        require(bids[id].tic != 0 && (bids[id].tic < block.timestamp || bids[id].end < block.timestamp), "Flipper/not-finished");
        cat.claw(bids[id].tab);
        vat.flux(ilk, address(this), bids[id].guy, bids[id].lot);
        delete bids[id];
    }

    function yank(uint256 id) external note auth {
        require(bids[id].guy != address(0), "Flipper/guy-not-set");
        require(bids[id].bid < bids[id].tab, "Flipper/already-dent-phase");
        cat.claw(bids[id].tab);
        vat.flux(ilk, address(this), msg.sender, bids[id].lot);
        vat.move(msg.sender, bids[id].guy, bids[id].bid);
        delete bids[id];
    }
}
