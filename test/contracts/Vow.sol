// SPDX-License-Identifier: MIT
// Vigil test contract: the system balance sheet (MCD_VOW, dss 1.0): debt queue (sin/Sin), on-auction
// debt (Ash), surplus buffer (hump), auction sizes (bump/sump/dump), heal/kiss/flog/fess/cage with
// dss LibNote. Flap/flop call the auction houses when they are set (none are deployed by default).
pragma solidity 0.8.30;

import "./lib.sol";

interface FlopLike {
    function kick(address gal, uint256 lot, uint256 bid) external returns (uint256);
    function cage() external;
}

interface FlapLike {
    function kick(uint256 lot, uint256 bid) external returns (uint256);
    function cage(uint256) external;
}

contract Vow is LibNote {
    mapping (address => uint256) public wards;
    function rely(address usr) external note auth { require(live == 1, "Vow/not-live"); wards[usr] = 1; }
    function deny(address usr) external note auth { wards[usr] = 0; }
    modifier auth {
        require(wards[msg.sender] == 1, "Vow/not-authorized");
        _;
    }

    VatLike  public vat;
    FlapLike public flapper;
    FlopLike public flopper;

    mapping (uint256 => uint256) public sin;  // debt queue
    uint256 public Sin;   // Queued debt            [rad]
    uint256 public Ash;   // On-auction debt        [rad]

    uint256 public wait;  // Flop delay             [seconds]
    uint256 public dump;  // Flop initial lot size  [wad]
    uint256 public sump;  // Flop fixed bid size    [rad]

    uint256 public bump;  // Flap fixed lot size    [rad]
    uint256 public hump;  // Surplus buffer         [rad]

    uint256 public live;

    constructor(address vat_, address flapper_, address flopper_) {
        wards[msg.sender] = 1;
        vat     = VatLike(vat_);
        flapper = FlapLike(flapper_);
        flopper = FlopLike(flopper_);
        if (flapper_ != address(0)) vat.hope(flapper_);
        live = 1;
    }

    function min(uint256 x, uint256 y) internal pure returns (uint256) {
        return x <= y ? x : y;
    }

    function file(bytes32 what, uint256 data) external note auth {
        if (what == "wait") wait = data;
        else if (what == "bump") bump = data;
        else if (what == "sump") sump = data;
        else if (what == "dump") dump = data;
        else if (what == "hump") hump = data;
        else revert("Vow/file-unrecognized-param");
    }

    function file(bytes32 what, address data) external note auth {
        if (what == "flapper") {
            if (address(flapper) != address(0)) vat.nope(address(flapper));
            flapper = FlapLike(data);
            vat.hope(data);
        }
        else if (what == "flopper") flopper = FlopLike(data);
        else revert("Vow/file-unrecognized-param");
    }

    // Push to debt-queue
    function fess(uint256 tab) external note auth {
        sin[block.timestamp] += tab;
        Sin += tab;
    }
    // Pop from debt-queue
    function flog(uint256 era) external note {
        require(era + wait <= block.timestamp, "Vow/wait-not-finished");
        Sin -= sin[era];
        sin[era] = 0;
    }

    // Debt settlement
    function heal(uint256 rad) external note {
        require(rad <= vat.dai(address(this)), "Vow/insufficient-surplus");
        require(rad <= vat.sin(address(this)) - Sin - Ash, "Vow/insufficient-debt");
        vat.heal(rad);
    }
    function kiss(uint256 rad) external note {
        require(rad <= Ash, "Vow/not-enough-ash");
        require(rad <= vat.dai(address(this)), "Vow/insufficient-surplus");
        Ash -= rad;
        vat.heal(rad);
    }

    // Debt auction
    function flop() external note returns (uint256 id) {
        require(sump <= vat.sin(address(this)) - Sin - Ash, "Vow/insufficient-debt");
        require(vat.dai(address(this)) == 0, "Vow/surplus-not-zero");
        require(address(flopper) != address(0), "Vow/no-flopper");
        Ash += sump;
        id = flopper.kick(address(this), dump, sump);
    }
    // Surplus auction
    function flap() external note returns (uint256 id) {
        require(vat.dai(address(this)) >= vat.sin(address(this)) + bump + hump, "Vow/insufficient-surplus");
        require(vat.sin(address(this)) - Sin - Ash == 0, "Vow/debt-not-zero");
        require(address(flapper) != address(0), "Vow/no-flapper");
        id = flapper.kick(bump, 0);
    }

    function cage() external note auth {
        require(live == 1, "Vow/not-live");
        live = 0;
        Sin = 0;
        Ash = 0;
        if (address(flapper) != address(0)) flapper.cage(vat.dai(address(flapper)));
        if (address(flopper) != address(0)) flopper.cage();
        vat.heal(min(vat.dai(address(this)), vat.sin(address(this))));
    }
}
