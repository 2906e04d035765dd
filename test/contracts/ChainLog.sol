// SPDX-License-Identifier: MIT
// Vigil test contract: the dss-chain-log ChainLog (mainnet CHANGELOG 0xdA0Ab1e0017DEbCd72Be8599041a2aa3bA7e740F)
// interface: list/getAddress/count/get/keys, setAddress/removeAddress/setVersion/setSha256sum/setIPFS,
// events Rely/Deny/UpdateVersion/UpdateSha256sum/UpdateIPFS/UpdateAddress/RemoveAddress (none indexed).
pragma solidity 0.8.30;

contract ChainLog {
    event Rely(address usr);
    event Deny(address usr);
    event UpdateVersion(string version);
    event UpdateSha256sum(string sha256sum);
    event UpdateIPFS(string ipfs);
    event UpdateAddress(bytes32 key, address addr);
    event RemoveAddress(bytes32 key);

    mapping (address => uint256) public wards;
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    modifier auth {
        require(wards[msg.sender] == 1, "ChainLog/not-authorized");
        _;
    }

    struct Location {
        uint256 pos;   // index in `keys`
        address addr;
    }
    mapping (bytes32 => Location) location;

    bytes32[] public keys;

    string public version;
    string public sha256sum;
    string public ipfs;

    constructor() {
        wards[msg.sender] = 1;
        setVersion("0.0.0");
        setAddress("CHANGELOG", address(this));
    }

    function setVersion(string memory _version) public auth {
        version = _version;
        emit UpdateVersion(_version);
    }

    function setSha256sum(string memory _sha256sum) public auth {
        sha256sum = _sha256sum;
        emit UpdateSha256sum(_sha256sum);
    }

    function setIPFS(string memory _ipfs) public auth {
        ipfs = _ipfs;
        emit UpdateIPFS(_ipfs);
    }

    function setAddress(bytes32 _key, address _addr) public auth {
        if (keys.length > 0 && keys[location[_key].pos] == _key) {
            location[_key].addr = _addr;          // known key: update in place
        } else {
            keys.push(_key);
            location[_key] = Location(keys.length - 1, _addr);
        }
        emit UpdateAddress(_key, _addr);
    }

    function removeAddress(bytes32 _key) public auth {
        require(keys.length > 0 && keys[location[_key].pos] == _key, "dss-chain-log/invalid-key");
        // move the last key into the freed position
        bytes32 moved = keys[keys.length - 1];
        keys[location[_key].pos] = moved;
        location[moved].pos = location[_key].pos;
        keys.pop();
        delete location[_key];
        emit RemoveAddress(_key);
    }

    function count() public view returns (uint256) {
        return keys.length;
    }

    function get(uint256 _index) public view returns (bytes32, address) {
        return (keys[_index], location[keys[_index]].addr);
    }

    function list() public view returns (bytes32[] memory) {
        return keys;
    }

    function getAddress(bytes32 _key) public view returns (address addr) {
        addr = location[_key].addr;
        require(addr != address(0), "dss-chain-log/invalid-key");
    }
}
