// SPDX-License-Identifier: MIT
// Vigil test contracts (maker-flash): a flash-mint borrower that runs arbitrary calls inside the
// loan, so tests can put a DssFlash mint in the same transaction as a governance action, an oracle
// poke, a Clipper take or an ESM join, the combinations maker-flash reports.
//  - FlashMulticall: owner-only; `flashMint` borrows DAI (ERC-3156 flashLoan), `vatDaiFlash` borrows
//    internal dai (vatDaiFlashLoan); inside the callback it makes the given calls from itself, then
//    repays (it must hold whatever the fee or its calls consume). `execute` makes calls outside a loan
//    (approvals, vat.hope, funding).
pragma solidity 0.8.30;

import "./lib.sol";

interface ComboFlashLike {
    function flashLoan(address receiver, address token, uint256 amount, bytes calldata data) external returns (bool);
    function vatDaiFlashLoan(address receiver, uint256 amount, bytes calldata data) external returns (bool);
}

contract FlashMulticall {
    address public immutable flash;
    address public immutable vat;
    address public immutable dai;
    address public immutable owner;

    constructor(address flash_, address vat_, address dai_) {
        flash = flash_;
        vat = vat_;
        dai = dai_;
        owner = msg.sender;
    }

    modifier onlyOwner {
        require(msg.sender == owner, "FlashMulticall/not-owner");
        _;
    }

    /// Flash-mint `amount` DAI and make `datas[i]` calls to `targets[i]` inside the loan.
    function flashMint(uint256 amount, address[] calldata targets, bytes[] calldata datas) external onlyOwner {
        ComboFlashLike(flash).flashLoan(address(this), dai, amount, abi.encode(targets, datas));
    }

    /// Flash-borrow `rad` internal dai and make the calls inside the loan.
    function vatDaiFlash(uint256 rad, address[] calldata targets, bytes[] calldata datas) external onlyOwner {
        ComboFlashLike(flash).vatDaiFlashLoan(address(this), rad, abi.encode(targets, datas));
    }

    /// Make calls outside any loan (setup: approvals, vat.hope, ...).
    function execute(address[] calldata targets, bytes[] calldata datas) external onlyOwner {
        _calls(targets, datas);
    }

    function onFlashLoan(address initiator, address token, uint256 amount, uint256 fee, bytes calldata data) external returns (bytes32) {
        require(msg.sender == flash && initiator == address(this), "FlashMulticall/unexpected-callback");
        (address[] memory targets, bytes[] memory datas) = abi.decode(data, (address[], bytes[]));
        _calls(targets, datas);
        TokenLike(token).approve(flash, amount + fee);
        return keccak256("ERC3156FlashBorrower.onFlashLoan");
    }

    function onVatDaiFlashLoan(address initiator, uint256 amount, uint256 fee, bytes calldata data) external returns (bytes32) {
        require(msg.sender == flash && initiator == address(this), "FlashMulticall/unexpected-callback");
        (address[] memory targets, bytes[] memory datas) = abi.decode(data, (address[], bytes[]));
        _calls(targets, datas);
        VatLike(vat).move(address(this), flash, amount + fee);
        return keccak256("VatDaiFlashBorrower.onVatDaiFlashLoan");
    }

    function _calls(address[] memory targets, bytes[] memory datas) internal {
        require(targets.length == datas.length, "FlashMulticall/length-mismatch");
        for (uint256 i = 0; i < targets.length; i++) {
            (bool ok, bytes memory ret) = targets[i].call(datas[i]);
            if (!ok) {
                assembly {
                    revert(add(ret, 32), mload(ret))
                }
            }
        }
    }
}
