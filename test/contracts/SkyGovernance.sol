// SPDX-License-Identifier: MIT
// Vigil test contracts: Sky's governance since 2025 (facts from ../shared/reference/sky.md sections
// 15-18): the new Chief (makerdao/chief `newchief`: SKY as gov, no IOU, typed events, a global
// `last` with a lift cooldown, launch threshold), Protego and its EmergencyDropSpell
// (sky-ecosystem/protego), a pre-deployed emergency spell (dss-emergency-spells: SPBEAMHaltSpell,
// its work done inside schedule()), and VoteDelegateFactory/VoteDelegate (makerdao/vote-delegate,
// new-chief build). Same function signatures and events as those contracts; written for Vigil, not
// copied. Simplifications (none a bot relies on): no `votePoll`, the VoteDelegate's hatch only
// blocks `lock` (as mainnet's), the EMSP's `done()` reads SPBEAM's `bad` directly.
pragma solidity 0.8.30;

interface SGTokenLike {
    function transferFrom(address, address, uint256) external returns (bool);
    function approve(address, uint256) external returns (bool);
}

interface SGPauseLike {
    function plans(bytes32) external view returns (bool);
    function drop(address, bytes32, bytes calldata, uint256) external;
    function delay() external view returns (uint256);
}

/// The new Chief (MCD_ADM since 2025-05-15): approval voting with SKY, `canCall` = live && hat.
contract SkyChief {
    SGTokenLike public immutable gov;
    uint256 public immutable maxYays;
    uint256 public immutable launchThreshold;
    uint256 public immutable liftCooldown;

    uint256 public live;
    address public hat;
    uint256 public last;
    mapping (bytes32 => address[]) public slates;
    mapping (address => bytes32) public votes;
    mapping (address => uint256) public approvals;
    mapping (address => uint256) public deposits;

    event Launch();
    event Lock(uint256 wad);
    event Free(uint256 wad);
    event Etch(bytes32 indexed slate, address[] yays);
    event Vote(bytes32 indexed slate);
    event Lift(address indexed whom);

    constructor(address gov_, uint256 maxYays_, uint256 launchThreshold_, uint256 liftCooldown_) {
        gov = SGTokenLike(gov_);
        maxYays = maxYays_;
        launchThreshold = launchThreshold_;
        liftCooldown = liftCooldown_;
    }

    // compatibility getters of the legacy chief
    function GOV() external view returns (address) { return address(gov); }
    function MAX_YAYS() external view returns (uint256) { return maxYays; }

    function launch() external {
        require(live == 0, "Chief/already-live");
        require(hat == address(0), "Chief/not-address-zero");
        require(approvals[address(0)] >= launchThreshold, "Chief/less-than-threshold");
        live = 1;
        last = block.number;
        emit Launch();
    }

    function lock(uint256 wad) external {
        gov.transferFrom(msg.sender, address(this), wad);
        deposits[msg.sender] += wad;
        _addWeight(wad, votes[msg.sender]);
        emit Lock(wad);
    }

    function free(uint256 wad) external {
        require(block.number > last, "Chief/cant-free-same-block");
        deposits[msg.sender] -= wad;
        _subWeight(wad, votes[msg.sender]);
        require(_transfer(msg.sender, wad), "Chief/transfer-failed");
        emit Free(wad);
    }

    function _transfer(address to, uint256 wad) internal returns (bool ok) {
        (ok, ) = address(gov).call(abi.encodeWithSignature("transfer(address,uint256)", to, wad));
    }

    function etch(address[] memory yays) public returns (bytes32 slate) {
        require(yays.length <= maxYays, "Chief/greater-max-yays");
        for (uint256 i = 1; i < yays.length; i++) require(yays[i - 1] < yays[i], "Chief/yays-not-ordered");
        slate = keccak256(abi.encodePacked(yays));
        slates[slate] = yays;
        emit Etch(slate, yays);
    }

    function vote(address[] memory yays) external returns (bytes32 slate) {
        slate = etch(yays);
        _vote(slate);
    }

    function vote(bytes32 slate) external {
        require(slates[slate].length > 0 || slate == keccak256(abi.encodePacked(new address[](0))), "Chief/invalid-slate");
        _vote(slate);
    }

    function _vote(bytes32 slate) internal {
        uint256 weight = deposits[msg.sender];
        _subWeight(weight, votes[msg.sender]);
        votes[msg.sender] = slate;
        _addWeight(weight, slate);
        emit Vote(slate);
    }

    function lift(address whom) external {
        require(block.number == last || block.number > last + liftCooldown, "Chief/cooldown-not-finished");
        require(approvals[whom] > approvals[hat], "Chief/not-higher-than-hat");
        hat = whom;
        last = block.number;
        emit Lift(whom);
    }

    function _addWeight(uint256 weight, bytes32 slate) internal {
        address[] storage yays = slates[slate];
        for (uint256 i = 0; i < yays.length; i++) approvals[yays[i]] += weight;
    }

    function _subWeight(uint256 weight, bytes32 slate) internal {
        address[] storage yays = slates[slate];
        for (uint256 i = 0; i < yays.length; i++) approvals[yays[i]] -= weight;
    }

    function canCall(address caller, address, bytes4) external view returns (bool) {
        return live == 1 && caller == hat;
    }
}

