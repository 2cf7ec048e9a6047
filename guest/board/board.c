/*
 * board.c - see board.h; also the kernel services of drivers/kern.h.
 */
#include "board.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../drivers/kern.h"

#define PLIC_PRIORITY(src)  (PLIC_BASE + 4u * (src))
#define PLIC_ENABLE0        (PLIC_BASE + 0x2000u)
#define PLIC_THRESHOLD0     (PLIC_BASE + 0x200000u)
#define PLIC_CLAIM0         (PLIC_BASE + 0x200004u)
#define PLIC_SOURCES        32

#define CLINT_MTIMECMP0     (CLINT_BASE + 0x4000u)
#define CLINT_MTIME         (CLINT_BASE + 0xBFF8u)

#define MSTATUS_MIE         0x8ul
#define MIE_MTIE            0x80ul
#define MIE_MEIE            0x800ul
#define MCAUSE_INTERRUPT    (1ul << 63)
#define IRQ_M_TIMER         7
#define IRQ_M_EXTERNAL      11

#define UART_THR            0
#define UART_LSR            5
#define UART_LSR_THRE       0x20

struct framepool board_framepool;
struct busdma_machine board_busdma;
void (*board_fatal_hook)(void);

static struct {
    board_irq_handler handler;
    void *arg;
} irq_table[PLIC_SOURCES];
static volatile uint32_t external_interrupts, timer_interrupts;

/* The frame pool's result area, in the image (RAM the pool does not hand out). */
static bus_dma_segment_t framepool_result[FRAMEPOOL_RESULT_MAX];

/* ---- console ---- */

static int uart_putc(char c, FILE *file)
{
    (void)file;
    volatile uint8_t *uart = (volatile uint8_t *)(uintptr_t)UART0_BASE;
    if (c == '\n')
        uart_putc('\r', file);
    while ((uart[UART_LSR] & UART_LSR_THRE) == 0)
        ;
    uart[UART_THR] = (uint8_t)c;
    return (unsigned char)c;
}

