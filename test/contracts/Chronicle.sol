// SPDX-License-Identifier: MIT
// Vigil test contracts: the Chronicle oracles Sky's OSMs read since 2025 (PIP_ETH, PIP_WSTETH,
// PIP_WBTC; FLAP_SKY_ORACLE behind PIP_SKY) and the capped OSM wrapper LOCKSTAKE_ORACLE. Facts from
// ../shared/reference/sky.md (sections 8.5, 8.6, 9) and Chronicle's public IScribe /
// IScribeOptimistic / chronicle-std Auth and Toll interfaces: same function signatures where a bot
// or the OSM calls them, same events, same storage slots 0-4 (wards, wards touched, buds, buds
// touched, _pokeData {uint128 val; uint32 age} at slot 4: the slot the 2025-05-15 spell test writes).
// Written for Vigil, not copied. Simplifications (none a bot relies on): no Schnorr or ECDSA
// cryptography: a poke is accepted when its signersBlob lists at least `bar` lifted feeds (20
// bytes each), an opPoke is signed by the sender (a lifted feed), and an opChallenge proves the
// opPoke invalid when its Schnorr signature is zero; feeds are lifted by address (not public key);
// no future-message check; no challenge reward.
pragma solidity 0.8.30;

/// A Chronicle Scribe (chronicle-std Auth + Toll; IScribe events).
contract ChronicleScribe {
    // -- storage: slots 0..4 as deployed --
    mapping (address => uint256) internal _wards;      // slot 0
    address[] internal _wardsTouched;                    // slot 1
    mapping (address => uint256) internal _buds;       // slot 2
    address[] internal _budsTouched;                     // slot 3
    struct PokeData { uint128 val; uint32 age; }
    struct SchnorrData { bytes32 signature; address commitment; bytes signersBlob; }
    PokeData internal _pokeData;                          // slot 4
    bytes32 public immutable wat;
    uint8 public bar = 2;
    mapping (address => uint256) internal _feeds;
    address[] internal _feedList;
    uint32 internal _lastSignedAge;

    event AuthGranted(address indexed caller, address indexed who);
    event AuthRenounced(address indexed caller, address indexed who);
    event TollGranted(address indexed caller, address indexed who);
    event TollRenounced(address indexed caller, address indexed who);
    event Poked(address indexed caller, uint128 val, uint32 age);
    event FeedLifted(address indexed caller, address indexed feed);
    event FeedDropped(address indexed caller, address indexed feed);
    event BarUpdated(address indexed caller, uint8 oldBar, uint8 newBar);

    error NotAuthorized(address caller);
    error NotTolled(address caller);
    error StaleMessage(uint32 givenAge, uint32 currentAge);
    error BarNotReached(uint8 numberSigners, uint8 bar);

    constructor(address initialAuthed, bytes32 wat_) {
        wat = wat_;
        _wards[initialAuthed] = 1;
        _wardsTouched.push(initialAuthed);
        emit AuthGranted(msg.sender, initialAuthed);
    }

    modifier auth() { if (_wards[msg.sender] != 1) revert NotAuthorized(msg.sender); _; }
    modifier toll() { if (_buds[msg.sender] != 1) revert NotTolled(msg.sender); _; }

    // -- Auth --
    function rely(address who) external auth { if (_wards[who] == 1) return; _wards[who] = 1; _wardsTouched.push(who); emit AuthGranted(msg.sender, who); }
    function deny(address who) external auth { if (_wards[who] == 0) return; _wards[who] = 0; emit AuthRenounced(msg.sender, who); }
    function authed(address who) public view returns (bool) { return _wards[who] == 1; }
    function wards(address who) external view returns (uint256) { return _wards[who]; }

    // -- Toll --
    function kiss(address who) external auth { if (_buds[who] == 1) return; _buds[who] = 1; _budsTouched.push(who); emit TollGranted(msg.sender, who); }
    function diss(address who) external auth { if (_buds[who] == 0) return; _buds[who] = 0; emit TollRenounced(msg.sender, who); }
    function tolled(address who) public view returns (bool) { return _buds[who] == 1; }
    function bud(address who) external view returns (uint256) { return _buds[who]; }

    // -- feeds and bar --
    function lift(address feed) external auth {
        if (_feeds[feed] != 0) return;
        _feedList.push(feed);
        _feeds[feed] = _feedList.length;
        emit FeedLifted(msg.sender, feed);
    }
    function drop(address feed) external auth { _drop(msg.sender, feed); }
    function _drop(address caller, address feed) internal {
        uint256 i = _feeds[feed];
        if (i == 0) return;
        address last = _feedList[_feedList.length - 1];
        _feedList[i - 1] = last;
        _feeds[last] = i;
        _feedList.pop();
        _feeds[feed] = 0;
        emit FeedDropped(caller, feed);
    }
    function feeds() external view returns (address[] memory) { return _feedList; }
    function feeds(address who) external view returns (bool) { return _feeds[who] != 0; }
    function setBar(uint8 bar_) external auth {
        require(bar_ != 0);
        if (bar == bar_) return;
        emit BarUpdated(msg.sender, bar, bar_);
        bar = bar_;
    }

    // -- poke (anyone relays a price the feeds signed) --
    function _verify(SchnorrData calldata s) internal view returns (bool) {
        uint256 n = s.signersBlob.length / 20;
        uint8 ok;
        for (uint256 i = 0; i < n; i++) {
            address signer = address(bytes20(s.signersBlob[i * 20:(i + 1) * 20]));
            if (_feeds[signer] != 0) ok++;
        }
        return ok >= bar && s.signature != bytes32(0);
    }
    function poke(PokeData calldata pokeData, SchnorrData calldata schnorrData) external virtual {
        if (pokeData.age <= _lastSignedAge) revert StaleMessage(pokeData.age, _lastSignedAge);
        if (!_verify(schnorrData)) revert BarNotReached(0, bar);
        _lastSignedAge = pokeData.age;
        _pokeData.val = pokeData.val;
        _pokeData.age = uint32(block.timestamp);
        emit Poked(msg.sender, pokeData.val, pokeData.age);
    }

    // -- reads (tolled) --
    function _current() internal view virtual returns (PokeData memory) { return _pokeData; }
    function read() external view toll returns (uint256) { uint256 v = _current().val; require(v != 0); return v; }
    function tryRead() external view toll returns (bool, uint256) { uint256 v = _current().val; return (v != 0, v); }
    function readWithAge() external view toll returns (uint256, uint256) { PokeData memory p = _current(); require(p.val != 0); return (p.val, p.age); }
    function tryReadWithAge() external view toll returns (bool, uint256, uint256) { PokeData memory p = _current(); return (p.val != 0, p.val, p.age); }
    function peek() external view toll returns (uint256, bool) { uint256 v = _current().val; return (v, v != 0); }
    function peep() external view toll returns (uint256, bool) { uint256 v = _current().val; return (v, v != 0); }
    function decimals() external pure returns (uint8) { return 18; }
}

