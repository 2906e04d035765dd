// SPDX-License-Identifier: MIT
// Vigil test contract: an AutoLine in the shape of mainnet's DssAutoLine (MCD_IAM_AUTO_LINE).
// Governance sets, per ilk, a maximum line, a gap and a ttl; anyone may call exec(ilk), which sets
// the ilk's line to min(debt + gap, max line): raised at most once per ttl, lowered any time. It
// writes vat.file(ilk, "line", lineNew), then vat.file("Line", Line - line + lineNew), then emits
// Exec(ilk, line, lineNew), as mainnet's does. Written for Vigil's tests from the behaviour
// documented for DssAutoLine; not its source.
pragma solidity 0.8.30;

interface AutoLineVatLike {
    function ilks(bytes32) external view returns (uint256 Art, uint256 rate, uint256 spot, uint256 line, uint256 dust);
    function Line() external view returns (uint256);
    function file(bytes32, uint256) external;
    function file(bytes32, bytes32, uint256) external;
}

contract AutoLine {
    mapping (address => uint256) public wards;
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    modifier auth {
        require(wards[msg.sender] == 1, "AutoLine/not-authorized");
        _;
    }

    struct Ilk {
        uint256 line; // maximum line [rad]
        uint256 gap;  // headroom above debt [rad]
        uint48  ttl;  // minimum seconds between raises
        uint48  last; // block number of the last change
        uint48  lastInc; // timestamp of the last raise
    }

    AutoLineVatLike public immutable vat;
    mapping (bytes32 => Ilk) public ilks;

    event Rely(address indexed usr);
    event Deny(address indexed usr);
    event Setup(bytes32 indexed ilk, uint256 line, uint256 gap, uint256 ttl);
    event Remove(bytes32 indexed ilk);
    event Exec(bytes32 indexed ilk, uint256 line, uint256 lineNew);

    constructor(address vat_) {
        vat = AutoLineVatLike(vat_);
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    function setIlk(bytes32 ilk, uint256 line, uint256 gap, uint256 ttl) external auth {
        require(ilk != bytes32(0) && line > 0 && gap <= line, "AutoLine/bad-setup");
        ilks[ilk] = Ilk(line, gap, uint48(ttl), 0, 0);
        emit Setup(ilk, line, gap, ttl);
    }

    function remIlk(bytes32 ilk) external auth {
        delete ilks[ilk];
        emit Remove(ilk);
    }

    function exec(bytes32 ilk) external returns (uint256) {
        (uint256 Art, uint256 rate,, uint256 line,) = vat.ilks(ilk);
        Ilk storage c = ilks[ilk];
        if (c.line == 0) return line;
        if (c.last == block.number) return line;
        uint256 debt = Art * rate;
        uint256 lineNew = debt + c.gap;
        if (lineNew > c.line) lineNew = c.line;
        if (lineNew == line) return line;
        if (lineNew > line && block.timestamp < uint256(c.lastInc) + c.ttl) return line;
        vat.file(ilk, "line", lineNew);
        vat.file("Line", vat.Line() + lineNew - line);
        c.last = uint48(block.number);
        if (lineNew > line) c.lastInc = uint48(block.timestamp);
        emit Exec(ilk, line, lineNew);
        return lineNew;
    }
}
