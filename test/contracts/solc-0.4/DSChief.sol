// SPDX-License-Identifier: MIT
// Vigil test contracts, solc 0.4 build of test/contracts/DSChief.sol (same ABI and storage): the
// chief as deployed in 2019 (ds-chief, compiled with solc 0.4.x), whose notes carry fax unpadded.
pragma solidity ^0.4.24;

import "./lib.sol";

contract ChiefTokenLike {
    function pull(address, uint256) public;
    function push(address, uint256) public;
    function mint(address, uint256) public;
    function burn(address, uint256) public;
}

contract DSRoles is DSAuth, DSAuthority {
    mapping (address => bool)                         _root_users;
    mapping (address => bytes32)                      _user_roles;
    mapping (address => mapping (bytes4 => bytes32))  _capability_roles;
    mapping (address => mapping (bytes4 => bool))     _public_capabilities;

    function getUserRoles(address who) public view returns (bytes32) {
        return _user_roles[who];
    }
    function getCapabilityRoles(address code, bytes4 sig) public view returns (bytes32) {
        return _capability_roles[code][sig];
    }
    function isUserRoot(address who) public view returns (bool) {
        return _root_users[who];
    }
    function isCapabilityPublic(address code, bytes4 sig) public view returns (bool) {
        return _public_capabilities[code][sig];
    }
    function hasUserRole(address who, uint8 role) public view returns (bool) {
        bytes32 roles = getUserRoles(who);
        bytes32 shifted = bytes32(uint256(uint256(2) ** uint256(role)));
        return bytes32(0) != roles & shifted;
    }
    function canCall(address caller, address code, bytes4 sig) public view returns (bool) {
        if (isUserRoot(caller) || isCapabilityPublic(code, sig)) return true;
        bytes32 has_roles = getUserRoles(caller);
        bytes32 needs_one_of = getCapabilityRoles(code, sig);
        return bytes32(0) != has_roles & needs_one_of;
    }
    function setRootUser(address who, bool enabled) public auth {
        _root_users[who] = enabled;
    }
    function setPublicCapability(address code, bytes4 sig, bool enabled) public auth {
        _public_capabilities[code][sig] = enabled;
    }
}

contract DSChiefApprovals is DSAuth, DSNote {
    mapping (bytes32 => address[]) public slates;
    mapping (address => bytes32)   public votes;
    mapping (address => uint256)   public approvals;
    mapping (address => uint256)   public deposits;
    ChiefTokenLike public GOV;
    ChiefTokenLike public IOU;
    address        public hat;

    uint256 public MAX_YAYS;

    mapping (address => uint256) public last;

    bool public live;

    uint256 constant LAUNCH_THRESHOLD = 80000 * 10 ** 18;

    event Etch(bytes32 indexed slate);

    constructor(ChiefTokenLike GOV_, ChiefTokenLike IOU_, uint256 MAX_YAYS_) public {
        GOV = GOV_;
        IOU = IOU_;
        MAX_YAYS = MAX_YAYS_;
    }

    function launch() public note {
        require(!live);
        require(hat == address(0) && approvals[address(0)] >= LAUNCH_THRESHOLD);
        live = true;
    }

    function lock(uint256 wad) public note {
        last[msg.sender] = block.number;
        GOV.pull(msg.sender, wad);
        IOU.mint(msg.sender, wad);
        deposits[msg.sender] = deposits[msg.sender] + wad;
        addWeight(wad, votes[msg.sender]);
    }

    function free(uint256 wad) public note {
        checkFree();
        deposits[msg.sender] = deposits[msg.sender] - wad;
        subWeight(wad, votes[msg.sender]);
        IOU.burn(msg.sender, wad);
        GOV.push(msg.sender, wad);
    }

    /// ds-chief 1.2's flash-loan guard; DSChiefNoFlashGuard (the chief before October 2020) drops it.
    function checkFree() internal view {
        require(block.number > last[msg.sender]);
    }

    function etch(address[] yays) public note returns (bytes32 slate) {
        require(yays.length <= MAX_YAYS);
        requireByteOrderedSet(yays);
        bytes32 hash = keccak256(abi.encodePacked(yays));
        slates[hash] = yays;
        emit Etch(hash);
        return hash;
    }

    function vote(address[] yays) public returns (bytes32) {
        // no note here: etch and vote(bytes32) both note
        bytes32 slate = etch(yays);
        vote(slate);
        return slate;
    }

    function vote(bytes32 slate) public note {
        require(
            slates[slate].length > 0 || slate == 0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470,
            "ds-chief-invalid-slate"
        );
        uint256 weight = deposits[msg.sender];
        subWeight(weight, votes[msg.sender]);
        votes[msg.sender] = slate;
        addWeight(weight, votes[msg.sender]);
    }

    function lift(address whom) public note {
        require(approvals[whom] > approvals[hat]);
        hat = whom;
    }

    function addWeight(uint256 weight, bytes32 slate) internal {
        address[] storage yays = slates[slate];
        for (uint256 i = 0; i < yays.length; i++) approvals[yays[i]] = approvals[yays[i]] + weight;
    }

    function subWeight(uint256 weight, bytes32 slate) internal {
        address[] storage yays = slates[slate];
        for (uint256 i = 0; i < yays.length; i++) approvals[yays[i]] = approvals[yays[i]] - weight;
    }

    function requireByteOrderedSet(address[] yays) internal pure {
        if (yays.length == 0 || yays.length == 1) return;
        for (uint256 i = 0; i < yays.length - 1; i++) {
            // strict inequality ensures both ordering and uniqueness
            require(uint256(yays[i]) < uint256(yays[i + 1]));
        }
    }
}

contract DSChief is DSRoles, DSChiefApprovals {
    constructor(ChiefTokenLike GOV_, ChiefTokenLike IOU_, uint256 MAX_YAYS_) DSChiefApprovals(GOV_, IOU_, MAX_YAYS_) public {
        authority = this;
        owner = address(0);
    }

    function setOwner(address) public {
        revert();
    }
    function setAuthority(DSAuthority) public {
        revert();
    }
    function isUserRoot(address who) public view returns (bool) {
        return live && who == hat;
    }
    function setRootUser(address, bool) public {
        revert();
    }
}

/// The chief before ds-chief 1.2 (October 2020): lock and free in one block allowed.
contract DSChiefNoFlashGuard is DSChief {
    constructor(ChiefTokenLike GOV_, ChiefTokenLike IOU_, uint256 MAX_YAYS_) DSChief(GOV_, IOU_, MAX_YAYS_) public {}

    function checkFree() internal view {}
}
