// SPDX-License-Identifier: MIT
// Vigil test contract: a ds-token shaped ERC-20 (MKR, the chief's IOU): DSAuth owner/authority,
// stop/start, push/pull/move aliases (the chief uses pull/push), mint/burn with Mint/Burn events.
pragma solidity 0.8.30;

import "./lib.sol";

contract DSToken is DSAuth {
    bool                                              public stopped;
    uint256                                           public totalSupply;
    mapping (address => uint256)                      public balanceOf;
    mapping (address => mapping (address => uint256)) public allowance;
    string                                            public symbol;
    uint8                                             public decimals = 18;
    string                                            public name = "";

    event Approval(address indexed src, address indexed guy, uint256 wad);
    event Transfer(address indexed src, address indexed dst, uint256 wad);
    event Mint(address indexed guy, uint256 wad);
    event Burn(address indexed guy, uint256 wad);
    event Stop();
    event Start();

    constructor(string memory symbol_) {
        symbol = symbol_;
    }

    modifier stoppable {
        require(!stopped, "ds-stop-is-stopped");
        _;
    }

    function approve(address guy) external returns (bool) {
        return approve(guy, type(uint256).max);
    }

    function approve(address guy, uint256 wad) public stoppable returns (bool) {
        allowance[msg.sender][guy] = wad;
        emit Approval(msg.sender, guy, wad);
        return true;
    }

    function transfer(address dst, uint256 wad) external returns (bool) {
        return transferFrom(msg.sender, dst, wad);
    }

    function transferFrom(address src, address dst, uint256 wad) public stoppable returns (bool) {
        if (src != msg.sender && allowance[src][msg.sender] != type(uint256).max) {
            require(allowance[src][msg.sender] >= wad, "ds-token-insufficient-approval");
            allowance[src][msg.sender] -= wad;
        }
        require(balanceOf[src] >= wad, "ds-token-insufficient-balance");
        balanceOf[src] -= wad;
        balanceOf[dst] += wad;
        emit Transfer(src, dst, wad);
        return true;
    }

    function push(address dst, uint256 wad) external {
        transferFrom(msg.sender, dst, wad);
    }

    function pull(address src, uint256 wad) external {
        transferFrom(src, msg.sender, wad);
    }

    function move(address src, address dst, uint256 wad) external {
        transferFrom(src, dst, wad);
    }

    function mint(uint256 wad) external {
        mint(msg.sender, wad);
    }

    function burn(uint256 wad) external {
        burn(msg.sender, wad);
    }

    function mint(address guy, uint256 wad) public auth stoppable {
        balanceOf[guy] += wad;
        totalSupply += wad;
        emit Mint(guy, wad);
        emit Transfer(address(0), guy, wad);
    }

    function burn(address guy, uint256 wad) public auth stoppable {
        if (guy != msg.sender && allowance[guy][msg.sender] != type(uint256).max) {
            require(allowance[guy][msg.sender] >= wad, "ds-token-insufficient-approval");
            allowance[guy][msg.sender] -= wad;
        }
        require(balanceOf[guy] >= wad, "ds-token-insufficient-balance");
        balanceOf[guy] -= wad;
        totalSupply -= wad;
        emit Burn(guy, wad);
        emit Transfer(guy, address(0), wad);
    }

    function stop() public auth {
        stopped = true;
        emit Stop();
    }

    function start() public auth {
        stopped = false;
        emit Start();
    }

    function setName(string memory name_) public auth {
        name = name_;
    }
}