/// EmergencyDropSpell: made by Protego for one plan; once the hat, schedule() or drop() drops it.
contract EmergencyDropSpell {
    SGPauseLike public immutable pause;
    address public immutable usr;
    bytes32 public immutable tag;
    bytes public fax;
    uint256 public immutable eta;
    string public description;
    event Drop();

    constructor(address pause_, address usr_, bytes32 tag_, bytes memory fax_, uint256 eta_) {
        pause = SGPauseLike(pause_);
        usr = usr_;
        tag = tag_;
        fax = fax_;
        eta = eta_;
        description = "Emergency drop of a planned spell";
    }

    function expiration() external pure returns (uint256) { return type(uint256).max; }
    function officeHours() external pure returns (bool) { return false; }
    function nextCastTime() external pure returns (uint256) { return type(uint256).max; }
    function action() external pure returns (address) { return address(0); }
    function done() external view returns (bool) { return !pause.plans(keccak256(abi.encode(usr, tag, fax, eta))); }
    function schedule() external { drop(); }
    function drop() public {
        pause.drop(usr, tag, fax, eta);
        emit Drop();
    }
    function cast() external {}
}

/// Protego (MCD_PROTEGO): permissionless drop-spell factory; lifted itself, anyone may drop any plan.
contract Protego {
    address public immutable pause;
    event Deploy(address dropSpell);
    event Drop(bytes32 id);

    constructor(address pause_) { pause = pause_; }

    function id(address usr, bytes32 tag, bytes memory fax, uint256 eta) public pure returns (bytes32) {
        return keccak256(abi.encode(usr, tag, fax, eta));
    }
    function planned(address usr, bytes32 tag, bytes memory fax, uint256 eta) external view returns (bool) {
        return SGPauseLike(pause).plans(id(usr, tag, fax, eta));
    }
    function deploy(address usr, bytes32 tag, bytes memory fax, uint256 eta) external returns (address spell) {
        spell = address(new EmergencyDropSpell(pause, usr, tag, fax, eta));
        emit Deploy(spell);
    }
    function drop(address usr, bytes32 tag, bytes memory fax, uint256 eta) external {
        SGPauseLike(pause).drop(usr, tag, fax, eta);
        emit Drop(id(usr, tag, fax, eta));
    }
}

interface SGSpbeamMomLike { function halt(address) external; }
interface SGSpbeamLike { function bad() external view returns (uint256); }

