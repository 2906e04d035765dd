// SPDX-License-Identifier: MIT
// Vigil test contracts: the Stars' capital perimeter in the shape of mainnet's dss-allocator
// (AllocatorRoles, AllocatorRegistry, AllocatorVault, AllocatorBuffer, AllocatorOracle) and of the
// Star governance contracts (endgame-toolkit's SubProxy, StarGuard), with the events and calls
// ../shared/reference/sky.md §13-14 documents. Written for Vigil's tests from that description;
// not their source. StarPayload is a Star spell a StarGuard executes through the SubProxy.
pragma solidity 0.8.30;

interface AllocVatLike {
    function frob(bytes32, address, address, address, int256, int256) external;
    function hope(address) external;
    function ilks(bytes32) external view returns (uint256, uint256, uint256, uint256, uint256);
}
interface AllocJugLike { function drip(bytes32) external returns (uint256); }
interface AllocJoinLike { function exit(address, uint256) external; function join(address, uint256) external; }
interface AllocTokenLike {
    function approve(address, uint256) external returns (bool);
    function transferFrom(address, address, uint256) external returns (bool);
}
interface AllocRolesLike { function canCall(bytes32, address, address, bytes4) external view returns (bool); }

abstract contract AllocWards {
    mapping (address => uint256) public wards;
    event Rely(address indexed usr);
    event Deny(address indexed usr);
    modifier auth { require(wards[msg.sender] == 1, "not-authorized"); _; }
    constructor() { wards[msg.sender] = 1; emit Rely(msg.sender); }
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
}

/// ALLOCATOR_ROLES: per-ilk admin, user roles (a bitmap of 256 roles) and role -> (target, sig) actions.
contract AllocatorRoles is AllocWards {
    mapping (bytes32 => address) public ilkAdmins;
    mapping (bytes32 => mapping (address => bytes32)) public userRoles;
    mapping (bytes32 => mapping (address => mapping (bytes4 => bytes32))) public actionsRoles;

    event SetIlkAdmin(bytes32 indexed ilk, address user);
    event SetUserRole(bytes32 indexed ilk, address indexed who, uint8 indexed role, bool enabled);
    event SetRoleAction(bytes32 indexed ilk, uint8 indexed role, address indexed target, bytes4 sig, bool enabled);

    modifier ilkAuth(bytes32 ilk) { require(ilkAdmins[ilk] == msg.sender, "AllocatorRoles/ilk-not-authorized"); _; }

    function setIlkAdmin(bytes32 ilk, address user) external auth {
        ilkAdmins[ilk] = user;
        emit SetIlkAdmin(ilk, user);
    }
    function setUserRole(bytes32 ilk, address who, uint8 role, bool enabled) external ilkAuth(ilk) {
        bytes32 mask = bytes32(uint256(1) << uint256(role));
        userRoles[ilk][who] = enabled ? userRoles[ilk][who] | mask : userRoles[ilk][who] & ~mask;
        emit SetUserRole(ilk, who, role, enabled);
    }
    function setRoleAction(bytes32 ilk, uint8 role, address target, bytes4 sig, bool enabled) external ilkAuth(ilk) {
        bytes32 mask = bytes32(uint256(1) << uint256(role));
        actionsRoles[ilk][target][sig] = enabled ? actionsRoles[ilk][target][sig] | mask : actionsRoles[ilk][target][sig] & ~mask;
        emit SetRoleAction(ilk, role, target, sig, enabled);
    }
    function hasUserRole(bytes32 ilk, address who, uint8 role) external view returns (bool) {
        return userRoles[ilk][who] & bytes32(uint256(1) << uint256(role)) != bytes32(0);
    }
    function canCall(bytes32 ilk, address who, address target, bytes4 sig) external view returns (bool) {
        return userRoles[ilk][who] & actionsRoles[ilk][target][sig] != bytes32(0);
    }
}

/// ALLOCATOR_REGISTRY: ilk -> buffer.
contract AllocatorRegistry is AllocWards {
    mapping (bytes32 => address) public buffers;
    event File(bytes32 indexed ilk, bytes32 indexed what, address data);
    function file(bytes32 ilk, bytes32 what, address data) external auth {
        require(what == "buffer", "AllocatorRegistry/file-unrecognized-param");
        buffers[ilk] = data;
        emit File(ilk, what, data);
    }
}

/// PIP_ALLOCATOR: a constant price of 1.
contract AllocatorOracle {
    function peek() external pure returns (bytes32, bool) { return (bytes32(uint256(10 ** 18)), true); }
    function read() external pure returns (bytes32) { return bytes32(uint256(10 ** 18)); }
}

/// ALLOCATOR_<STAR>_A_BUFFER: holds the drawn USDS, approves the Star's operators.
contract AllocatorBuffer is AllocWards {
    event Approve(address indexed asset, address indexed spender, uint256 amount);
    function approve(address asset, address spender, uint256 amount) external auth {
        AllocTokenLike(asset).approve(spender, amount);
        emit Approve(asset, spender, amount);
    }
}

