/* hart-tlb firmware: a workload that touches many more pages than the hart TLB holds, with a
   TLB-miss handler that walks a two-level page table kept in frames borrowed from the frame pool
   and read through the unmapped segment, and refills with the TLB's random write (MIPS tlbwr).
   Phase 3 turns the TSB assist on; the handler also fills the TSB, as SPARC64's does.
   Results: the block at hart_tlb_results and one UART line "HART-TLB DONE ...". */
#include <stdint.h>
#include "hart_tlb.h"
#include "hart_io.h"

#define FRAMEPOOL_BASE 0x10001000UL
#define HART_TLB_BASE 0x10006000UL

#define REGION_VA 0x4000000000ULL
#define REGION_PAGES 1024u
#define PAGE_SIZE 4096u
#define WORDS_PER_PAGE 8u
#define RANDOM_READS 4096u
#define TSB_LOG2 8u
#define SNAPSHOT_TRAP 2000u

struct hart_tlb_results
{
    uint64_t done;
    uint64_t data_errors;
    uint64_t handler_traps;
    uint64_t mepc_ok;
    uint64_t memory_untouched;
    uint64_t rd_untouched;
    uint64_t retried_ok;
    uint64_t earlier_instruction_once;
    uint64_t misses;
    uint64_t refills;
    uint64_t tsb_refills;
    uint64_t traps;
    uint64_t nested_faults;
    uint64_t protection_faults;
    uint64_t checksum;
    uint64_t bad_traps;
    uint64_t page_table_phys;
    uint64_t data_phys;
};

__attribute__((section(".results"))) volatile struct hart_tlb_results hart_tlb_results;

extern uint64_t precision_probe(uint64_t value, uint64_t address, uint64_t unused, uint64_t *counter);
extern char precision_probe_fault_pc[];

struct pool_segment
{
    uint64_t address;
    uint64_t length;
};

static volatile struct pool_segment pool_result;
static uint64_t *page_root;
static uint64_t *tsb;
static int tsb_fill;
static uint64_t probe_phys;
static int probe_armed;
static uint64_t probe_counter;
static uint64_t rng = 0x9E3779B97F4A7C15ULL;


static void field(const char *name, uint64_t value)
{
    uart_putc(' ');
    uart_puts(name);
    uart_putc('=');
    uart_putu(value);
}

static void halt(const char *why)
{
    uart_puts("HART-TLB FAIL ");
    uart_puts(why);
    uart_putc('\n');
    hart_tlb_results.done = 0xBAD;
    for(;;)
    {
        __asm__ volatile("wfi");
    }
}

/* Borrows bytes from the frame pool, physically contiguous, inside [low, high). */
static uint64_t borrow(uint64_t bytes, uint64_t low, uint64_t high)
{
    write32(FRAMEPOOL_BASE, 0x18, (uint32_t)bytes);
    write32(FRAMEPOOL_BASE, 0x1C, (uint32_t)(bytes >> 32));
    write32(FRAMEPOOL_BASE, 0x20, (uint32_t)low);
    write32(FRAMEPOOL_BASE, 0x24, (uint32_t)(low >> 32));
    write32(FRAMEPOOL_BASE, 0x28, (uint32_t)high);
    write32(FRAMEPOOL_BASE, 0x2C, (uint32_t)(high >> 32));
    write32(FRAMEPOOL_BASE, 0x40, 1);
    write32(FRAMEPOOL_BASE, 0x50, (uint32_t)(uintptr_t)&pool_result);
    write32(FRAMEPOOL_BASE, 0x54, (uint32_t)((uint64_t)(uintptr_t)&pool_result >> 32));
    write32(FRAMEPOOL_BASE, 0x58, 1);
    write32(FRAMEPOOL_BASE, 0x08, 1);
    while((read32(FRAMEPOOL_BASE, 0x0C) & 3u) == 0)
    {
    }
    if((read32(FRAMEPOOL_BASE, 0x0C) & 2u) != 0)
    {
        halt("frame pool allocation");
    }
    return pool_result.address;
}

static uint64_t pattern(uint32_t page, uint32_t word)
{
    return ((uint64_t)page << 32) ^ ((uint64_t)word * 0x0101010101ULL) ^ 0xA5A5000000000000ULL;
}

