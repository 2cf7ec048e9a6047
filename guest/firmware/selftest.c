/*
 * selftest.c - the self-test firmware for the framealloc-riscv64 board: libbusdma and the
 * drivers of the frame pool, the DMA engines and the TLB, under real interrupts (PLIC, trap
 * handler) and virtual time. One line per test on the UART ("PASS name -- detail (t ms)" or
 * "FAIL name: why (t ms)", t the test's virtual time), then "N passed, N failed".
 * robot-tests/firmware.robot checks them.
 */
#include "selftest.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "../drivers/kern.h"

struct engine dma24 = { .name = "dma24" }, dma32 = { .name = "dma32" };
struct swtlb tlb;
struct swtlb_domain dma32_domain;
bus_dma_tag_t iommu_tag;
char test_detail[160];

static int passed, failed;
static char reason[200];
static struct framepool_stats baseline[3];
static uint64_t started;

int fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    return -1;
}

/* "(12.345 ms)": virtual time since `since`, by the CLINT. */
static void print_elapsed(uint64_t since)
{
    uint64_t ticks = kern_now() - since;
    printf(" (%lu.%03lu ms)\n", (unsigned long)(ticks / (CLINT_HZ / 1000)),
           (unsigned long)(ticks % (CLINT_HZ / 1000) / (CLINT_HZ / 1000000)));
}

static int report(const char *name, int result, uint64_t since)
{
    if (result == 0) {
        passed++;
        printf("PASS %s", name);
        if (test_detail[0] != '\0')
            printf(" -- %s", test_detail);
    } else {
        failed++;
        printf("FAIL %s: %s", name, reason);
    }
    print_elapsed(since);
    return result;
}

int run_test(const char *name, int (*test)(void))
{
    reason[0] = '\0';
    test_detail[0] = '\0';
    uint64_t since = kern_now();
    return report(name, test(), since);
}

void run_test_arg(const char *name, int (*test)(int), int arg)
{
    reason[0] = '\0';
    test_detail[0] = '\0';
    uint64_t since = kern_now();
    report(name, test(arg), since);
}

static void summary(void)
{
    printf("selftest: %lu external and %lu timer interrupts, virtual time by the CLINT",
           (unsigned long)board_external_interrupts(), (unsigned long)board_timer_interrupts());
    print_elapsed(started);
    printf("%d passed, %d failed\n", passed, failed);
}

static void fatal_summary(void)
{
    failed++;
    summary();
}

/* ---- buffers and patterns ---- */

void *borrow_buffer(bus_size_t size, bus_addr_t low, bus_addr_t high)
{
    struct frame_constraints c = { low, high, 0, 0, 0, 1 };
    bus_dma_segment_t seg;
    int n;
    if (framepool_borrow(&board_framepool, size, &c, 0, &seg, &n) != 0)
        return NULL;
    return (void *)(uintptr_t)seg.ds_addr;
}

void return_buffer(void *buf, bus_size_t size)
{
    bus_dma_segment_t seg = { (uintptr_t)buf, (size + 0xFFF) & ~(bus_size_t)0xFFF };
    if (framepool_return(&board_framepool, &seg, 1) != 0)
        printf("selftest: returning %p (%lu bytes) failed: frame pool error %u\n", buf,
               (unsigned long)size, (unsigned)framepool_error(&board_framepool));
}

static uint8_t pattern_byte(uint32_t seed, size_t i)
{
    uint32_t x = seed ^ (uint32_t)i * 0x9E3779B1u;
    x ^= x >> 15;
    return (uint8_t)(x ^ (x >> 7));
}

void pattern_fill(void *buf, size_t len, uint32_t seed)
{
    uint8_t *p = buf;
    for (size_t i = 0; i < len; i++)
        p[i] = pattern_byte(seed, i);
}

long pattern_mismatch(const void *buf, size_t len, uint32_t seed)
{
    const uint8_t *p = buf;
    for (size_t i = 0; i < len; i++)
        if (p[i] != pattern_byte(seed, i))
            return (long)i;
    return -1;
}

/* ---- engines ---- */

int engine_run_ring(struct engine *e, int ndesc)
{
    int error = bus_dmamap_sync(e->tag, e->ring_map, 0, (bus_size_t)ndesc * sizeof(struct sgdma_desc),
                                BUS_DMASYNC_PREWRITE);
    if (error == 0)
        error = sgdma_start(e->ch, e->ring_map->dm_segs[0].ds_addr);
    if (error == 0)
        error = sgdma_wait(e->ch, kern_ticks_per_second());
    bus_dmamap_sync(e->tag, e->ring_map, 0, (bus_size_t)ndesc * sizeof(struct sgdma_desc),
                    BUS_DMASYNC_POSTWRITE);
    return error;
}

