/* Startup and trap entry of the hart-tlb firmware (machine mode, no OS). Runs entirely in the
   hart TLB's unmapped segment. A TLB miss arrives as a page-fault exception (mcause 12, 13 or 15)
   with mepc at the faulting instruction, which has not executed. The trap entry saves the caller-saved registers on its own
   stack, calls hart_tlb_trap(mcause, mepc, frame) and returns with mret: the faulting instruction
   is retried. */
    .section .text.start
    .globl _start
_start:
    la sp, __stack_top
    la t0, trap_entry
    csrw mtvec, t0
    la t0, __bss_start
    la t1, __bss_end
1:  bgeu t0, t1, 4f
    sd zero, 0(t0)
    addi t0, t0, 8
    j 1b
4:
    call main
3:  wfi
    j 3b

    .align 4
    .globl trap_entry
trap_entry:
    csrw mscratch, sp
    la sp, __trap_stack_top
    addi sp, sp, -160
    sd ra, 0(sp)
    sd t0, 8(sp)
    sd t1, 16(sp)
    sd t2, 24(sp)
    sd a0, 32(sp)
    sd a1, 40(sp)
    sd a2, 48(sp)
    sd a3, 56(sp)
    sd a4, 64(sp)
    sd a5, 72(sp)
    sd a6, 80(sp)
    sd a7, 88(sp)
    sd t3, 96(sp)
    sd t4, 104(sp)
    sd t5, 112(sp)
    sd t6, 120(sp)
    csrr a0, mcause
    csrr a1, mepc
    mv a2, sp
    call hart_tlb_trap
    ld ra, 0(sp)
    ld t0, 8(sp)
    ld t1, 16(sp)
    ld t2, 24(sp)
    ld a0, 32(sp)
    ld a1, 40(sp)
    ld a2, 48(sp)
    ld a3, 56(sp)
    ld a4, 64(sp)
    ld a5, 72(sp)
    ld a6, 80(sp)
    ld a7, 88(sp)
    ld t3, 96(sp)
    ld t4, 104(sp)
    ld t5, 112(sp)
    ld t6, 120(sp)
    csrr sp, mscratch
    mret

/* Precision probe: a1 = mapped address, a0 = value. The amoswap both loads into a2 and stores;
   a trap on it must leave a2 and memory untouched. The addi before it, in the same translation
   block, must run exactly once. Returns the old memory value; *counter (a3) counts the addi. */
    .globl precision_probe
    .globl precision_probe_fault_pc
precision_probe:
    li a2, 0x77
    ld t0, 0(a3)
    addi t0, t0, 1
    sd t0, 0(a3)
precision_probe_fault_pc:
    amoswap.d a2, a0, (a1)
    mv a0, a2
    ret