static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static volatile uint64_t *word_at(uint32_t page, uint32_t word)
{
    return (volatile uint64_t *)(uintptr_t)(REGION_VA + (uint64_t)page * PAGE_SIZE + word * (PAGE_SIZE / WORDS_PER_PAGE));
}

/* The TLB-miss handler (called from trap_entry). Runs in the unmapped segment and touches only
   the segment: its stack, the page table in pool frames, the TSB, the TLB's registers. */
void hart_tlb_trap(uint64_t mcause, uint64_t mepc, uint64_t *frame)
{
    uint64_t traps = ++hart_tlb_results.handler_traps;
    if(mcause != 12 && mcause != 13 && mcause != 15)
    {
        hart_tlb_results.bad_traps++;
        halt("unexpected trap cause");
    }
    uint64_t va = read32(HART_TLB_BASE, HART_TLB_FAULT_VA_LO) | ((uint64_t)read32(HART_TLB_BASE, HART_TLB_FAULT_VA_HI) << 32);
    uint32_t info = read32(HART_TLB_BASE, HART_TLB_FAULT_INFO);
    if(probe_armed)
    {
        probe_armed = 0;
        hart_tlb_results.mepc_ok = mepc == (uint64_t)(uintptr_t)precision_probe_fault_pc;
        hart_tlb_results.memory_untouched = *(volatile uint64_t *)(uintptr_t)probe_phys == 0x5555;
        hart_tlb_results.rd_untouched = frame[6] == 0x77;
    }
    if(traps == SNAPSHOT_TRAP)
    {
        uart_puts("HART-TLB TRAP ");
        uart_putu(traps);
        uart_putc('\n');
    }
    if(HART_TLB_FAULT_CAUSE(info) != HART_TLB_CAUSE_MISS || va < REGION_VA || va >= REGION_VA + (uint64_t)REGION_PAGES * PAGE_SIZE)
    {
        hart_tlb_results.bad_traps++;
        halt("fault outside the mapped region");
    }
    uint64_t vpn = (va - REGION_VA) / PAGE_SIZE;
    uint64_t directory = page_root[vpn >> 9];
    if((directory & 1u) == 0)
    {
        halt("no leaf table");
    }
    uint64_t pte = ((uint64_t *)(uintptr_t)(directory & ~0xFFFULL))[vpn & 511u];
    if((pte & 1u) == 0)
    {
        halt("no page");
    }
    uint64_t page_va = va & ~0xFFFULL;
    uint64_t page_pa = pte & ~0xFFFULL;
    write32(HART_TLB_BASE, HART_TLB_ENTRY_VA_LO, (uint32_t)page_va);
    write32(HART_TLB_BASE, HART_TLB_ENTRY_VA_HI, (uint32_t)(page_va >> 32));
    write32(HART_TLB_BASE, HART_TLB_ENTRY_PA_LO, (uint32_t)page_pa);
    write32(HART_TLB_BASE, HART_TLB_ENTRY_PA_HI, (uint32_t)(page_pa >> 32));
    write32(HART_TLB_BASE, HART_TLB_ENTRY_ATTR, HART_TLB_ATTR_VALID | HART_TLB_ATTR_READ | HART_TLB_ATTR_WRITE);
    write32(HART_TLB_BASE, HART_TLB_COMMAND, HART_TLB_CMD_WRITE_RANDOM);
    if(tsb_fill)
    {
        uint64_t slot = (page_va >> 12) & ((1u << TSB_LOG2) - 1u);
        tsb[slot * 2] = page_va;
        tsb[slot * 2 + 1] = page_pa | 0x7u;
    }
}

static void random_reads(void)
{
    for(uint32_t i = 0; i < RANDOM_READS; i++)
    {
        uint64_t r = next_random();
        uint32_t page = (uint32_t)(r % REGION_PAGES);
        uint32_t word = (uint32_t)((r >> 20) % WORDS_PER_PAGE);
        uint64_t value = *word_at(page, word);
        hart_tlb_results.checksum += value;
        if(value != pattern(page, word))
        {
            hart_tlb_results.data_errors++;
        }
    }
}