static void note_segments(struct copy_report *r, bus_dmamap_t map)
{
    for (int i = 0; i < map->dm_nsegs; i++) {
        bus_addr_t last = map->dm_segs[i].ds_addr + map->dm_segs[i].ds_len - 1;
        if (last > r->highest_bus)
            r->highest_bus = last;
    }
}

int engine_copy(struct engine *e, bus_dma_tag_t tag, void *dst, const void *src, bus_size_t len,
                struct copy_report *r)
{
    bus_dmamap_t sm = NULL, dm = NULL;
    memset(r, 0, sizeof(*r));
    int error = bus_dmamap_create(tag, len, 0, 0, 0, BUS_DMA_NOWAIT, &sm);
    if (error == 0)
        error = bus_dmamap_create(tag, len, 0, 0, 0, BUS_DMA_NOWAIT, &dm);
    int src_loaded = 0, dst_loaded = 0;
    if (error == 0)
        error = bus_dmamap_load(tag, sm, (void *)(uintptr_t)src, len, NULL, BUS_DMA_NOWAIT | BUS_DMA_WRITE);
    src_loaded = error == 0;
    if (error == 0)
        error = bus_dmamap_load(tag, dm, dst, len, NULL, BUS_DMA_NOWAIT | BUS_DMA_READ);
    dst_loaded = src_loaded && error == 0;
    if (error == 0) {
        r->src_bounced = bus_dmamap_is_bounced(sm);
        r->dst_bounced = bus_dmamap_is_bounced(dm);
        r->translated = bus_dmamap_is_translated(sm);
        r->src_nsegs = sm->dm_nsegs;
        r->dst_nsegs = dm->dm_nsegs;
        note_segments(r, sm);
        note_segments(r, dm);
        error = sgdma_chain_copy(e->ring, e->ring_map->dm_segs[0].ds_addr,
                                 (int)(RING_BYTES / sizeof(struct sgdma_desc)), sm, dm, len, &r->ndesc);
    }
    if (error == 0)
        error = bus_dmamap_sync(tag, sm, 0, len, BUS_DMASYNC_PREWRITE);
    if (error == 0)
        error = bus_dmamap_sync(tag, dm, 0, len, BUS_DMASYNC_PREREAD);
    if (error == 0) {
        error = engine_run_ring(e, r->ndesc);
        if (error == EIO)
            r->cause = e->ch->ch_cause;
        bus_dmamap_sync(tag, sm, 0, len, BUS_DMASYNC_POSTWRITE);
        bus_dmamap_sync(tag, dm, 0, len, BUS_DMASYNC_POSTREAD);
    }
    if (dst_loaded)
        bus_dmamap_unload(tag, dm);
    if (src_loaded)
        bus_dmamap_unload(tag, sm);
    if (dm != NULL)
        bus_dmamap_destroy(tag, dm);
    if (sm != NULL)
        bus_dmamap_destroy(tag, sm);
    return error;
}

/* ---- setup ---- */

static int attach_engine(struct engine *e, uintptr_t base, unsigned irq)
{
    int error = sgdma_attach(&e->sc, base);
    EXPECT(error == 0, "%s: no engine at 0x%lx (%d)", e->name, (unsigned long)base, error);
    e->ch = &e->sc.sc_chan[0];
    error = board_irq_establish(irq, sgdma_intr, e->ch);
    EXPECT(error == 0, "%s: interrupt %u: %d", e->name, irq, error);
    /* The engine says what it reaches: the tag is its window. */
    struct bus_dma_tag_limits l;
    memset(&l, 0, sizeof(l));
    l.dt_low = e->sc.sc_window_low;
    l.dt_high = e->sc.sc_window_high;
    l.dt_alignment = 1;
    l.dt_nsegments = 64;
    l.dt_maxsegsz = 0xFFFFF000;   /* a descriptor's LENGTH is 32 bits */
    l.dt_flags = BUS_DMA_COHERENT;
    error = bus_dma_tag_create(&board_busdma, &l, &e->tag);
    EXPECT(error == 0, "%s: tag: %d", e->name, error);
    /* The descriptor ring: DMA memory the engine fetches at physical addresses. */
    int rsegs;
    error = bus_dmamem_alloc(e->tag, RING_BYTES, 8, 0, &e->ring_seg, 1, &rsegs, BUS_DMA_NOWAIT);
    EXPECT(error == 0, "%s: ring memory: %d", e->name, error);
    void *kva;
    error = bus_dmamem_map(e->tag, &e->ring_seg, 1, RING_BYTES, &kva, BUS_DMA_COHERENT);
    EXPECT(error == 0, "%s: ring map: %d", e->name, error);
    e->ring = kva;
    error = bus_dmamap_create(e->tag, RING_BYTES, 1, 0, 0, BUS_DMA_NOWAIT, &e->ring_map);
    if (error == 0)
        error = bus_dmamap_load_raw(e->tag, e->ring_map, &e->ring_seg, 1, RING_BYTES, BUS_DMA_NOWAIT);
    EXPECT(error == 0, "%s: ring load: %d", e->name, error);
    return 0;
}

