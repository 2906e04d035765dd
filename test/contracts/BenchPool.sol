// SPDX-License-Identifier: MIT
// Vigil bench contract: a DEX-pool-shaped emitter for the benchmark's unrelated traffic
// (scripts/bench/workload.ts). A swap emits what a Uniswap-v2-style pool's swap does on mainnet
// (token Transfers, Sync, Swap) without moving real balances, so a block can carry hundreds of
// logs from contracts the Maker bots do not watch.
pragma solidity 0.8.30;

contract BenchPool {
    event Transfer(address indexed from, address indexed to, uint256 value);
    event Sync(uint112 reserve0, uint112 reserve1);
    event Swap(address indexed sender, uint256 amount0In, uint256 amount1In, uint256 amount0Out, uint256 amount1Out, address indexed to);

    uint112 public reserve0 = 1e24;
    uint112 public reserve1 = 1e24;

    function swap(uint112 amountIn, uint8 hops, address to) external {
        for (uint8 i = 0; i < hops; i++) {
            emit Transfer(msg.sender, address(this), amountIn + i);
        }
        emit Transfer(address(this), to, amountIn);
        reserve0 += amountIn;
        reserve1 -= amountIn / 2;
        emit Sync(reserve0, reserve1);
        emit Swap(msg.sender, amountIn, 0, 0, amountIn / 2, to);
    }
}