/// ALLOCATOR_<STAR>_A_VAULT: the Star's urn of its ALLOCATOR ilk; draw/wipe by wards or role holders.
contract AllocatorVault is AllocWards {
    AllocRolesLike public immutable roles;
    address public immutable buffer;
    AllocVatLike public immutable vat;
    bytes32 public immutable ilk;
    AllocJoinLike public immutable usdsJoin;
    AllocTokenLike public immutable usds;
    AllocJugLike public jug;

    uint256 constant RAY = 10 ** 27;

    event File(bytes32 indexed what, address data);
    event Draw(address indexed sender, uint256 wad);
    event Wipe(address indexed sender, uint256 wad);

    modifier ilkAuth {
        require(roles.canCall(ilk, msg.sender, address(this), msg.sig) || wards[msg.sender] == 1, "AllocatorVault/not-authorized");
        _;
    }

    constructor(address roles_, address buffer_, bytes32 ilk_, address usdsJoin_, address vat_, address usds_) {
        roles = AllocRolesLike(roles_);
        buffer = buffer_;
        ilk = ilk_;
        usdsJoin = AllocJoinLike(usdsJoin_);
        vat = AllocVatLike(vat_);
        usds = AllocTokenLike(usds_);
        vat.hope(usdsJoin_);
        usds.approve(usdsJoin_, type(uint256).max);
    }

    function file(bytes32 what, address data) external auth {
        require(what == "jug", "AllocatorVault/file-unrecognized-param");
        jug = AllocJugLike(data);
        emit File(what, data);
    }

    function draw(uint256 wad) external ilkAuth {
        uint256 rate = jug.drip(ilk);
        uint256 dart = (wad * RAY + rate - 1) / rate; // rounded up
        vat.frob(ilk, address(this), address(0), address(this), 0, int256(dart));
        usdsJoin.exit(buffer, wad);
        emit Draw(msg.sender, wad);
    }

    function wipe(uint256 wad) external ilkAuth {
        usds.transferFrom(buffer, address(this), wad);
        usdsJoin.join(address(this), wad);
        uint256 rate = jug.drip(ilk);
        uint256 dart = wad * RAY / rate;
        vat.frob(ilk, address(this), address(0), address(this), 0, -int256(dart));
        emit Wipe(msg.sender, wad);
    }
}

/// <STAR>_SUBPROXY: the Star's root admin; exec delegatecalls a target.
contract SubProxy is AllocWards {
    function exec(address target, bytes calldata args) external payable auth returns (bytes memory out) {
        bool ok;
        (ok, out) = target.delegatecall(args);
        require(ok, "SubProxy/delegatecall-error");
    }
}

interface StarSubProxyLike {
    function exec(address, bytes calldata) external returns (bytes memory);
    function wards(address) external view returns (uint256);
}
interface StarPayloadLike { function isExecutable() external view returns (bool); }

/// <STAR>_STARGUARD: governance plots a payload (address + codehash tag) with a deadline; anyone execs it once.
contract StarGuard is AllocWards {
    struct SpellData { address addr; bytes32 tag; uint256 deadline; }
    StarSubProxyLike public immutable subProxy;
    SpellData public spellData;
    uint256 public maxDelay;

    event File(bytes32 indexed what, uint256 data);
    event Plot(address indexed addr, bytes32 tag, uint256 deadline);
    event Drop(address indexed addr);
    event Exec(address indexed addr);

    constructor(address subProxy_) { subProxy = StarSubProxyLike(subProxy_); }

    function file(bytes32 what, uint256 data) external auth {
        require(what == "maxDelay", "StarGuard/file-unrecognized-param");
        maxDelay = data;
        emit File(what, data);
    }
    function plot(address addr, bytes32 tag) external auth {
        if (spellData.addr != address(0)) emit Drop(spellData.addr);
        spellData = SpellData(addr, tag, block.timestamp + maxDelay);
        emit Plot(addr, tag, spellData.deadline);
    }
    function drop() external auth {
        emit Drop(spellData.addr);
        delete spellData;
    }
    function prob() external view returns (bool) {
        SpellData memory s = spellData;
        return s.addr != address(0) && block.timestamp <= s.deadline && s.addr.codehash == s.tag && StarPayloadLike(s.addr).isExecutable();
    }
    function exec() external returns (address addr) {
        SpellData memory s = spellData;
        addr = s.addr;
        require(addr != address(0), "StarGuard/unplotted-spell");
        require(block.timestamp <= s.deadline, "StarGuard/expired-spell");
        require(addr.codehash == s.tag, "StarGuard/wrong-codehash");
        require(StarPayloadLike(addr).isExecutable(), "StarGuard/not-executable");
        delete spellData;
        subProxy.exec(addr, abi.encodeWithSignature("execute()"));
        require(subProxy.wards(address(this)) == 1, "StarGuard/lost-ownership");
        emit Exec(addr);
    }
}

/// A Star spell: run by the SubProxy (delegatecall), it makes one call as the SubProxy.
contract StarPayload {
    address public immutable target;
    address public immutable self;
    bytes public data;
    constructor(address target_, bytes memory data_) { target = target_; self = address(this); data = data_; }
    function isExecutable() external pure returns (bool) { return true; }
    function execute() external {
        // runs in the SubProxy's context: immutables are in the code, `data` is read from this contract
        (bool ok, ) = target.call(StarPayload(self).dataOf());
        require(ok, "StarPayload/call-failed");
    }
    function dataOf() external view returns (bytes memory) { return data; }
}