/// ScribeOptimistic: a single feed's opPoke becomes current after `opChallengePeriod` unless
/// someone proves it invalid (opChallenge): the feed is then dropped and the data deleted.
contract ChronicleScribeOptimistic is ChronicleScribe {
    struct ECDSAData { uint8 v; bytes32 r; bytes32 s; }
    uint16 public opChallengePeriod = 1200;
    address public opFeed;
    PokeData internal _opPokeData;
    bytes32 internal _opSignature;

    event OpPoked(address indexed caller, address indexed opFeed, SchnorrData schnorrData, PokeData pokeData);
    event OpPokeChallengedSuccessfully(address indexed caller, bytes schnorrErr);
    event OpPokeChallengedUnsuccessfully(address indexed caller);
    event OpChallengePeriodUpdated(address indexed caller, uint16 oldOpChallengePeriod, uint16 newOpChallengePeriod);

    error InChallengePeriod();
    error NoOpPokeToChallenge();
    error SignerNotFeed(address signer);

    constructor(address initialAuthed, bytes32 wat_) ChronicleScribe(initialAuthed, wat_) {}

    function _finalized() internal view returns (bool) { return _opPokeData.age + opChallengePeriod <= block.timestamp; }
    function _current() internal view override returns (PokeData memory) {
        return _finalized() && _opPokeData.age > _pokeData.age ? _opPokeData : _pokeData;
    }
    function poke(PokeData calldata pokeData, SchnorrData calldata schnorrData) external override {
        if (pokeData.age <= _lastSignedAge) revert StaleMessage(pokeData.age, _lastSignedAge);
        if (!_verify(schnorrData)) revert BarNotReached(0, bar);
        if (_finalized() && _opPokeData.age > _pokeData.age) _pokeData = _opPokeData;
        _lastSignedAge = pokeData.age;
        _pokeData.val = pokeData.val;
        _pokeData.age = uint32(block.timestamp);
        emit Poked(msg.sender, pokeData.val, pokeData.age);
    }
    function opPoke(PokeData calldata pokeData, SchnorrData calldata schnorrData, ECDSAData calldata) external {
        if (!_finalized()) revert InChallengePeriod();
        if (_feeds[msg.sender] == 0) revert SignerNotFeed(msg.sender);
        if (pokeData.age <= _lastSignedAge) revert StaleMessage(pokeData.age, _lastSignedAge);
        if (_opPokeData.age > _pokeData.age) _pokeData = _opPokeData;
        _lastSignedAge = pokeData.age;
        opFeed = msg.sender;
        _opSignature = schnorrData.signature;
        _opPokeData.val = pokeData.val;
        _opPokeData.age = uint32(block.timestamp);
        emit OpPoked(msg.sender, msg.sender, schnorrData, pokeData);
    }
    function opChallenge(SchnorrData calldata) external returns (bool) {
        if (_finalized()) revert NoOpPokeToChallenge();
        if (_opSignature != bytes32(0)) {
            if (_opPokeData.age > _pokeData.age) _pokeData = _opPokeData;
            delete _opPokeData;
            emit OpPokeChallengedUnsuccessfully(msg.sender);
            return false;
        }
        _drop(address(this), opFeed);
        delete _opPokeData;
        emit OpPokeChallengedSuccessfully(msg.sender, abi.encodeWithSignature("SchnorrSignatureInvalid()"));
        return true;
    }
    function setOpChallengePeriod(uint16 period) external auth {
        require(period != 0);
        if (period == opChallengePeriod) return;
        emit OpChallengePeriodUpdated(msg.sender, opChallengePeriod, period);
        opChallengePeriod = period;
    }
}