/// EMSP_SPBEAM_HALT: a pre-deployed emergency spell; schedule() halts SPBEAM through its MOM (as the hat).
contract SPBEAMHaltSpell {
    address public immutable mom;
    address public immutable spbeam;
    string public constant description = "Emergency Spell | SPBEAM | Halt";
    event Halt();

    constructor(address mom_, address spbeam_) { mom = mom_; spbeam = spbeam_; }

    function eta() external pure returns (uint256) { return 0; }
    function expiration() external pure returns (uint256) { return type(uint256).max; }
    function officeHours() external pure returns (bool) { return false; }
    function nextCastTime() external pure returns (uint256) { return type(uint256).max; }
    function done() external view returns (bool) { return SGSpbeamLike(spbeam).bad() == 1; }
    function schedule() external {
        SGSpbeamMomLike(mom).halt(spbeam);
        emit Halt();
    }
    function cast() external {}
}

/// VoteDelegate: anyone locks SKY here (locked in the Chief); only the delegate votes.
contract VoteDelegate {
    SkyChief public immutable chief;
    SGTokenLike public immutable gov;
    address public immutable delegate;
    mapping (address => uint256) public stake;
    uint256 public hatchTrigger;
    uint256 public constant HATCH_SIZE = 5;
    uint256 public constant HATCH_COOLDOWN = 20;

    event Lock(address indexed usr, uint256 wad);
    event Free(address indexed usr, uint256 wad);
    event ReserveHatch();

    constructor(address chief_, address delegate_) {
        chief = SkyChief(chief_);
        gov = SkyChief(chief_).gov();
        delegate = delegate_;
        SkyChief(chief_).gov().approve(chief_, type(uint256).max);
    }

    modifier delegate_auth { require(msg.sender == delegate, "VoteDelegate/sender-not-delegate"); _; }

    function lock(uint256 wad) external {
        require(block.number == hatchTrigger || block.number > hatchTrigger + HATCH_SIZE, "VoteDelegate/no-lock-during-hatch");
        gov.transferFrom(msg.sender, address(this), wad);
        chief.lock(wad);
        stake[msg.sender] += wad;
        emit Lock(msg.sender, wad);
    }

    function free(uint256 wad) external {
        require(stake[msg.sender] >= wad, "VoteDelegate/insufficient-stake");
        stake[msg.sender] -= wad;
        chief.free(wad);
        (bool ok, ) = address(gov).call(abi.encodeWithSignature("transfer(address,uint256)", msg.sender, wad));
        require(ok, "VoteDelegate/transfer-failed");
        emit Free(msg.sender, wad);
    }

    function reserveHatch() external {
        require(block.number >= hatchTrigger + HATCH_SIZE + HATCH_COOLDOWN, "VoteDelegate/cooldown-not-finished");
        hatchTrigger = block.number;
        emit ReserveHatch();
    }

    function vote(address[] memory yays) external delegate_auth returns (bytes32) { return chief.vote(yays); }
    function vote(bytes32 slate) external delegate_auth { chief.vote(slate); }
}

/// VoteDelegateFactory (VOTE_DELEGATE_FACTORY): one VoteDelegate per delegate.
contract VoteDelegateFactory {
    address public immutable chief;
    address public immutable polling;
    mapping (address => address) public delegates;
    mapping (address => uint256) public created;
    event CreateVoteDelegate(address indexed usr, address indexed voteDelegate);

    constructor(address chief_, address polling_) { chief = chief_; polling = polling_; }

    function isDelegate(address usr) external view returns (bool) { return delegates[usr] != address(0); }

    function create() external returns (address voteDelegate) {
        require(delegates[msg.sender] == address(0), "VoteDelegateFactory/sender-is-already-delegate");
        voteDelegate = address(new VoteDelegate(chief, msg.sender));
        delegates[msg.sender] = voteDelegate;
        created[voteDelegate] = 1;
        emit CreateVoteDelegate(msg.sender, voteDelegate);
    }
}
