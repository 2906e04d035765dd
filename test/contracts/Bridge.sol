// SPDX-License-Identifier: MIT
// Vigil test contracts: the DAI bridge ends a bot compares.
//  - L1Escrow (OPTIMISM_ESCROW, ARBITRUM_ESCROW, ...): holds bridged DAI on L1; wards approve spenders.
//  - L2Dai: DAI on an L2 (mainnet optimism-dai-bridge l2/dai.sol shape): minted and burned by the
//    bridge (a ward); events Transfer/Approval/Rely/Deny.
pragma solidity 0.8.30;

interface EscrowApproveLike {
    function approve(address, uint256) external returns (bool);
}

contract L1Escrow {
    mapping (address => uint256) public wards;
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    modifier auth {
        require(wards[msg.sender] == 1, "L1Escrow/not-authorized");
        _;
    }

    event Rely(address indexed usr);
    event Deny(address indexed usr);
    event Approve(address indexed token, address indexed spender, uint256 value);

    constructor() {
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    function approve(address token, address spender, uint256 value) external auth {
        emit Approve(token, spender, value);
        EscrowApproveLike(token).approve(spender, value);
    }
}

contract L2Dai {
    mapping (address => uint256) public wards;
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    modifier auth {
        require(wards[msg.sender] == 1, "Dai/not-authorized");
        _;
    }

    string  public constant name     = "Dai Stablecoin";
    string  public constant symbol   = "DAI";
    string  public constant version  = "2";
    uint8   public constant decimals = 18;
    uint256 public totalSupply;

    mapping (address => uint256)                      public balanceOf;
    mapping (address => mapping (address => uint256)) public allowance;
    mapping (address => uint256)                      public nonces;

    event Rely(address indexed usr);
    event Deny(address indexed usr);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor() {
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
    }

    function transfer(address to, uint256 value) external returns (bool) {
        return transferFrom(msg.sender, to, value);
    }
    function transferFrom(address from, address to, uint256 value) public returns (bool) {
        require(to != address(0) && to != address(this), "Dai/invalid-address");
        require(balanceOf[from] >= value, "Dai/insufficient-balance");
        if (from != msg.sender && allowance[from][msg.sender] != type(uint256).max) {
            require(allowance[from][msg.sender] >= value, "Dai/insufficient-allowance");
            allowance[from][msg.sender] -= value;
        }
        balanceOf[from] -= value;
        balanceOf[to] += value;
        emit Transfer(from, to, value);
        return true;
    }
    function approve(address spender, uint256 value) external returns (bool) {
        allowance[msg.sender][spender] = value;
        emit Approval(msg.sender, spender, value);
        return true;
    }
    function mint(address to, uint256 value) external auth {
        require(to != address(0) && to != address(this), "Dai/invalid-address");
        balanceOf[to] += value;
        totalSupply += value;
        emit Transfer(address(0), to, value);
    }
    function burn(address from, uint256 value) external {
        require(balanceOf[from] >= value, "Dai/insufficient-balance");
        if (from != msg.sender && wards[msg.sender] != 1 && allowance[from][msg.sender] != type(uint256).max) {
            require(allowance[from][msg.sender] >= value, "Dai/insufficient-allowance");
            allowance[from][msg.sender] -= value;
        }
        balanceOf[from] -= value;
        totalSupply -= value;
        emit Transfer(from, address(0), value);
    }
}
