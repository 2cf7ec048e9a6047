/* Miss-cost benchmark firmware (bench/renode/hart-tlb): the same random reads over 1024 pages
   under the hart TLB with trapping refills (mode 0), under the hart TLB with every page in the TSB
   (mode 1), and under Renode's own Sv39 MMU with no hart TLB (mode 2). A warm-up pass first
   (Renode's first seconds include JIT work), then the timed passes. The script writes the mode
   to bench_mode before starting the hart. Each phase prints "BENCH <phase> cycles=<mcycle delta>
   misses=<n>"; the script timestamps the lines on the host. */
#include <stdint.h>
#include "hart_tlb.h"
#include "hart_io.h"

#define HART_TLB_BASE 0x10006000UL
#define REGION_VA 0x2000000000ULL
#define REGION_PAGES 1024u
#define PAGE_SIZE 4096u
#define READS 200000u
#define RESIDENT_PAGES 8u

__attribute__((section(".results"))) volatile uint64_t bench_mode;

/* Data pages, tables and TSB: fixed physical areas (the benchmark does not use the pool). */
#define DATA_PHYS 0x80000000ULL
#define TABLES_PHYS 0x80400000ULL
#define TSB_PHYS 0x80800000ULL

static uint64_t rng;
static uint64_t traps;


static inline uint64_t cycles(void)
{
    uint64_t value;
    __asm__ volatile("rdcycle %0" : "=r"(value));
    return value;
}

