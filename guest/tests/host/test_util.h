/*
 * test_util.h - helpers shared by the host tests.
 */
#ifndef TEST_UTIL_H
#define TEST_UTIL_H

#include <string.h>

#include "fake_machine.h"
#include "harness.h"

#define LOW_END   0xFFFFFull          /* the scaled-down board: low [0, 1 MiB) */
#define DMA32_BASE 0x80000000ull      /* dma32 [2 GiB, +2 MiB) */
#define HIGH_BASE 0x100000000ull      /* high [4 GiB, +2 MiB) */
#define FOUR_GIB_LAST 0xFFFFFFFFull
#define ALL_LAST (~0ull)

static inline struct bus_dma_tag_limits window(bus_addr_t low, bus_addr_t high)
{
    struct bus_dma_tag_limits l;
    memset(&l, 0, sizeof(l));
    l.dt_low = low;
    l.dt_high = high;
    l.dt_alignment = 1;
    l.dt_nsegments = 64;
    return l;
}

static inline bus_addr_t phys_of(struct fake_machine *fm, const void *kva)
{
    bus_addr_t pa = 0;
    fm->bm.bm_kva_to_phys(kva, &pa);
    return pa;
}

/* Everything went back: bounce zones, frames, kernel memory. */
static inline int nothing_held(struct fake_machine *fm)
{
    return busdma_machine_fini(&fm->bm) == 0 && fm->frames_in_use == 0 && fm->kmem_outstanding == 0;
}

#endif