int main(void)
{
    /* Page table (root + 2 leaves) and the TSB in ram_high, data pages in ram_dma32. */
    uint64_t tables = borrow(4 * PAGE_SIZE, 0x100000000ULL, 0x110000000ULL);
    uint64_t data = borrow((uint64_t)REGION_PAGES * PAGE_SIZE, 0x80000000ULL, 0x100000000ULL);
    hart_tlb_results.page_table_phys = tables;
    hart_tlb_results.data_phys = data;
    page_root = (uint64_t *)(uintptr_t)tables;
    tsb = (uint64_t *)(uintptr_t)(tables + 3 * PAGE_SIZE);
    for(uint32_t i = 0; i < 4 * PAGE_SIZE / 8; i++)
    {
        page_root[i] = 0;
    }
    for(uint32_t leaf = 0; leaf < 2; leaf++)
    {
        uint64_t *table = (uint64_t *)(uintptr_t)(tables + (1 + leaf) * PAGE_SIZE);
        page_root[leaf] = (uint64_t)(uintptr_t)table | 1u;
        for(uint32_t i = 0; i < 512; i++)
        {
            table[i] = (data + (uint64_t)(leaf * 512 + i) * PAGE_SIZE) | 1u;
        }
    }

    /* Precision: the first trap is on an amoswap whose page is not in the TLB. */
    uint64_t probe_va = REGION_VA + 5 * PAGE_SIZE + 16;
    probe_phys = data + 5 * PAGE_SIZE + 16;
    *(volatile uint64_t *)(uintptr_t)probe_phys = 0x5555;
    probe_armed = 1;
    uint64_t old = precision_probe(0x1234, probe_va, 0, &probe_counter);
    hart_tlb_results.retried_ok = old == 0x5555 && *(volatile uint64_t *)(uintptr_t)probe_phys == 0x1234;
    hart_tlb_results.earlier_instruction_once = probe_counter == 1;

    /* Phase 1: fill every page. Phase 2: random reads. Phase 3: random reads with the TSB. */
    for(uint32_t page = 0; page < REGION_PAGES; page++)
    {
        for(uint32_t word = 0; word < WORDS_PER_PAGE; word++)
        {
            *word_at(page, word) = pattern(page, word);
        }
    }
    random_reads();
    tsb_fill = 1;
    uint64_t tsb_phys = (uint64_t)(uintptr_t)tsb;
    write32(HART_TLB_BASE, HART_TLB_TSB_BASE_LO, (uint32_t)tsb_phys);
    write32(HART_TLB_BASE, HART_TLB_TSB_BASE_HI, (uint32_t)(tsb_phys >> 32));
    write32(HART_TLB_BASE, HART_TLB_TSB_CONFIG, HART_TLB_TSB_ENABLE | (TSB_LOG2 << HART_TLB_TSB_LOG2_SHIFT));
    random_reads();

    hart_tlb_results.misses = read32(HART_TLB_BASE, HART_TLB_MISSES);
    hart_tlb_results.refills = read32(HART_TLB_BASE, HART_TLB_REFILLS);
    hart_tlb_results.tsb_refills = read32(HART_TLB_BASE, HART_TLB_TSB_REFILLS);
    hart_tlb_results.traps = read32(HART_TLB_BASE, HART_TLB_TRAPS);
    hart_tlb_results.nested_faults = read32(HART_TLB_BASE, HART_TLB_NESTED_FAULTS);
    hart_tlb_results.protection_faults = read32(HART_TLB_BASE, HART_TLB_PROTECTION_FAULTS);
    hart_tlb_results.done = 0x600D;
    uart_puts("HART-TLB DONE");
    field("errors", hart_tlb_results.data_errors);
    field("misses", hart_tlb_results.misses);
    field("refills", hart_tlb_results.refills);
    field("tsb", hart_tlb_results.tsb_refills);
    field("traps", hart_tlb_results.traps);
    field("handler", hart_tlb_results.handler_traps);
    field("nested", hart_tlb_results.nested_faults);
    field("checksum", hart_tlb_results.checksum);
    uart_putc('\n');
    return 0;
}
