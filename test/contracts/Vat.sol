// SPDX-License-Identifier: MIT
// Vigil test contract: the dss CDP engine with the interface, storage layout and LogNote of the
// Vat deployed on mainnet (dss 1.0.x, MCD_VAT). Accounting is the real one: after every call
// debt == vice + sum_i(ilks[i].Art * ilks[i].rate), so a test can break it only through storage writes.
pragma solidity 0.8.30;

contract Vat {
    // --- Auth (slot 0) ---
    mapping (address => uint256) public wards;
    function rely(address usr) external note auth { require(live == 1, "Vat/not-live"); wards[usr] = 1; }
    function deny(address usr) external note auth { require(live == 1, "Vat/not-live"); wards[usr] = 0; }
    modifier auth {
        require(wards[msg.sender] == 1, "Vat/not-authorized");
        _;
    }

    // slot 1
    mapping (address => mapping (address => uint256)) public can;
    function hope(address usr) external note { can[msg.sender][usr] = 1; }
    function nope(address usr) external note { can[msg.sender][usr] = 0; }
    function wish(address bit, address usr) internal view returns (bool) {
        return bit == usr || can[bit][usr] == 1;
    }

    // --- Data (mainnet slots 2..10) ---
    struct Ilk {
        uint256 Art;   // Total Normalised Debt     [wad]
        uint256 rate;  // Accumulated Rates         [ray]
        uint256 spot;  // Price with Safety Margin  [ray]
        uint256 line;  // Debt Ceiling              [rad]
        uint256 dust;  // Urn Debt Floor            [rad]
    }
    struct Urn {
        uint256 ink;   // Locked Collateral  [wad]
        uint256 art;   // Normalised Debt    [wad]
    }

    mapping (bytes32 => Ilk)                       public ilks;  // slot 2
    mapping (bytes32 => mapping (address => Urn )) public urns;  // slot 3
    mapping (bytes32 => mapping (address => uint)) public gem;   // slot 4 [wad]
    mapping (address => uint256)                   public dai;   // slot 5 [rad]
    mapping (address => uint256)                   public sin;   // slot 6 [rad]

    uint256 public debt;  // slot 7  Total Dai Issued    [rad]
    uint256 public vice;  // slot 8  Total Unbacked Dai  [rad]
    uint256 public Line;  // slot 9  Total Debt Ceiling  [rad]
    uint256 public live;  // slot 10 Active Flag

    // --- Logs ---
    // The mainnet Vat's own note: topics are the selector and the first THREE arguments
    // (no caller), unlike dss LibNote. data = the first 224 bytes of calldata.
    event LogNote(
        bytes4   indexed  sig,
        bytes32  indexed  arg1,
        bytes32  indexed  arg2,
        bytes32  indexed  arg3,
        bytes             data
    ) anonymous;

    modifier note {
        _;
        assembly {
            let mark := mload(0x40)
            mstore(0x40, add(mark, 288))
            mstore(mark, 0x20)
            mstore(add(mark, 0x20), 224)
            calldatacopy(add(mark, 0x40), 0, 224)
            log4(mark, 288,
                 shl(224, shr(224, calldataload(0))),
                 calldataload(4),
                 calldataload(36),
                 calldataload(68))
        }
    }

    constructor() {
        wards[msg.sender] = 1;
        live = 1;
    }

    // --- Math: mixed-sign helpers with the mainnet overflow rules ---
    function _add(uint256 x, int256 y) internal pure returns (uint256 z) {
        unchecked { z = x + uint256(y); }
        require(y >= 0 || z <= x);
        require(y <= 0 || z >= x);
    }
    function _sub(uint256 x, int256 y) internal pure returns (uint256 z) {
        unchecked { z = x - uint256(y); }
        require(y <= 0 || z <= x);
        require(y >= 0 || z >= x);
    }
    function _mul(uint256 x, int256 y) internal pure returns (int256 z) {
        require(int256(x) >= 0);
        unchecked {
            z = int256(x) * y;
            require(y == 0 || z / y == int256(x));
        }
    }

    // --- Administration ---
    function init(bytes32 ilk) external note auth {
        require(ilks[ilk].rate == 0, "Vat/ilk-already-init");
        ilks[ilk].rate = 10 ** 27;
    }
    function file(bytes32 what, uint256 data) external note auth {
        require(live == 1, "Vat/not-live");
        if (what == "Line") Line = data;
        else revert("Vat/file-unrecognized-param");
    }
    function file(bytes32 ilk, bytes32 what, uint256 data) external note auth {
        require(live == 1, "Vat/not-live");
        if (what == "spot") ilks[ilk].spot = data;
        else if (what == "line") ilks[ilk].line = data;
        else if (what == "dust") ilks[ilk].dust = data;
        else revert("Vat/file-unrecognized-param");
    }
    function cage() external note auth {
        live = 0;
    }

    // --- Fungibility ---
    function slip(bytes32 ilk, address usr, int256 wad) external note auth {
        gem[ilk][usr] = _add(gem[ilk][usr], wad);
    }
    function flux(bytes32 ilk, address src, address dst, uint256 wad) external note {
        require(wish(src, msg.sender), "Vat/not-allowed");
        gem[ilk][src] = gem[ilk][src] - wad;
        gem[ilk][dst] = gem[ilk][dst] + wad;
    }
    function move(address src, address dst, uint256 rad) external note {
        require(wish(src, msg.sender), "Vat/not-allowed");
        dai[src] = dai[src] - rad;
        dai[dst] = dai[dst] + rad;
    }

    // --- CDP Manipulation ---
    function frob(bytes32 i, address u, address v, address w, int256 dink, int256 dart) external note {
        require(live == 1, "Vat/not-live");

        Urn memory urn = urns[i][u];
        Ilk memory ilk = ilks[i];
        require(ilk.rate != 0, "Vat/ilk-not-init");

        urn.ink = _add(urn.ink, dink);
        urn.art = _add(urn.art, dart);
        ilk.Art = _add(ilk.Art, dart);

        int256 dtab = _mul(ilk.rate, dart);
        uint256 tab = ilk.rate * urn.art;
        debt = _add(debt, dtab);

        // either debt has decreased, or debt ceilings are not exceeded
        require(dart <= 0 || (ilk.Art * ilk.rate <= ilk.line && debt <= Line), "Vat/ceiling-exceeded");
        // urn is either less risky than before, or it is safe
        require((dart <= 0 && dink >= 0) || tab <= urn.ink * ilk.spot, "Vat/not-safe");
        // urn is either more safe, or the owner consents
        require((dart <= 0 && dink >= 0) || wish(u, msg.sender), "Vat/not-allowed-u");
        // collateral src consents
        require(dink <= 0 || wish(v, msg.sender), "Vat/not-allowed-v");
        // debt dst consents
        require(dart >= 0 || wish(w, msg.sender), "Vat/not-allowed-w");
        // urn has no debt, or a non-dusty amount
        require(urn.art == 0 || tab >= ilk.dust, "Vat/dust");

        gem[i][v] = _sub(gem[i][v], dink);
        dai[w]    = _add(dai[w],    dtab);

        urns[i][u] = urn;
        ilks[i]    = ilk;
    }

    // --- CDP Fungibility ---
    function fork(bytes32 ilk, address src, address dst, int256 dink, int256 dart) external note {
        Urn storage u = urns[ilk][src];
        Urn storage v = urns[ilk][dst];
        Ilk storage i = ilks[ilk];

        u.ink = _sub(u.ink, dink);
        u.art = _sub(u.art, dart);
        v.ink = _add(v.ink, dink);
        v.art = _add(v.art, dart);

        uint256 utab = u.art * i.rate;
        uint256 vtab = v.art * i.rate;

        require(wish(src, msg.sender) && wish(dst, msg.sender), "Vat/not-allowed");
        require(utab <= u.ink * i.spot, "Vat/not-safe-src");
        require(vtab <= v.ink * i.spot, "Vat/not-safe-dst");
        require(utab >= i.dust || u.art == 0, "Vat/dust-src");
        require(vtab >= i.dust || v.art == 0, "Vat/dust-dst");
    }

    // --- CDP Confiscation ---
    function grab(bytes32 i, address u, address v, address w, int256 dink, int256 dart) external note auth {
        Urn storage urn = urns[i][u];
        Ilk storage ilk = ilks[i];

        urn.ink = _add(urn.ink, dink);
        urn.art = _add(urn.art, dart);
        ilk.Art = _add(ilk.Art, dart);

        int256 dtab = _mul(ilk.rate, dart);

        gem[i][v] = _sub(gem[i][v], dink);
        sin[w]    = _sub(sin[w],    dtab);
        vice      = _sub(vice,      dtab);
    }

    // --- Settlement ---
    function heal(uint256 rad) external note {
        address u = msg.sender;
        sin[u] = sin[u] - rad;
        dai[u] = dai[u] - rad;
        vice   = vice   - rad;
        debt   = debt   - rad;
    }
    function suck(address u, address v, uint256 rad) external note auth {
        sin[u] = sin[u] + rad;
        dai[v] = dai[v] + rad;
        vice   = vice   + rad;
        debt   = debt   + rad;
    }

    // --- Rates ---
    function fold(bytes32 i, address u, int256 rate) external note auth {
        require(live == 1, "Vat/not-live");
        Ilk storage ilk = ilks[i];
        ilk.rate = _add(ilk.rate, rate);
        int256 rad = _mul(ilk.Art, rate);
        dai[u]   = _add(dai[u], rad);
        debt     = _add(debt,   rad);
    }
}
