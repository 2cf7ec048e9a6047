/*
 * start.S - machine-mode entry: interrupts off, gp, sp and tp, .tbss and .bss cleared, main, halt.
 */
    .section .text.start, "ax"
    .globl _start
_start:
    csrw mie, zero
    csrci mstatus, 8
    .option push
    .option norelax
    la gp, __global_pointer$
    .option pop
    la sp, __stack_top
    la tp, __tls_base
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 2f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
2:  call main
    call board_halt
