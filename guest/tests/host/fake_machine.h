/*
 * fake_machine.h - a host-side machine for libbusdma's tests: physical memory as host arrays,
 * a frame source over some of it (lowest address first, exact-free checking, failure
 * injection), kernel memory with failure injection and leak accounting, a cache model's call
 * log, and a device that copies through loaded maps the way a scatter-gather engine does.
 */
#ifndef FAKE_MACHINE_H
#define FAKE_MACHINE_H

#include <stddef.h>
#include <stdint.h>

#include <busdma/bus_dma.h>

#define FAKE_PAGE 4096u
#define FAKE_MAX_REGIONS 8
#define FAKE_MAX_ALLOCS 4096
#define FAKE_MAX_CACHE_LOG 64

struct fake_region_spec {
    bus_addr_t base;
    bus_size_t size;
    int pooled;   /* the frame source hands out its pages */
};

struct fake_alloc {
    int nsegs;
    bus_dma_segment_t segs[64];
};

struct fake_cache_call {
    char op;      /* 'w' writeback, 'i' invalidate, 'b' both */
    bus_addr_t pa;
    size_t len;
};

struct fake_machine {
    struct busdma_machine bm;
    struct frame_source fs;
    int nregions;
    struct {
        bus_addr_t base;
        bus_size_t size;
        int pooled;
        uint8_t *mem;
        uint8_t *used;   /* per page: borrowed from the frame source */
    } regions[FAKE_MAX_REGIONS];
    struct fake_alloc *allocs[FAKE_MAX_ALLOCS];
    int frames_in_use;        /* pages borrowed now */
    int frame_allocs;         /* successful fs_alloc calls */
    int frame_fail_after;     /* fs_alloc calls that succeed before every later one fails; -1 never */
    long kmem_outstanding;    /* bytes of kernel memory not yet freed */
    int kmem_fail_after;      /* as frame_fail_after, for kernel memory */
    int barriers;
    int ncache;
    struct fake_cache_call cache[FAKE_MAX_CACHE_LOG];
};

/* The board's three ranges, scaled down: low [0, 1 MiB), dma32 [2 GiB, +2 MiB),
 * high [4 GiB, +2 MiB), all handed out by the frame source. */
struct fake_machine *fake_machine_board(void);
/* Any layout; non_coherent installs cache hooks that log their calls. */
struct fake_machine *fake_machine_new(const struct fake_region_spec *specs, int n, int non_coherent);
void fake_machine_free(struct fake_machine *fm);

/* CPU pointer of physical address pa (NULL when not RAM). */
void *fake_kva(struct fake_machine *fm, bus_addr_t pa);
/* Borrows contiguous frames in [low, high] for a test buffer; returns its CPU pointer, or NULL. */
void *fake_borrow(struct fake_machine *fm, bus_size_t size, bus_addr_t low, bus_addr_t high);
/* Returns what fake_borrow gave. 0 or EINVAL. */
int fake_return(struct fake_machine *fm, void *kva, bus_size_t size);

/* The device: copies the source map's bytes into the destination map's, reading and writing
 * only at the maps' segment addresses (translated through the tag's IOMMU when it has one) and
 * checking every access lies inside its tag's window and the rights. 0 or EIO. */
int fake_device_copy(struct fake_machine *fm, bus_dmamap_t src, bus_dmamap_t dst, bus_size_t len);
/* The device writes pattern bytes into the first len bytes of a map. 0 or EIO. */
int fake_device_fill(struct fake_machine *fm, bus_dmamap_t dst, bus_size_t len, uint8_t seed);

/* Deterministic byte patterns. */
void fake_pattern(void *buf, size_t len, uint32_t seed);
int fake_pattern_check(const void *buf, size_t len, uint32_t seed);

/* xorshift64* */
uint64_t fake_random(uint64_t *state);

#endif