interface CappedOsmLike {
    function peek() external view returns (bytes32, bool);
    function peep() external view returns (bytes32, bool);
    function stopped() external view returns (uint256);
    function src() external view returns (address);
    function hop() external view returns (uint16);
    function zzz() external view returns (uint64);
    function pass() external view returns (bool);
    function poke() external;
}

/// LOCKSTAKE_ORACLE: LockstakeCappedOsmWrapper over PIP_SKY; reads answer min(OSM value, cap), to buds only.
contract LockstakeCappedOsmWrapper {
    mapping (address => uint256) public wards;
    mapping (address => uint256) public buds;
    CappedOsmLike public immutable osm;
    uint256 public cap;

    event Rely(address indexed usr);
    event Deny(address indexed usr);
    event Kiss(address indexed usr);
    event Diss(address indexed usr);
    event File(bytes32 indexed what, uint256 data);

    constructor(address osm_) {
        osm = CappedOsmLike(osm_);
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }
    modifier auth() { require(wards[msg.sender] == 1, "LockstakeCappedOsmWrapper/not-authorized"); _; }
    modifier toll() { require(buds[msg.sender] == 1, "LockstakeCappedOsmWrapper/not-whitelisted"); _; }

    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    function kiss(address usr) external auth { buds[usr] = 1; emit Kiss(usr); }
    function diss(address usr) external auth { buds[usr] = 0; emit Diss(usr); }
    function file(bytes32 what, uint256 data) external auth {
        if (what == "cap") cap = data;
        else revert("LockstakeCappedOsmWrapper/file-unrecognized-param");
        emit File(what, data);
    }
    function _capped(bytes32 v, bool ok) internal view returns (bytes32, bool) {
        uint256 c = cap;
        return (uint256(v) > c ? bytes32(c) : v, ok);
    }
    function peek() external view toll returns (bytes32, bool) { (bytes32 v, bool ok) = osm.peek(); return _capped(v, ok); }
    function peep() external view toll returns (bytes32, bool) { (bytes32 v, bool ok) = osm.peep(); return _capped(v, ok); }
    function read() external view toll returns (bytes32) { (bytes32 v, bool ok) = osm.peek(); require(ok, "LockstakeCappedOsmWrapper/no-current-value"); (v, ) = _capped(v, ok); return v; }
    function stopped() external view returns (uint256) { return osm.stopped(); }
    function src() external view returns (address) { return osm.src(); }
    function hop() external view returns (uint16) { return osm.hop(); }
    function zzz() external view returns (uint64) { return osm.zzz(); }
    function pass() external view returns (bool) { return osm.pass(); }
    function poke() external { osm.poke(); }
}
