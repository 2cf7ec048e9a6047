/*
 * kern.h - what the drivers need from the kernel they run in. The framealloc-riscv64 board
 * implements it in board/board.c (machine mode, CLINT time, wfi); a port to a real kernel maps
 * it onto its own primitives (spl, sleep/wakeup with a timeout, bus_space).
 */
#ifndef DRIVERS_KERN_H
#define DRIVERS_KERN_H

#include <stdint.h>

/* A monotonic clock, and its rate. */
uint64_t kern_now(void);
uint64_t kern_ticks_per_second(void);

/* Masks interrupts on this hart; returns what kern_intr_restore needs to undo it. */
unsigned long kern_intr_disable(void);
void kern_intr_restore(unsigned long state);

/* Called with interrupts masked: returns once an interrupt was taken (its handler ran) or the
 * clock reached deadline, with interrupts masked again. The caller re-checks its condition. */
void kern_wait(uint64_t deadline);

/* Device registers: 32-bit, little-endian. */
static inline uint32_t mmio_read32(uintptr_t addr)
{
    return *(volatile uint32_t *)addr;
}

static inline void mmio_write32(uintptr_t addr, uint32_t value)
{
    *(volatile uint32_t *)addr = value;
}

/* A 64-bit value into a _LO/_HI register pair, low half first. */
static inline void mmio_write64(uintptr_t addr, uint64_t value)
{
    mmio_write32(addr, (uint32_t)value);
    mmio_write32(addr + 4, (uint32_t)(value >> 32));
}

static inline uint64_t mmio_read64(uintptr_t addr)
{
    uint64_t low = mmio_read32(addr);
    return low | ((uint64_t)mmio_read32(addr + 4) << 32);
}

#endif
