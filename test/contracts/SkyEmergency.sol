// SPDX-License-Identifier: MIT
// Vigil test contracts: a global emergency spell that can fail per ilk (facts from
// ../shared/reference/sky.md section 17: dss-emergency-spells' MultiOsmStopSpell, whose schedule()
// stops every ilk's OSM through OSM_MOM at once, catching a failing MOM call per ilk and emitting
// `Fail(bytes32 indexed ilk, address indexed osm, bytes reason)`), and an OSM_MOM-shaped MOM
// (owner, authority = the Chief; `stop(ilk)` by the hat). Written for Vigil, not copied.
// Simplifications (none a bot relies on): the ilks are given to the spell's constructor instead of
// read from the IlkRegistry; the MOM's owner is its deployer; the MOM logs nothing of its own.
pragma solidity 0.8.30;

interface SEAuthorityLike { function canCall(address, address, bytes4) external view returns (bool); }
interface SEOsmLike { function stop() external; }

/// OSM_MOM: stops an ilk's OSM without the governance delay, for its owner or whoever its authority allows (the hat).
contract OsmMom {
    address public owner;
    address public authority;
    mapping (bytes32 => address) public osms;

    event SetOwner(address indexed newOwner);
    event SetAuthority(address indexed newAuthority);

    constructor() {
        owner = msg.sender;
        emit SetOwner(msg.sender);
    }

    modifier onlyOwner { require(msg.sender == owner, "OsmMom/only-owner"); _; }
    modifier auth {
        require(msg.sender == owner || (authority != address(0) && SEAuthorityLike(authority).canCall(msg.sender, address(this), msg.sig)), "OsmMom/not-authorized");
        _;
    }

    function setOwner(address owner_) external onlyOwner { owner = owner_; emit SetOwner(owner_); }
    function setAuthority(address authority_) external onlyOwner { authority = authority_; emit SetAuthority(authority_); }
    function setOsm(bytes32 ilk, address osm) external onlyOwner { osms[ilk] = osm; }

    function stop(bytes32 ilk) external auth {
        SEOsmLike(osms[ilk]).stop();
    }
}

/// EMSP_GLOBAL_OSM_STOP: once the hat, schedule() stops every ilk's OSM through OSM_MOM; a failing ilk is logged, not fatal.
contract MultiOsmStopSpell {
    OsmMom public immutable osmMom;
    bytes32[] public ilks;
    string public constant description = "Emergency Spell | Global OSM Stop";

    event Stop(bytes32 indexed ilk, address indexed osm);
    event Fail(bytes32 indexed ilk, address indexed osm, bytes reason);

    constructor(address osmMom_, bytes32[] memory ilks_) {
        osmMom = OsmMom(osmMom_);
        ilks = ilks_;
    }

    function eta() external pure returns (uint256) { return 0; }
    function expiration() external pure returns (uint256) { return type(uint256).max; }
    function officeHours() external pure returns (bool) { return false; }
    function nextCastTime() external pure returns (uint256) { return type(uint256).max; }
    function done() external pure returns (bool) { return false; }

    function schedule() external {
        for (uint256 i = 0; i < ilks.length; i++) {
            bytes32 ilk = ilks[i];
            address osm = osmMom.osms(ilk);
            try osmMom.stop(ilk) {
                emit Stop(ilk, osm);
            } catch (bytes memory reason) {
                emit Fail(ilk, osm, reason);
            }
        }
    }
    function cast() external {}
}