static int setup(void)
{
    if (attach_engine(&dma24, DMA24_BASE, IRQ_DMA24_CH0) != 0
        || attach_engine(&dma32, DMA32_BASE, IRQ_DMA32_CH0) != 0)
        return -1;
    EXPECT(dma24.sc.sc_window_high == 0xFFFFFF, "dma24 window ends at 0x%lx",
           (unsigned long)dma24.sc.sc_window_high);
    EXPECT(dma32.sc.sc_window_high == 0xFFFFFFFF, "dma32 window ends at 0x%lx",
           (unsigned long)dma32.sc.sc_window_high);
    int error = swtlb_attach(&tlb, IOTLB_BASE, &board_busdma);
    EXPECT(error == 0, "no TLB at 0x%x: %d", IOTLB_BASE, error);
    error = board_irq_establish(IRQ_IOTLB, swtlb_intr, &tlb);
    EXPECT(error == 0, "TLB interrupt: %d", error);
    error = swtlb_domain_create(&tlb, DMA32_INITIATOR, IOVA_BASE, IOVA_SIZE, &dma32_domain);
    EXPECT(error == 0, "dma32's IOMMU domain: %d", error);
    struct bus_dma_tag_limits l = *bus_dma_tag_limits(dma32.tag);
    l.dt_low = IOVA_BASE;
    l.dt_high = IOVA_BASE + IOVA_SIZE - 1;
    l.dt_iommu = dma32_domain.d_iommu;
    error = bus_dma_tag_create(&board_busdma, &l, &iommu_tag);
    EXPECT(error == 0, "dma32's IOMMU tag: %d", error);
    bus_addr_t table;
    busdma_iommu_info(dma32_domain.d_iommu, NULL, NULL, &table, NULL);
    snprintf(test_detail, sizeof(test_detail), "rings at 0x%lx and 0x%lx, I/O page table at 0x%lx",
             (unsigned long)dma24.ring_seg.ds_addr, (unsigned long)dma32.ring_seg.ds_addr,
             (unsigned long)table);
    for (unsigned i = 0; i < 3; i++)
        framepool_stats(&board_framepool, i, &baseline[i]);
    return 0;
}

/* Everything the tests borrowed went back: bounce pages, buffers, TSB; the pool's free counts
 * are those right after setup. */
static int nothing_leaked(void)
{
    swtlb_tsb_disable(&tlb);
    int trimmed = busdma_machine_trim(&board_busdma);
    int held, in_use;
    busdma_machine_bounce_pages(&board_busdma, &held, &in_use);
    EXPECT(held == 0 && in_use == 0, "%d bounce pages held, %d in use", held, in_use);
    bus_size_t mapped;
    busdma_iommu_info(dma32_domain.d_iommu, NULL, NULL, NULL, &mapped);
    EXPECT(mapped == 0, "%lu I/O pages still mapped", (unsigned long)mapped);
    for (unsigned i = 0; i < 3; i++) {
        struct framepool_stats now;
        framepool_stats(&board_framepool, i, &now);
        EXPECT(now.free == baseline[i].free, "range %u: %lu free frames, %lu after setup", i,
               (unsigned long)now.free, (unsigned long)baseline[i].free);
    }
    snprintf(test_detail, sizeof(test_detail), "%d bounce pages trimmed", trimmed);
    return 0;
}

int main(void)
{
    started = kern_now();
    printf("selftest: libbusdma on framealloc-riscv64\n");
    board_fatal_hook = fatal_summary;
    if (board_init() != 0) {
        failed++;
        summary();
        return 1;
    }
    if (run_test("setup: engines, TLB domain, tags and descriptor rings", setup) != 0) {
        summary();
        return 1;
    }
    framepool_tests();
    dma_tests();
    exhaustion_tests();
    soak_test();
    run_test("no frames leaked", nothing_leaked);
    summary();
    return 0;
}
