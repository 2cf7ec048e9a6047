/*
 * selftest.h - the self-test firmware's shared fixture: the engines, the TLB and the tags it
 * drives, and the runner that prints one line per test.
 */
#ifndef SELFTEST_H
#define SELFTEST_H

#include <busdma/bus_dma.h>
#include <stdint.h>
#include <stdio.h>

#include "../board/board.h"
#include "../drivers/framepool.h"
#include "../drivers/sgdma.h"
#include "../drivers/swtlb.h"

/* dma32's I/O virtual space behind the TLB: inside its 32-bit window, where the bus has no RAM. */
#define IOVA_BASE 0x40000000ull
#define IOVA_SIZE 0x4000000ull   /* 64 MiB */

#define RING_BYTES 0x1000u

/* One engine, channel 0, its descriptor ring (DMA memory it reaches untranslated). */
struct engine {
    const char *name;
    struct sgdma sc;
    struct sgdma_channel *ch;
    bus_dma_tag_t tag;           /* what it reaches without the TLB */
    bus_dma_segment_t ring_seg;
    struct sgdma_desc *ring;
    bus_dmamap_t ring_map;
};

extern struct engine dma24, dma32;
extern struct swtlb tlb;
extern struct swtlb_domain dma32_domain;
extern bus_dma_tag_t iommu_tag;  /* dma32 through the TLB, window [IOVA_BASE, +IOVA_SIZE) */

/* What one engine_copy did. */
struct copy_report {
    int src_bounced, dst_bounced, translated;
    int ndesc;
    int src_nsegs, dst_nsegs;
    bus_addr_t highest_bus;      /* highest bus address a segment used */
    uint32_t cause;              /* ERROR_CAUSE when the engine stopped on an error */
};

/* Copies len bytes from src to dst (CPU pointers, anywhere in RAM) with engine e through
 * maps of tag: create, load, chain, sync, start, wait for the interrupt, sync, unload,
 * destroy. 0 or the first errno (EIO: the engine stopped with r->cause). */
int engine_copy(struct engine *e, bus_dma_tag_t tag, void *dst, const void *src, bus_size_t len,
                struct copy_report *r);

/* Runs the chain already written in e's ring and waits. 0, EIO (cause in e->ch), ETIMEDOUT. */
int engine_run_ring(struct engine *e, int ndesc);

/* Borrows contiguous frames in [low, high] for a test buffer; NULL on failure. */
void *borrow_buffer(bus_size_t size, bus_addr_t low, bus_addr_t high);
void return_buffer(void *buf, bus_size_t size);

/* Deterministic patterns, and the first differing offset (or -1). */
void pattern_fill(void *buf, size_t len, uint32_t seed);
long pattern_mismatch(const void *buf, size_t len, uint32_t seed);

/* The runner: a test returns 0, or sets the reason with fail() and returns -1. */
int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int run_test(const char *name, int (*test)(void));
/* A test whose name is made at run time (frame-pool errors). */
void run_test_arg(const char *name, int (*test)(int), int arg);
/* Extra words after the name on the PASS line (" -- " detail), set by the test. */
extern char test_detail[160];

#define EXPECT(cond, ...) do { if (!(cond)) return fail(__VA_ARGS__); } while (0)

/* The test groups. */
void framepool_tests(void);
void dma_tests(void);
void exhaustion_tests(void);
void soak_test(void);

#endif
