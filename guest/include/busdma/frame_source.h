/*
 * frame_source.h - where libbusdma gets physical page frames.
 *
 * The library never owns memory itself: bounce pages, I/O page tables and bus_dmamem_alloc
 * memory are borrowed from a frame source and given back to it. On the framealloc-riscv64 board
 * the frame-pool device is one (drivers/framepool.h); a port to a real kernel implements the two
 * operations over its page allocator (NetBSD: uvm_pglistalloc/uvm_pglistfree).
 */
#ifndef BUSDMA_FRAME_SOURCE_H
#define BUSDMA_FRAME_SOURCE_H

#include <stdint.h>

typedef uint64_t bus_addr_t;
typedef uint64_t bus_size_t;

/* One physically contiguous stretch of bus address space. */
typedef struct bus_dma_segment {
    bus_addr_t ds_addr;
    bus_size_t ds_len;
} bus_dma_segment_t;

/* What a frame allocation must satisfy (uvm_pglistalloc's constraints). */
struct frame_constraints {
    bus_addr_t fc_low;        /* lowest byte any frame may occupy */
    bus_addr_t fc_high;       /* highest byte any frame may occupy (inclusive) */
    bus_size_t fc_alignment;  /* first segment starts at a multiple; power of two; 0 = a page */
    bus_size_t fc_boundary;   /* no segment crosses a multiple; power of two, >= a page; 0 = none */
    bus_size_t fc_maxsegsz;   /* longest segment; 0 = no limit */
    int fc_nsegs;             /* most segments (1 = physically contiguous) */
};

struct frame_source_ops {
    /*
     * Borrows size bytes (rounded up to whole pages) of unmapped frames satisfying c, as at
     * most c->fc_nsegs segments written to segs in ascending address order; *rsegs = how many.
     * Returns 0, EINVAL (the request itself is malformed) or ENOMEM (no frames satisfy it).
     * On failure nothing is borrowed.
     */
    int (*fs_alloc)(void *cookie, bus_size_t size, const struct frame_constraints *c,
                    bus_dma_segment_t *segs, int *rsegs);
    /*
     * Returns exactly the segments one fs_alloc handed out (in any order). 0 or EINVAL (not
     * borrowed, or only part of an allocation); on EINVAL nothing is returned.
     */
    int (*fs_free)(void *cookie, const bus_dma_segment_t *segs, int nsegs);
};

struct frame_source {
    const struct frame_source_ops *fs_ops;
    void *fs_cookie;
    bus_size_t fs_page_size;  /* power of two; every segment is a multiple of it */
};

#endif
