// SPDX-License-Identifier: MIT
// Vigil test contract: liquidations 2.0 (MCD_DOG, dss dog.sol as deployed): bark(ilk, urn, kpr) grabs
// an unsafe vault into the ilk's Clipper within the Hole/hole limits. Storage as on mainnet
// (vat immutable): wards (0), ilks (1), vow (2), live (3), Hole (4), Dirt (5). Named events.
pragma solidity 0.8.30;

import "./lib.sol";

interface DogClipperLike {
    function ilk() external view returns (bytes32);
    function kick(uint256 tab, uint256 lot, address usr, address kpr) external returns (uint256);
}

interface DogVowLike {
    function fess(uint256) external;
}

contract Dog {
    mapping (address => uint256) public wards;
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    modifier auth {
        require(wards[msg.sender] == 1, "Dog/not-authorized");
        _;
    }

    struct Ilk {
        address clip;  // Liquidator
        uint256 chop;  // Liquidation Penalty                                          [wad]
        uint256 hole;  // Max DAI needed to cover debt+fees of active auctions per ilk [rad]
        uint256 dirt;  // Amt DAI needed to cover debt+fees of active auctions per ilk [rad]
    }

    VatLike immutable public vat;

    mapping (bytes32 => Ilk) public ilks;

    DogVowLike public vow;
    uint256    public live;
    uint256    public Hole;  // [rad]
    uint256    public Dirt;  // [rad]

    event Rely(address indexed usr);
    event Deny(address indexed usr);
    event File(bytes32 indexed what, uint256 data);
    event File(bytes32 indexed what, address data);
    event File(bytes32 indexed ilk, bytes32 indexed what, uint256 data);
    event File(bytes32 indexed ilk, bytes32 indexed what, address clip);
    event Bark(
      bytes32 indexed ilk,
      address indexed urn,
      uint256 ink,
      uint256 art,
      uint256 due,
      address clip,
      uint256 indexed id
    );
    event Digs(bytes32 indexed ilk, uint256 rad);
    event Cage();

    constructor(address vat_) {
        vat = VatLike(vat_);
        live = 1;
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    uint256 constant WAD = 10 ** 18;
    function min(uint256 x, uint256 y) internal pure returns (uint256) { return x > y ? y : x; }

    function file(bytes32 what, address data) external auth {
        if (what == "vow") vow = DogVowLike(data);
        else revert("Dog/file-unrecognized-param");
        emit File(what, data);
    }
    function file(bytes32 what, uint256 data) external auth {
        if (what == "Hole") Hole = data;
        else revert("Dog/file-unrecognized-param");
        emit File(what, data);
    }
    function file(bytes32 ilk, bytes32 what, uint256 data) external auth {
        if (what == "chop") {
            require(data >= WAD, "Dog/file-chop-lt-WAD");
            ilks[ilk].chop = data;
        } else if (what == "hole") ilks[ilk].hole = data;
        else revert("Dog/file-unrecognized-param");
        emit File(ilk, what, data);
    }
    function file(bytes32 ilk, bytes32 what, address clip) external auth {
        if (what == "clip") {
            require(ilk == DogClipperLike(clip).ilk(), "Dog/file-ilk-neq-clip.ilk");
            ilks[ilk].clip = clip;
        } else revert("Dog/file-unrecognized-param");
        emit File(ilk, what, clip);
    }

    function chop(bytes32 ilk) external view returns (uint256) {
        return ilks[ilk].chop;
    }

    function bark(bytes32 ilk, address urn, address kpr) external returns (uint256 id) {
        require(live == 1, "Dog/not-live");

        (uint256 ink, uint256 art) = vat.urns(ilk, urn);
        Ilk memory milk = ilks[ilk];
        uint256 dart;
        uint256 rate;
        uint256 dust;
        {
            uint256 spot;
            (, rate, spot,, dust) = vat.ilks(ilk);
            require(spot > 0 && ink * spot < art * rate, "Dog/not-unsafe");

            require(Hole > Dirt && milk.hole > milk.dirt, "Dog/liquidation-limit-hit");
            uint256 room = min(Hole - Dirt, milk.hole - milk.dirt);

            dart = min(art, room * WAD / rate / milk.chop);

            if (art > dart) {
                if ((art - dart) * rate < dust) {
                    // a dusty remainder: liquidate the whole vault
                    dart = art;
                } else {
                    require(dart * rate >= dust, "Dog/dusty-auction-from-partial-liquidation");
                }
            }
        }

        uint256 dink = ink * dart / art;

        require(dink > 0, "Dog/null-auction");
        require(dart <= 2 ** 255 && dink <= 2 ** 255, "Dog/overflow");

        vat.grab(ilk, urn, milk.clip, address(vow), -int256(dink), -int256(dart));

        uint256 due = dart * rate;
        vow.fess(due);

        {
            uint256 tab = due * milk.chop / WAD;
            Dirt += tab;
            ilks[ilk].dirt = milk.dirt + tab;

            id = DogClipperLike(milk.clip).kick({ tab: tab, lot: dink, usr: urn, kpr: kpr });
        }

        emit Bark(ilk, urn, dink, dart, due, milk.clip, id);
    }

    function digs(bytes32 ilk, uint256 rad) external auth {
        Dirt -= rad;
        ilks[ilk].dirt -= rad;
        emit Digs(ilk, rad);
    }

    function cage() external auth {
        live = 0;
        emit Cage();
    }
}