static uint64_t next_random(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

static uint64_t leaf_table(uint32_t page)
{
    return TABLES_PHYS + (1 + page / 512) * PAGE_SIZE;
}

/* The TLB-miss handler: the page table here is a flat array of physical pages (the suite's
   firmware walks a two-level one); it refills with a random write. */
void hart_tlb_trap(uint64_t mcause, uint64_t mepc, uint64_t *frame)
{
    (void)mcause;
    (void)mepc;
    (void)frame;
    traps++;
    uint64_t va = read32(HART_TLB_BASE, HART_TLB_FAULT_VA_LO) | ((uint64_t)read32(HART_TLB_BASE, HART_TLB_FAULT_VA_HI) << 32);
    uint64_t page = (va - REGION_VA) / PAGE_SIZE;
    uint64_t pa = ((volatile uint64_t *)(uintptr_t)leaf_table((uint32_t)page))[page % 512] & ~0x3FFULL;
    pa <<= 2;
    uint64_t page_va = va & ~0xFFFULL;
    write32(HART_TLB_BASE, HART_TLB_ENTRY_VA_LO, (uint32_t)page_va);
    write32(HART_TLB_BASE, HART_TLB_ENTRY_VA_HI, (uint32_t)(page_va >> 32));
    write32(HART_TLB_BASE, HART_TLB_ENTRY_PA_LO, (uint32_t)pa);
    write32(HART_TLB_BASE, HART_TLB_ENTRY_PA_HI, (uint32_t)(pa >> 32));
    write32(HART_TLB_BASE, HART_TLB_ENTRY_ATTR, HART_TLB_ATTR_VALID | HART_TLB_ATTR_READ | HART_TLB_ATTR_WRITE);
    write32(HART_TLB_BASE, HART_TLB_COMMAND, HART_TLB_CMD_WRITE_RANDOM);
}

static uint64_t reads(uint32_t pages)
{
    uint64_t sum = 0;
    rng = 0x9E3779B97F4A7C15ULL;
    for(uint32_t i = 0; i < READS; i++)
    {
        uint64_t r = next_random();
        uint32_t page = (uint32_t)(r % pages);
        sum += *(volatile uint64_t *)(uintptr_t)(REGION_VA + (uint64_t)page * PAGE_SIZE + ((r >> 20) & 0xFF8u));
    }
    return sum;
}

static void phase(const char *name, uint32_t pages)
{
    uint64_t misses_before = bench_mode == 2 ? 0 : read32(HART_TLB_BASE, HART_TLB_MISSES);
    uint64_t start = cycles();
    uint64_t sum = reads(pages);
    uint64_t spent = cycles() - start;
    uint64_t misses = bench_mode == 2 ? 0 : read32(HART_TLB_BASE, HART_TLB_MISSES) - misses_before;
    uart_puts("BENCH ");
    uart_puts(name);
    uart_puts(" cycles=");
    uart_putu(spent);
    uart_puts(" misses=");
    uart_putu(misses);
    uart_puts(" sum=");
    uart_putu(sum & 0xFFFF);
    uart_putc('\n');
}

static void workload(void)
{
    phase("warmup", RESIDENT_PAGES);
    uart_puts("BENCH begin\n");
    phase("resident", RESIDENT_PAGES);
    phase("random", REGION_PAGES);
    uart_puts("BENCH END\n");
    for(;;)
    {
        __asm__ volatile("wfi");
    }
}

int main(void)
{
    /* Sv39-style tables serve both: the hart-TLB handler reads the leaf PTEs too. Root at
       TABLES_PHYS: gigapages 0-2 identity (devices, firmware, the data's gigabyte), entry 128
       (REGION_VA) -> level-1 table -> two leaf tables. */
    volatile uint64_t *root = (volatile uint64_t *)(uintptr_t)TABLES_PHYS;
    volatile uint64_t *level1 = (volatile uint64_t *)(uintptr_t)(TABLES_PHYS + 3 * PAGE_SIZE);
    for(uint32_t i = 0; i < 512; i++)
    {
        root[i] = 0;
        level1[i] = 0;
    }
    for(uint64_t g = 0; g < 3; g++)
    {
        root[g] = ((g << 30) >> 2) | 0xCFu; /* V R W X A D */
    }
    root[REGION_VA >> 30] = ((uint64_t)(uintptr_t)level1 >> 2) | 1u;
    for(uint32_t t = 0; t < 2; t++)
    {
        level1[t] = (leaf_table(t * 512) >> 2) | 1u;
        volatile uint64_t *leaf = (volatile uint64_t *)(uintptr_t)leaf_table(t * 512);
        for(uint32_t i = 0; i < 512; i++)
        {
            leaf[i] = ((DATA_PHYS + (uint64_t)(t * 512 + i) * PAGE_SIZE) >> 2) | 0xC7u; /* V R W A D */
        }
    }
    if(bench_mode == 1)
    {
        volatile uint64_t *tsb = (volatile uint64_t *)(uintptr_t)TSB_PHYS;
        for(uint32_t page = 0; page < REGION_PAGES; page++)
        {
            tsb[page * 2] = REGION_VA + (uint64_t)page * PAGE_SIZE;
            tsb[page * 2 + 1] = (DATA_PHYS + (uint64_t)page * PAGE_SIZE) | 0x7u;
        }
        write32(HART_TLB_BASE, HART_TLB_TSB_BASE_LO, (uint32_t)TSB_PHYS);
        write32(HART_TLB_BASE, HART_TLB_TSB_BASE_HI, (uint32_t)(TSB_PHYS >> 32));
        write32(HART_TLB_BASE, HART_TLB_TSB_CONFIG, HART_TLB_TSB_ENABLE | (10u << HART_TLB_TSB_LOG2_SHIFT));
    }
    if(bench_mode == 2)
    {
        /* Sv39 in S mode: satp, counters readable, then mret into the workload. */
        uint64_t satp = (8ULL << 60) | (TABLES_PHYS >> 12);
        __asm__ volatile("csrw satp, %0; sfence.vma" : : "r"(satp) : "memory");
        __asm__ volatile("csrw mcounteren, %0" : : "r"(7ULL));
        uint64_t mstatus;
        __asm__ volatile("csrr %0, mstatus" : "=r"(mstatus));
        mstatus = (mstatus & ~(3ULL << 11)) | (1ULL << 11);
        __asm__ volatile("csrw mstatus, %0; csrw mepc, %1; mret" : : "r"(mstatus), "r"((uint64_t)(uintptr_t)workload) : "memory");
    }
    workload();
    return 0;
}
