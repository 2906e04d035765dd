// SPDX-License-Identifier: MIT
// Vigil test contract: ILK_REGISTRY (ilk-registry): enumerates collateral types for bots.
// add(join) reads the ilk's join, gem, decimals, pip (Spotter) and liquidator (Dog, else Cat);
// put(...) records an ilk by hand (auth). list/count/get/info and per-field getters; events
// Rely/Deny/AddIlk/RemoveIlk/UpdateIlk (not indexed, as on mainnet).
pragma solidity 0.8.30;

interface RegJoinLike {
    function ilk() external view returns (bytes32);
    function gem() external view returns (address);
    function dec() external view returns (uint256);
    function live() external view returns (uint256);
}
interface RegSpotLike { function ilks(bytes32) external view returns (address pip, uint256 mat); }
interface RegDogLike { function ilks(bytes32) external view returns (address clip, uint256 chop, uint256 hole, uint256 dirt); }
interface RegCatLike { function ilks(bytes32) external view returns (address flip, uint256 chop, uint256 dunk); }
interface RegTokenLike {
    function name() external view returns (string memory);
    function symbol() external view returns (string memory);
}

contract IlkRegistry {
    event Rely(address usr);
    event Deny(address usr);
    event AddIlk(bytes32 ilk);
    event RemoveIlk(bytes32 ilk);
    event UpdateIlk(bytes32 ilk);
    event NameError(bytes32 ilk);
    event SymbolError(bytes32 ilk);

    mapping (address => uint256) public wards;
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    modifier auth {
        require(wards[msg.sender] == 1, "IlkRegistry/not-authorized");
        _;
    }

    address     public immutable vat;
    RegDogLike  public dog;
    RegCatLike  public cat;
    RegSpotLike public spot;

    struct Ilk {
        uint96  pos;    // index in `ilks`
        address join;
        address gem;
        uint8   dec;
        uint96  class;  // 1: clip, 2: flip, 3+: other (PSM, RWA)
        address pip;
        address xlip;   // auction contract
        string  name;
        string  symbol;
    }

    mapping (bytes32 => Ilk) public ilkData;
    bytes32[] ilks;

    constructor(address vat_, address dog_, address cat_, address spot_) {
        vat = vat_;
        dog = RegDogLike(dog_);
        cat = RegCatLike(cat_);
        spot = RegSpotLike(spot_);
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    function add(address adapter) external {
        RegJoinLike join = RegJoinLike(adapter);
        bytes32 _ilk = join.ilk();
        require(_ilk != 0, "IlkRegistry/ilk-adapter-invalid");
        require(ilkData[_ilk].join == address(0), "IlkRegistry/ilk-already-exists");

        (address _pip,) = spot.ilks(_ilk);
        require(_pip != address(0), "IlkRegistry/pip-invalid");

        uint96 _class = 1;
        (address _xlip,,,) = dog.ilks(_ilk);
        if (_xlip == address(0) && address(cat) != address(0)) {
            (_xlip,,) = cat.ilks(_ilk);
            _class = 2;
        }
        require(_xlip != address(0), "IlkRegistry/invalid-auction-contract");

        address _gem = join.gem();
        _put(_ilk, adapter, _gem, join.dec(), _class, _pip, _xlip, _name(_ilk, _gem), _symbol(_ilk, _gem));
        emit AddIlk(_ilk);
    }

    function put(
        bytes32 _ilk, address _join, address _gem, uint256 _dec, uint256 _class,
        address _pip, address _xlip, string calldata name_, string calldata symbol_
    ) external auth {
        require(_ilk != 0, "IlkRegistry/empty-ilk");
        if (ilkData[_ilk].join == address(0)) {
            _put(_ilk, _join, _gem, _dec, uint96(_class), _pip, _xlip, name_, symbol_);
            emit AddIlk(_ilk);
        } else {
            uint96 p = ilkData[_ilk].pos;
            ilkData[_ilk] = Ilk(p, _join, _gem, uint8(_dec), uint96(_class), _pip, _xlip, name_, symbol_);
            emit UpdateIlk(_ilk);
        }
    }

    function remove(bytes32 _ilk) external {
        require(ilkData[_ilk].join != address(0), "IlkRegistry/invalid-ilk");
        require(RegJoinLike(ilkData[_ilk].join).live() == 0, "IlkRegistry/ilk-live");
        _remove(_ilk);
    }

    function removeAuth(bytes32 _ilk) external auth {
        require(ilkData[_ilk].join != address(0), "IlkRegistry/invalid-ilk");
        _remove(_ilk);
    }

    function count() external view returns (uint256) { return ilks.length; }
    function list() external view returns (bytes32[] memory) { return ilks; }
    function list(uint256 start, uint256 end) external view returns (bytes32[] memory) {
        require(start <= end && end < ilks.length, "IlkRegistry/invalid-input");
        bytes32[] memory out = new bytes32[](end - start + 1);
        for (uint256 i = start; i <= end; i++) out[i - start] = ilks[i];
        return out;
    }
    function get(uint256 pos_) external view returns (bytes32) {
        require(pos_ < ilks.length, "IlkRegistry/index-out-of-range");
        return ilks[pos_];
    }

    function info(bytes32 ilk) external view returns (
        string memory name, string memory symbol, uint256 class, uint256 dec,
        address gem, address pip, address join, address xlip
    ) {
        Ilk storage i = ilkData[ilk];
        return (i.name, i.symbol, i.class, i.dec, i.gem, i.pip, i.join, i.xlip);
    }

    function pos(bytes32 ilk)    external view returns (uint256) { return ilkData[ilk].pos; }
    function class(bytes32 ilk)  external view returns (uint256) { return ilkData[ilk].class; }
    function gem(bytes32 ilk)    external view returns (address) { return ilkData[ilk].gem; }
    function pip(bytes32 ilk)    external view returns (address) { return ilkData[ilk].pip; }
    function join(bytes32 ilk)   external view returns (address) { return ilkData[ilk].join; }
    function xlip(bytes32 ilk)   external view returns (address) { return ilkData[ilk].xlip; }
    function dec(bytes32 ilk)    external view returns (uint256) { return ilkData[ilk].dec; }
    function symbol(bytes32 ilk) external view returns (string memory) { return ilkData[ilk].symbol; }
    function name(bytes32 ilk)   external view returns (string memory) { return ilkData[ilk].name; }

    function _put(bytes32 _ilk, address _join, address _gem, uint256 _dec, uint96 _class, address _pip, address _xlip, string memory name_, string memory symbol_) internal {
        ilks.push(_ilk);
        ilkData[_ilk] = Ilk(uint96(ilks.length - 1), _join, _gem, uint8(_dec), _class, _pip, _xlip, name_, symbol_);
    }

    function _remove(bytes32 _ilk) internal {
        uint256 _index = ilkData[_ilk].pos;
        bytes32 _moveIlk = ilks[ilks.length - 1];
        ilks[_index] = _moveIlk;
        ilkData[_moveIlk].pos = uint96(_index);
        ilks.pop();
        delete ilkData[_ilk];
        emit RemoveIlk(_ilk);
    }

    function _name(bytes32 ilk, address token) internal returns (string memory) {
        try RegTokenLike(token).name() returns (string memory n) { return n; } catch { emit NameError(ilk); return ""; }
    }

    function _symbol(bytes32 ilk, address token) internal returns (string memory) {
        try RegTokenLike(token).symbol() returns (string memory s) { return s; } catch { emit SymbolError(ilk); return ""; }
    }
}
