/*
 * board.h - the framealloc-riscv64 board (platforms/framealloc-riscv64.repl) for firmware
 * running in machine mode: addresses, interrupt sources, console, interrupts, and the
 * libbusdma machine over the frame-pool device.
 */
#ifndef BOARD_H
#define BOARD_H

#include <busdma/bus_dma.h>
#include <stdint.h>

#include "../drivers/framepool.h"

#define CLINT_BASE      0x02000000u
#define PLIC_BASE       0x0C000000u
#define UART0_BASE      0x10000000u
#define FRAMEPOOL_BASE  0x10001000u
#define IOTLB_BASE      0x10002000u
#define DMA24_BASE      0x10003000u
#define DMA32_BASE      0x10004000u
#define CLINT_HZ        10000000u

/* PLIC sources. */
#define IRQ_UART0       1
#define IRQ_IOTLB       2
#define IRQ_DMA24_CH0   3
#define IRQ_DMA32_CH0   5

/* Initiator ids the engines present to the TLB (initiatorId in the .repl). */
#define DMA24_INITIATOR 1
#define DMA32_INITIATOR 2

/* RAM (the frame pool's three ranges). */
#define RAM_LOW_BASE    0x0ull
#define RAM_LOW_SIZE    0x1000000ull
#define RAM_DMA32_BASE  0x80000000ull
#define RAM_DMA32_SIZE  0x10000000ull
#define RAM_HIGH_BASE   0x100000000ull
#define RAM_HIGH_SIZE   0x10000000ull

/* The firmware image [start, end): loaded at the start of ram_dma32 (board.ld). */
extern char __image_start[], __image_end[];

/* Console, trap vector, PLIC threshold, interrupts on; then attaches the frame pool and borrows
 * the firmware image's own frames and frame 0 (whose CPU pointer is NULL) from it, so it never
 * hands them out. 0, or an errno value after printing why. */
int board_init(void);

/* The frame pool (attached by board_init) and the libbusdma machine over it. */
extern struct framepool board_framepool;
extern struct busdma_machine board_busdma;

/* Runs handler(arg) for PLIC source `source` (priority 1, enabled). 0 or EINVAL. */
typedef void (*board_irq_handler)(void *arg);
int board_irq_establish(unsigned source, board_irq_handler handler, void *arg);
void board_irq_disestablish(unsigned source);

/* Interrupts taken so far (machine external and timer). */
uint32_t board_external_interrupts(void);
uint32_t board_timer_interrupts(void);

/* What to run when the hart takes an exception (a bug): it prints the trap, calls this (e.g. to
 * print the test summary), then stops the hart. */
extern void (*board_fatal_hook)(void);

/* Stops the hart for good (wfi loop with interrupts off). */
void board_halt(void) __attribute__((noreturn));

#endif