static FILE console = FDEV_SETUP_STREAM(uart_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE *const stdout = &console;
FILE *const stderr = &console;

/* ---- CSRs, time ---- */

#define csr_read(csr) ({ unsigned long v_; __asm__ volatile("csrr %0, " #csr : "=r"(v_)); v_; })
#define csr_write(csr, v) __asm__ volatile("csrw " #csr ", %0" : : "r"(v))
#define csr_set(csr, v) __asm__ volatile("csrs " #csr ", %0" : : "r"(v))
#define csr_clear(csr, v) __asm__ volatile("csrc " #csr ", %0" : : "r"(v))

uint64_t kern_now(void)
{
    return *(volatile uint64_t *)(uintptr_t)CLINT_MTIME;
}

uint64_t kern_ticks_per_second(void)
{
    return CLINT_HZ;
}

unsigned long kern_intr_disable(void)
{
    unsigned long previous;
    __asm__ volatile("csrrc %0, mstatus, %1" : "=r"(previous) : "r"(MSTATUS_MIE) : "memory");
    return previous & MSTATUS_MIE;
}

void kern_intr_restore(unsigned long state)
{
    if (state & MSTATUS_MIE)
        csr_set(mstatus, MSTATUS_MIE);
}

void kern_wait(uint64_t deadline)
{
    /* The timer interrupt ends the wait at the deadline; any enabled interrupt pending wakes
     * wfi even with MIE clear; opening MIE for a moment lets its handler run here. */
    *(volatile uint64_t *)(uintptr_t)CLINT_MTIMECMP0 = deadline;
    csr_set(mie, MIE_MTIE);
    __asm__ volatile("wfi" ::: "memory");
    csr_set(mstatus, MSTATUS_MIE);
    __asm__ volatile("nop" ::: "memory");
    csr_clear(mstatus, MSTATUS_MIE);
    csr_clear(mie, MIE_MTIE);
}

uint32_t board_external_interrupts(void)
{
    return external_interrupts;
}

uint32_t board_timer_interrupts(void)
{
    return timer_interrupts;
}

/* ---- interrupts ---- */

int board_irq_establish(unsigned source, board_irq_handler handler, void *arg)
{
    if (source == 0 || source >= PLIC_SOURCES || handler == NULL)
        return EINVAL;
    unsigned long s = kern_intr_disable();
    irq_table[source].handler = handler;
    irq_table[source].arg = arg;
    mmio_write32(PLIC_PRIORITY(source), 1);
    mmio_write32(PLIC_ENABLE0, mmio_read32(PLIC_ENABLE0) | (1u << source));
    kern_intr_restore(s);
    return 0;
}

void board_irq_disestablish(unsigned source)
{
    if (source == 0 || source >= PLIC_SOURCES)
        return;
    unsigned long s = kern_intr_disable();
    mmio_write32(PLIC_ENABLE0, mmio_read32(PLIC_ENABLE0) & ~(1u << source));
    mmio_write32(PLIC_PRIORITY(source), 0);
    irq_table[source].handler = NULL;
    kern_intr_restore(s);
}

void board_halt(void)
{
    csr_clear(mstatus, MSTATUS_MIE);
    csr_write(mie, 0);
    for (;;)
        __asm__ volatile("wfi");
}

void _exit(int status);
void _exit(int status)
{
    (void)status;
    board_halt();
}

static void external_interrupt(void)
{
    /* Claim until the PLIC has nothing: a handler may make another source pend (a TLB refill
     * completes a DMA chain inside the RESUME write). Bounded, so a stuck line cannot hang. */
    for (int n = 0; n < 64; n++) {
        uint32_t source = mmio_read32(PLIC_CLAIM0);
        if (source == 0)
            return;
        external_interrupts++;
        if (source < PLIC_SOURCES && irq_table[source].handler != NULL)
            irq_table[source].handler(irq_table[source].arg);
        else
            printf("board: interrupt from PLIC source %u with no handler\n", (unsigned)source);
        mmio_write32(PLIC_CLAIM0, source);
    }
}

__attribute__((interrupt("machine"), aligned(4))) static void trap_entry(void)
{
    unsigned long cause = csr_read(mcause);
    if ((cause & MCAUSE_INTERRUPT) != 0) {
        unsigned long code = cause & ~MCAUSE_INTERRUPT;
        if (code == IRQ_M_EXTERNAL) {
            external_interrupt();
        } else if (code == IRQ_M_TIMER) {
            timer_interrupts++;
            *(volatile uint64_t *)(uintptr_t)CLINT_MTIMECMP0 = ~(uint64_t)0;
        }
        return;
    }
    printf("FATAL: exception mcause %lu at mepc 0x%lx, mtval 0x%lx\n", cause, csr_read(mepc),
           csr_read(mtval));
    if (board_fatal_hook != NULL)
        board_fatal_hook();
    board_halt();
}

/* ---- libbusdma machine: identity mapping, picolibc's heap ---- */

static int in_ram(bus_addr_t pa)
{
    return pa - RAM_LOW_BASE < RAM_LOW_SIZE   /* ram_low starts at 0 */
        || (pa >= RAM_DMA32_BASE && pa - RAM_DMA32_BASE < RAM_DMA32_SIZE)
        || (pa >= RAM_HIGH_BASE && pa - RAM_HIGH_BASE < RAM_HIGH_SIZE);
}

static void *phys_to_kva(bus_addr_t pa)
{
    return in_ram(pa) ? (void *)(uintptr_t)pa : NULL;
}

static int kva_to_phys(const void *kva, bus_addr_t *pa)
{
    if (!in_ram((uintptr_t)kva))
        return EINVAL;
    *pa = (uintptr_t)kva;
    return 0;
}

static void *kmem_alloc(size_t size)
{
    return malloc(size);
}

static void kmem_free(void *ptr, size_t size)
{
    (void)size;
    free(ptr);
}

static void fence(void)
{
    __asm__ volatile("fence iorw, iorw" ::: "memory");
}

int board_init(void)
{
    csr_write(mtvec, (uintptr_t)trap_entry);
    *(volatile uint64_t *)(uintptr_t)CLINT_MTIMECMP0 = ~(uint64_t)0;
    for (unsigned s = 1; s < PLIC_SOURCES; s++)
        mmio_write32(PLIC_PRIORITY(s), 0);
    mmio_write32(PLIC_ENABLE0, 0);
    mmio_write32(PLIC_THRESHOLD0, 0);
    csr_write(mie, MIE_MEIE);
    csr_set(mstatus, MSTATUS_MIE);

    int error = framepool_attach(&board_framepool, FRAMEPOOL_BASE, framepool_result,
                                 (uintptr_t)framepool_result);
    if (error != 0) {
        printf("board: no frame pool at 0x%x (error %d)\n", FRAMEPOOL_BASE, error);
        return error;
    }
    /* The image's own frames: the only ones in [start, end), so the window names them. */
    bus_addr_t start = (uintptr_t)__image_start, end = (uintptr_t)__image_end;
    struct frame_constraints c = { start, end - 1, 0, 0, 0, 1 };
    bus_dma_segment_t image;
    int n;
    error = framepool_borrow(&board_framepool, end - start, &c, 0, &image, &n);
    if (error != 0 || image.ds_addr != start) {
        printf("board: cannot reserve the firmware image [0x%lx, 0x%lx): frame pool error %u\n",
               (unsigned long)start, (unsigned long)end, (unsigned)framepool_error(&board_framepool));
        return error != 0 ? error : EINVAL;
    }

    /* Frame 0 too: its CPU pointer would be NULL, which the library's phys_to_kva means as
     * "not RAM" (and C as "no object"). */
    struct frame_constraints zero = { 0, 0xFFF, 0, 0, 0, 1 };
    bus_dma_segment_t page0;
    error = framepool_borrow(&board_framepool, 0x1000, &zero, 0, &page0, &n);
    if (error != 0) {
        printf("board: cannot keep frame 0 out of the pool: frame pool error %u\n",
               (unsigned)framepool_error(&board_framepool));
        return error;
    }

    memset(&board_busdma, 0, sizeof(board_busdma));
    board_busdma.bm_frames = framepool_frame_source(&board_framepool);
    board_busdma.bm_phys_to_kva = phys_to_kva;
    board_busdma.bm_kva_to_phys = kva_to_phys;
    board_busdma.bm_kmem_alloc = kmem_alloc;
    board_busdma.bm_kmem_free = kmem_free;
    board_busdma.bm_barrier = fence;   /* coherent board: no cache hooks */
    return busdma_machine_init(&board_busdma);
}
