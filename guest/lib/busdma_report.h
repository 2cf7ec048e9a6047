/*
 * busdma_report.h - libbusdma's reports to the emulator's DMA checker (docs/dma-checker.md).
 *
 * Compiled out unless the library is built with -DBUSDMA_DEBUG_REPORT=<address of the checker's
 * register block> (0x10005000 on framealloc-riscv64): then every successful load, sync and unload
 * is written to the block, so the checker knows what each map covers, for which direction, and
 * when the CPU handed it over; and every frame a bounce zone borrows from or gives back to the
 * frame source. Without the switch these are empty inline functions.
 */
#ifndef BUSDMA_REPORT_H
#define BUSDMA_REPORT_H

#include "busdma_private.h"

#ifdef BUSDMA_DEBUG_REPORT

#define BUSDMA_REPORT_REG(off) (*(volatile uint32_t *)(uintptr_t)((uintptr_t)(BUSDMA_DEBUG_REPORT) + (off)))

enum {
    BR_COMMAND = 0x0C, BR_MAP = 0x10, BR_DIRECTION = 0x18, BR_SYNC_OPS = 0x1C, BR_OFFSET = 0x20,
    BR_LENGTH = 0x28, BR_CPU_ADDRESS = 0x30, BR_BUS_ADDRESS = 0x38, BR_MAX_SEGSIZE = 0x40,
    BR_BOUNDARY = 0x48
};
enum {
    BR_ADD_SEGMENT = 1, BR_LOAD = 2, BR_SYNC = 3, BR_UNLOAD = 4, BR_CHECK_LEAKS = 5,
    BR_BOUNCE_BORROWED = 7, BR_BOUNCE_RETURNED = 8
};

static inline void busdma_report_quad(unsigned offset, uint64_t value)
{
    BUSDMA_REPORT_REG(offset) = (uint32_t)value;
    BUSDMA_REPORT_REG(offset + 4) = (uint32_t)(value >> 32);
}

/* A map just loaded with flags. Pieces as the device reaches them: an IOMMU map's pieces are
 * reported at their physical addresses, which is what the checker sees after translation. */
static inline void busdma_report_load(bus_dmamap_t map, int flags)
{
    int iommu = map->_dm_tag->t_lim.dt_iommu != NULL;
    for (int i = 0; i < map->_dm_npieces; i++) {
        const struct busdma_piece *p = &map->_dm_pieces[i];
        busdma_report_quad(BR_LENGTH, p->bp_len);
        busdma_report_quad(BR_CPU_ADDRESS, p->bp_cpu);
        busdma_report_quad(BR_BUS_ADDRESS, iommu ? p->bp_cpu : p->bp_bus);
        BUSDMA_REPORT_REG(BR_COMMAND) = BR_ADD_SEGMENT;
    }
    busdma_report_quad(BR_MAP, (uintptr_t)map);
    BUSDMA_REPORT_REG(BR_DIRECTION) = (flags & BUS_DMA_WRITE) != 0 ? 1u : (flags & BUS_DMA_READ) != 0 ? 2u : 0u;
    busdma_report_quad(BR_MAX_SEGSIZE, map->dm_maxsegsz == ~(bus_size_t)0 ? 0 : map->dm_maxsegsz);
    busdma_report_quad(BR_BOUNDARY, map->_dm_boundary);
    BUSDMA_REPORT_REG(BR_COMMAND) = BR_LOAD;
}

static inline void busdma_report_sync(bus_dmamap_t map, bus_addr_t offset, bus_size_t len, int ops)
{
    busdma_report_quad(BR_MAP, (uintptr_t)map);
    busdma_report_quad(BR_OFFSET, offset);
    busdma_report_quad(BR_LENGTH, len);
    BUSDMA_REPORT_REG(BR_SYNC_OPS) = (uint32_t)ops;
    BUSDMA_REPORT_REG(BR_COMMAND) = BR_SYNC;
}

static inline void busdma_report_unload(bus_dmamap_t map)
{
    busdma_report_quad(BR_MAP, (uintptr_t)map);
    BUSDMA_REPORT_REG(BR_COMMAND) = BR_UNLOAD;
}

static inline void busdma_report_leaks(void)
{
    BUSDMA_REPORT_REG(BR_COMMAND) = BR_CHECK_LEAKS;
}

/* Frames a bounce zone just took from the frame source (borrowed), or is giving back: the
 * checker reports those still held when the guest says it is done. */
static inline void busdma_report_bounce(const bus_dma_segment_t *segs, int nsegs, int borrowed)
{
    for (int i = 0; i < nsegs; i++) {
        busdma_report_quad(BR_BUS_ADDRESS, segs[i].ds_addr);
        busdma_report_quad(BR_LENGTH, segs[i].ds_len);
        BUSDMA_REPORT_REG(BR_COMMAND) = borrowed ? BR_BOUNCE_BORROWED : BR_BOUNCE_RETURNED;
    }
}

#else

static inline void busdma_report_load(bus_dmamap_t map, int flags) { (void)map; (void)flags; }
static inline void busdma_report_sync(bus_dmamap_t map, bus_addr_t offset, bus_size_t len, int ops)
{
    (void)map; (void)offset; (void)len; (void)ops;
}
static inline void busdma_report_unload(bus_dmamap_t map) { (void)map; }
static inline void busdma_report_leaks(void) { }
static inline void busdma_report_bounce(const bus_dma_segment_t *segs, int nsegs, int borrowed)
{
    (void)segs; (void)nsegs; (void)borrowed;
}

#endif

#endif
