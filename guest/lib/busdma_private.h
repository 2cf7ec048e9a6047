/*
 * busdma_private.h - libbusdma internals shared by its source files. Not for drivers.
 */
#ifndef BUSDMA_PRIVATE_H
#define BUSDMA_PRIVATE_H

#include <busdma/bus_dma.h>

struct bus_dma_tag {
    struct busdma_machine *t_machine;
    struct bus_dma_tag_limits t_lim;  /* normalised: alignment >= 1 */
    struct bus_dma_tag *t_parent;
    int t_refs;                       /* the creator, maps and derived tags */
    struct busdma_bounce_zone *t_zone;  /* found at the first load that bounces */
};

/* One frame-source allocation a bounce zone holds, kept as returned so it can be freed exactly. */
struct bounce_alloc {
    struct bounce_alloc *ba_next;
    int ba_nsegs;
    int ba_capacity;
    bus_dma_segment_t ba_segs[];
};

/* Bounce pages shared by every tag with the same window and alignment (FreeBSD's bounce zone).
 * Pages are bz_page_size bytes, aligned to it, inside the window. */
struct busdma_bounce_zone {
    struct busdma_bounce_zone *bz_next;
    bus_addr_t bz_low, bz_high;
    bus_size_t bz_alignment;
    bus_size_t bz_page_size;
    int bz_limit;
    int bz_total;
    int bz_nfree;
    bus_addr_t *bz_free;       /* ascending */
    struct bounce_alloc *bz_allocs;  /* newest first */
    int bz_nallocs;
};

struct busdma_iommu {
    struct busdma_machine *io_machine;
    bus_addr_t io_base;
    bus_size_t io_size;
    bus_size_t io_page;
    bus_size_t io_npages;
    volatile uint64_t *io_table;   /* io_npages entries */
    bus_dma_segment_t io_table_seg;
    uint32_t *io_used;             /* one bit per page: I/O virtual space handed out */
    bus_size_t io_mapped;
    const struct busdma_iommu_ops *io_ops;
    void *io_cookie;
};

#define BUSDMA_PTE_VALID 0x1ull

/* Segment builder: splits bus-contiguous stretches at boundaries and the max segment size and
 * coalesces what continues the previous segment; past the limit it only counts. */
struct segment_builder {
    bus_dma_segment_t *sb_segs;
    int sb_max;
    int sb_count;
    bus_size_t sb_maxsegsz;   /* 0 = none */
    bus_size_t sb_boundary;   /* 0 = none */
    bus_addr_t sb_last_addr;
    bus_size_t sb_last_len;
};

void busdma_builder_init(struct segment_builder *b, bus_dma_segment_t *segs, int max,
                         bus_size_t maxsegsz, bus_size_t boundary);
void busdma_builder_add(struct segment_builder *b, bus_addr_t addr, bus_size_t len);

/* Bounce zones (bounce.c). */
int busdma_zone_get(struct busdma_machine *bm, bus_addr_t low, bus_addr_t high,
                    bus_size_t alignment, struct busdma_bounce_zone **zonep);
int busdma_zone_take(struct busdma_machine *bm, struct busdma_bounce_zone *z, int count,
                     bus_addr_t *dest, int *mark);
void busdma_zone_return(struct busdma_bounce_zone *z, const bus_addr_t *pages, int count);
void busdma_zone_shrink_to(struct busdma_machine *bm, struct busdma_bounce_zone *z, int mark);
int busdma_zone_reserve(struct busdma_machine *bm, struct busdma_bounce_zone *z, int pages);
int busdma_zone_trim(struct busdma_machine *bm, struct busdma_bounce_zone *z);

/* IOMMU (iommu.c). */
/* Maps the map's pieces (bp_cpu, bp_len, bp_offset set; total bytes) into I/O virtual space with
 * rights prot: sets their bp_bus and the map's segments. On failure nothing stays mapped. */
int busdma_iommu_load(bus_dmamap_t map, bus_size_t total, int prot);
void busdma_iommu_unload(bus_dmamap_t map);

static inline int busdma_is_pow2(bus_size_t v)
{
    return v != 0 && (v & (v - 1)) == 0;
}

/* A limit where 0 means none, as a number to compare. */
static inline bus_size_t busdma_limit(bus_size_t v)
{
    return v == 0 ? ~(bus_size_t)0 : v;
}

static inline bus_size_t busdma_min(bus_size_t a, bus_size_t b)
{
    return a < b ? a : b;
}

#endif
