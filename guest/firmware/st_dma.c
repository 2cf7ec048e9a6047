/*
 * st_dma.c - bus_dma with the engines: bouncing for the 24-bit engine, direct copies for the
 * 32-bit one, the TLB above 4 GiB (miss interrupts, TSB assist, aborts), engine errors by
 * interrupt, misuse as error codes, and exhaustion with recovery.
 */
#include <errno.h>
#include <string.h>

#include "../drivers/kern.h"
#include "selftest.h"

#define PAGE 0x1000ull
#define LOW_LAST (RAM_LOW_SIZE - 1)
#define DMA32_LAST (RAM_DMA32_BASE + RAM_DMA32_SIZE - 1)
#define HIGH_LAST (RAM_HIGH_BASE + RAM_HIGH_SIZE - 1)

/* A copy of len bytes between two fresh buffers (src in [slow, shigh], dst in [dlow, dhigh]),
 * checked byte for byte, with guard bytes around the destination. */
static int checked_copy(struct engine *e, bus_dma_tag_t tag, bus_size_t len, bus_size_t src_offset,
                        bus_addr_t slow, bus_addr_t shigh, bus_addr_t dlow, bus_addr_t dhigh,
                        uint32_t seed, struct copy_report *r)
{
    bus_size_t size = (len + src_offset + 64 + PAGE - 1) & ~(PAGE - 1);
    uint8_t *src = borrow_buffer(size, slow, shigh);
    uint8_t *dst = borrow_buffer(size, dlow, dhigh);
    EXPECT(src != NULL && dst != NULL, "no buffers (frame pool error %u)",
           (unsigned)framepool_error(&board_framepool));
    pattern_fill(src + src_offset, len, seed);
    memset(dst, 0xA5, size);
    int error = engine_copy(e, tag, dst + 32, src + src_offset, len, r);
    long bad = error == 0 ? pattern_mismatch(dst + 32, len, seed) : -1;
    int guard_ok = 1;
    for (bus_size_t i = 0; i < size; i++)
        if ((i < 32 || i >= 32 + len) && dst[i] != 0xA5)
            guard_ok = 0;
    return_buffer(src, size);
    return_buffer(dst, size);
    EXPECT(error == 0, "%s copy failed: error %d, cause %s", e->name, error,
           sgdma_cause_name(r->cause));
    EXPECT(bad < 0, "byte %ld differs", bad);
    EXPECT(guard_ok, "a byte outside the destination changed");
    return 0;
}

static int dma24_bounces(void)
{
    struct copy_report r;
    uint32_t before = dma24.ch->ch_interrupts;
    /* From ram_dma32 to above 4 GiB: neither end is below 16 MiB. */
    if (checked_copy(&dma24, dma24.tag, 20000, 5, RAM_DMA32_BASE, DMA32_LAST, RAM_HIGH_BASE,
                     HIGH_LAST, 24, &r) != 0)
        return -1;
    EXPECT(r.src_bounced && r.dst_bounced, "bounced: source %d, destination %d", r.src_bounced,
           r.dst_bounced);
    EXPECT(r.highest_bus <= LOW_LAST, "a segment reached 0x%lx", (unsigned long)r.highest_bus);
    EXPECT(dma24.ch->ch_interrupts > before, "no completion interrupt");
    int held, in_use;
    busdma_machine_bounce_pages(&board_busdma, &held, &in_use);
    EXPECT(in_use == 0 && held > 0, "bounce pages: %d held, %d in use after unload", held, in_use);
    snprintf(test_detail, sizeof(test_detail), "20000 bytes, %d descriptors, %d bounce pages kept",
             r.ndesc, held);
    return 0;
}

static int dma32_direct(void)
{
    struct copy_report r;
    if (checked_copy(&dma32, dma32.tag, 50000, 3, RAM_DMA32_BASE, DMA32_LAST, RAM_LOW_BASE,
                     LOW_LAST, 32, &r) != 0)
        return -1;
    EXPECT(!r.src_bounced && !r.dst_bounced && !r.translated, "bounced %d/%d translated %d",
           r.src_bounced, r.dst_bounced, r.translated);
    EXPECT(r.src_nsegs == 1 && r.dst_nsegs == 1 && r.ndesc == 1,
           "%d and %d segments, %d descriptors", r.src_nsegs, r.dst_nsegs, r.ndesc);
    return 0;
}

static int dma32_through_the_tlb(void)
{
    struct copy_report r;
    uint32_t interrupts = tlb.t_interrupts, refills = tlb.t_refills;
    swtlb_reset_counters(&tlb);
    /* Both ends above 4 GiB: only the TLB lets a 32-bit engine reach them. */
    if (checked_copy(&dma32, iommu_tag, 3 * PAGE + 100, 7, RAM_HIGH_BASE, HIGH_LAST,
                     RAM_HIGH_BASE, HIGH_LAST, 4, &r) != 0)
        return -1;
    struct swtlb_counters c;
    swtlb_counters(&tlb, &c);
    EXPECT(r.translated && !r.src_bounced && !r.dst_bounced, "translated %d, bounced %d/%d",
           r.translated, r.src_bounced, r.dst_bounced);
    EXPECT(r.highest_bus < IOVA_BASE + IOVA_SIZE && r.highest_bus >= IOVA_BASE,
           "device address 0x%lx outside the I/O window", (unsigned long)r.highest_bus);
    /* Source and destination span 4 or 5 pages each: one refill per page, from the handler. */
    uint32_t handled = tlb.t_refills - refills;
    EXPECT(handled >= 8 && c.refills == handled && c.misses >= handled,
           "%u refills by the handler, device counts %u refills, %u misses", (unsigned)handled,
           (unsigned)c.refills, (unsigned)c.misses);
    EXPECT(tlb.t_interrupts > interrupts, "no TLB interrupt");
    snprintf(test_detail, sizeof(test_detail), "%u misses refilled in %u interrupts, %u hits",
             (unsigned)handled, (unsigned)(tlb.t_interrupts - interrupts), (unsigned)c.hits);
    return 0;
}

static int tsb_assist(void)
{
    int error = swtlb_tsb_enable(&tlb, 8);
    EXPECT(error == 0, "TSB: %d", error);
    swtlb_reset_counters(&tlb);
    uint32_t interrupts = tlb.t_interrupts;
    struct copy_report r;
    int result = checked_copy(&dma32, iommu_tag, 6 * PAGE, 0, RAM_HIGH_BASE, HIGH_LAST,
                              RAM_HIGH_BASE, HIGH_LAST, 5, &r);
    struct swtlb_counters c;
    swtlb_counters(&tlb, &c);
    swtlb_tsb_disable(&tlb);
    if (result != 0)
        return -1;
    EXPECT(c.tsb_refills >= 12 && c.refills == 0, "TSB refills %u, software refills %u",
           (unsigned)c.tsb_refills, (unsigned)c.refills);
    EXPECT(tlb.t_interrupts == interrupts, "%u TLB interrupts", (unsigned)(tlb.t_interrupts - interrupts));
    snprintf(test_detail, sizeof(test_detail), "%u TSB refills, no interrupt", (unsigned)c.tsb_refills);
    return 0;
}

/* A descriptor of dma32 whose translated source is an I/O page nothing maps. */
static int unmapped_access_aborts(void)
{
    uint8_t *dst = borrow_buffer(PAGE, RAM_DMA32_BASE, DMA32_LAST);
    EXPECT(dst != NULL, "no buffer");
    memset(dst, 0x5A, PAGE);
    uint32_t aborts = tlb.t_aborts;
    struct sgdma_desc *d = &dma32.ring[0];
    d->sd_src = IOVA_BASE + IOVA_SIZE - 2 * PAGE;
    d->sd_dst = (uintptr_t)dst;
    d->sd_len = 256;
    d->sd_control = SGDMA_DESC_END | SGDMA_DESC_IRQ | SGDMA_DESC_TRANSLATE_SRC;
    d->sd_next = 0;
    int error = engine_run_ring(&dma32, 1);
    uint32_t cause = dma32.ch->ch_cause;
    int untouched = 1;
    for (int i = 0; i < (int)PAGE; i++)
        untouched &= dst[i] == 0x5A;
    return_buffer(dst, PAGE);
    EXPECT(error == EIO && cause == SGDMA_CAUSE_TLB_ABORT, "error %d, cause %s", error,
           sgdma_cause_name(cause));
    EXPECT(tlb.t_aborts == aborts + 1, "%u aborts by the handler", (unsigned)(tlb.t_aborts - aborts));
    EXPECT(dma32.ch->ch_fault == d->sd_src, "fault address 0x%lx", (unsigned long)dma32.ch->ch_fault);
    EXPECT(untouched, "the destination changed");
    return 0;
}

/* A buffer loaded for the device to read (BUS_DMA_WRITE) is read once, so its TLB entry is
 * read-only; a chain that writes it takes a permission fault, which the handler aborts. */
static int write_to_read_only_mapping_aborts(void)
{
    uint8_t *ro = borrow_buffer(PAGE, RAM_HIGH_BASE, HIGH_LAST);
    uint8_t *other = borrow_buffer(PAGE, RAM_HIGH_BASE, HIGH_LAST);
    EXPECT(ro != NULL && other != NULL, "no buffers");
    pattern_fill(ro, PAGE, 77);
    memset(other, 0, PAGE);
    bus_dmamap_t rom, om;
    int error = bus_dmamap_create(iommu_tag, PAGE, 0, 0, 0, 0, &rom);
    EXPECT(error == 0, "map: %d", error);
    EXPECT(bus_dmamap_create(iommu_tag, PAGE, 0, 0, 0, 0, &om) == 0, "map");
    EXPECT(bus_dmamap_load(iommu_tag, rom, ro, PAGE, NULL, BUS_DMA_WRITE) == 0, "load ro");
    /* other both ways, so the only right missing below is the write to ro. */
    EXPECT(bus_dmamap_load(iommu_tag, om, other, PAGE, NULL, 0) == 0, "load other");
    int n;
    /* ro -> other: allowed, and leaves a read-only TLB entry for ro's page. */
    EXPECT(sgdma_chain_copy(dma32.ring, dma32.ring_map->dm_segs[0].ds_addr, 4, rom, om, PAGE, &n) == 0,
           "chain");
    bus_dmamap_sync(iommu_tag, rom, 0, PAGE, BUS_DMASYNC_PREWRITE);
    bus_dmamap_sync(iommu_tag, om, 0, PAGE, BUS_DMASYNC_PREREAD);
    error = engine_run_ring(&dma32, n);
    bus_dmamap_sync(iommu_tag, om, 0, PAGE, BUS_DMASYNC_POSTREAD);
    bus_dmamap_sync(iommu_tag, rom, 0, PAGE, BUS_DMASYNC_POSTWRITE);
    EXPECT(error == 0 && pattern_mismatch(other, PAGE, 77) < 0, "the allowed copy failed: %d", error);
    /* other -> ro: the device writes a page it may only read. */
    uint32_t aborts = tlb.t_aborts;
    EXPECT(sgdma_chain_copy(dma32.ring, dma32.ring_map->dm_segs[0].ds_addr, 4, om, rom, PAGE, &n) == 0,
           "chain");
    memset(other, 0xEE, PAGE);
    error = engine_run_ring(&dma32, n);
    uint32_t cause = dma32.ch->ch_cause;
    bus_addr_t fault = dma32.ch->ch_fault, ro_bus = rom->dm_segs[0].ds_addr;
    bus_dmamap_unload(iommu_tag, rom);
    bus_dmamap_unload(iommu_tag, om);
    bus_dmamap_destroy(iommu_tag, rom);
    bus_dmamap_destroy(iommu_tag, om);
    long changed = pattern_mismatch(ro, PAGE, 77);
    return_buffer(ro, PAGE);
    return_buffer(other, PAGE);
    EXPECT(error == EIO && cause == SGDMA_CAUSE_TLB_PERMISSION, "error %d, cause %s", error,
           sgdma_cause_name(cause));
    EXPECT(tlb.t_aborts == aborts + 1, "%u aborts", (unsigned)(tlb.t_aborts - aborts));
    EXPECT(fault == ro_bus, "fault at 0x%lx, the read-only buffer is at 0x%lx", (unsigned long)fault,
           (unsigned long)ro_bus);
    EXPECT(changed < 0, "the read-only buffer changed at %ld", changed);
    return 0;
}

static int bad_descriptor_by_interrupt(void)
{
    uint32_t interrupts = dma24.ch->ch_interrupts;
    struct sgdma_desc *d = &dma24.ring[0];
    d->sd_src = dma24.ring_seg.ds_addr + 0x800;
    d->sd_dst = dma24.ring_seg.ds_addr + 0xC00;
    d->sd_len = 0;
    d->sd_control = SGDMA_DESC_END | SGDMA_DESC_IRQ;
    d->sd_next = 0;
    int error = engine_run_ring(&dma24, 1);
    EXPECT(error == EIO && dma24.ch->ch_cause == SGDMA_CAUSE_ZERO_LENGTH, "error %d, cause %s",
           error, sgdma_cause_name(dma24.ch->ch_cause));
    EXPECT(dma24.ch->ch_interrupts == interrupts + 1, "%u interrupts",
           (unsigned)(dma24.ch->ch_interrupts - interrupts));
    /* A source above the 24-bit window: refused before a byte moves. */
    d->sd_src = RAM_DMA32_BASE;
    d->sd_len = 64;
    error = engine_run_ring(&dma24, 1);
    EXPECT(error == EIO && dma24.ch->ch_cause == SGDMA_CAUSE_OUTSIDE_WINDOW
           && dma24.ch->ch_fault == RAM_DMA32_BASE, "error %d, cause %s at 0x%lx", error,
           sgdma_cause_name(dma24.ch->ch_cause), (unsigned long)dma24.ch->ch_fault);
    return 0;
}

static int misuse_is_an_error_code(void)
{
    uint8_t *buf = borrow_buffer(4 * PAGE, RAM_DMA32_BASE, DMA32_LAST);
    EXPECT(buf != NULL, "no buffer");
    bus_dma_tag_t one_seg;
    struct bus_dma_tag_limits l = *bus_dma_tag_limits(dma32.tag);
    l.dt_nsegments = 1;
    l.dt_boundary = PAGE;
    int error = bus_dma_tag_derive(dma32.tag, &l, &one_seg);
    EXPECT(error == 0, "derive: %d", error);
    l.dt_high = 0x1FFFFFFFFull;
    bus_dma_tag_t wider;
    EXPECT(bus_dma_tag_derive(dma32.tag, &l, &wider) == EINVAL, "a wider window was accepted");
    bus_dmamap_t map;
    EXPECT(bus_dmamap_create(one_seg, 2 * PAGE, 0, 0, 0, 0, &map) == 0, "map");
    EXPECT(bus_dmamap_load(one_seg, map, buf + 16, PAGE, NULL, 0) == EFBIG, "EFBIG expected");
    EXPECT(bus_dmamap_load(one_seg, map, buf, 3 * PAGE, NULL, 0) == EINVAL, "over the map size");
    EXPECT(bus_dmamap_load(one_seg, map, (void *)(uintptr_t)UART0_BASE, 16, NULL, 0) == EINVAL,
           "device registers loaded as a buffer");
    EXPECT(bus_dmamap_unload(one_seg, map) == EINVAL, "unload of an unloaded map");
    EXPECT(bus_dmamap_sync(one_seg, map, 0, 1, BUS_DMASYNC_PREWRITE) == EINVAL, "sync unloaded");
    EXPECT(bus_dmamap_load(one_seg, map, buf, PAGE, NULL, 0) == 0, "load");
    EXPECT(bus_dmamap_load(one_seg, map, buf, PAGE, NULL, 0) == EBUSY, "second load");
    EXPECT(bus_dmamap_sync(one_seg, map, 0, PAGE, BUS_DMASYNC_PREWRITE | BUS_DMASYNC_POSTREAD)
           == EINVAL, "PRE and POST together");
    EXPECT(bus_dmamap_sync(one_seg, map, 1, PAGE, BUS_DMASYNC_PREWRITE) == EINVAL, "beyond the map");
    EXPECT(bus_dmamap_destroy(one_seg, map) == EBUSY, "destroy while loaded");
    EXPECT(bus_dmamap_unload(one_seg, map) == 0, "unload");
    EXPECT(bus_dmamap_destroy(one_seg, map) == 0, "destroy");
    bus_dmatag_destroy(one_seg);
    return_buffer(buf, 4 * PAGE);
    return 0;
}

void dma_tests(void)
{
    run_test("bus_dma: 24-bit engine copies through bounce pages", dma24_bounces);
    run_test("bus_dma: 32-bit engine copies directly", dma32_direct);
    run_test("bus_dma: 32-bit engine above 4 GiB through the TLB, misses refilled by the interrupt handler",
             dma32_through_the_tlb);
    run_test("bus_dma: TSB assist refills the TLB without interrupts", tsb_assist);
    run_test("TLB: an access to an unmapped I/O page is aborted", unmapped_access_aborts);
    run_test("TLB: a device write to a read-only mapping is aborted", write_to_read_only_mapping_aborts);
    run_test("DMA engine: bad descriptors are reported by interrupt", bad_descriptor_by_interrupt);
    run_test("bus_dma: misuse is an error code", misuse_is_an_error_code);
}

/* ---- exhaustion ---- */

#define MAX_HELD 96

static struct held {
    int n;
    bus_dma_segment_t segs[FRAMEPOOL_RESULT_MAX];
} held[MAX_HELD];
static int nheld;

/* Borrows every free frame of [low, high] (big pieces first). */
static int borrow_everything(bus_addr_t low, bus_addr_t high)
{
    /* Start at the largest range (256 MiB) and halve when nothing that large is left. */
    bus_size_t size = high - low < 0x10000000ull ? high - low + 1 : 0x10000000ull;
    while (size >= PAGE && nheld < MAX_HELD) {
        struct frame_constraints c = { low, high, 0, 0, 0, FRAMEPOOL_RESULT_MAX };
        struct held *h = &held[nheld];
        if (framepool_borrow(&board_framepool, size, &c, 0, h->segs, &h->n) == 0)
            nheld++;
        else
            size /= 2;
    }
    return nheld < MAX_HELD ? 0 : -1;
}

static void return_everything(void)
{
    while (nheld > 0) {
        nheld--;
        framepool_return(&board_framepool, held[nheld].segs, held[nheld].n);
    }
}

static int frames_run_out_and_recover(void)
{
    /* No bounce page kept from earlier tests: the next bounce must borrow. */
    busdma_machine_trim(&board_busdma);
    uint8_t *src = borrow_buffer(2 * PAGE, RAM_DMA32_BASE, DMA32_LAST);
    uint8_t *dst = borrow_buffer(2 * PAGE, RAM_DMA32_BASE, DMA32_LAST);
    EXPECT(src != NULL && dst != NULL, "no buffers");
    EXPECT(borrow_everything(0, ~0ull) == 0, "more than %d pieces", MAX_HELD);
    struct framepool_stats st;
    uint32_t left = 0;
    for (unsigned i = 0; i < 3; i++) {
        framepool_stats(&board_framepool, i, &st);
        left += st.free;
    }
    int held_pieces = nheld;
    struct copy_report r;
    pattern_fill(src, 2 * PAGE, 9);
    int bounce = engine_copy(&dma24, dma24.tag, dst, src, 2 * PAGE, &r);
    bus_dma_segment_t seg;
    int n;
    int mem = bus_dmamem_alloc(dma32.tag, PAGE, 0, 0, &seg, 1, &n, BUS_DMA_NOWAIT);
    struct busdma_iommu *io = NULL;
    int domain = busdma_iommu_create(&board_busdma, 0x80000000ull, 0x100000, NULL, NULL, &io);
    int tsb = swtlb_tsb_enable(&tlb, 4);
    return_everything();
    if (mem == 0)
        bus_dmamem_free(dma32.tag, &seg, n);
    if (domain == 0)
        busdma_iommu_destroy(io);
    if (tsb == 0)
        swtlb_tsb_disable(&tlb);
    EXPECT(left == 0, "%u frames left after borrowing everything", (unsigned)left);
    EXPECT(bounce == ENOMEM, "bounced copy with no frames: %d", bounce);
    EXPECT(mem == ENOMEM, "bus_dmamem_alloc with no frames: %d", mem);
    EXPECT(domain == ENOMEM, "IOMMU page table with no frames: %d", domain);
    EXPECT(tsb == ENOMEM, "TSB with no frames: %d", tsb);
    /* Recovery: the same copy works once the frames are back. */
    int error = engine_copy(&dma24, dma24.tag, dst, src, 2 * PAGE, &r);
    long bad = pattern_mismatch(dst, 2 * PAGE, 9);
    return_buffer(src, 2 * PAGE);
    return_buffer(dst, 2 * PAGE);
    EXPECT(error == 0 && r.src_bounced && bad < 0, "copy after recovery: %d, byte %ld", error, bad);
    snprintf(test_detail, sizeof(test_detail), "every frame borrowed in %d pieces", held_pieces);
    return 0;
}

static int io_space_runs_out_and_recovers(void)
{
    /* A tag for eight I/O pages of dma32's domain. */
    bus_dma_tag_t small;
    int error = bus_dmatag_subregion(iommu_tag, IOVA_BASE + IOVA_SIZE - 8 * PAGE,
                                     IOVA_BASE + IOVA_SIZE - 1, &small, 0);
    EXPECT(error == 0, "subregion: %d", error);
    uint8_t *buf = borrow_buffer(16 * PAGE, RAM_HIGH_BASE, HIGH_LAST);
    EXPECT(buf != NULL, "no buffer");
    bus_dmamap_t a, b;
    EXPECT(bus_dmamap_create(small, 8 * PAGE, 0, 0, 0, 0, &a) == 0, "map a");
    EXPECT(bus_dmamap_create(small, 8 * PAGE, 0, 0, 0, 0, &b) == 0, "map b");
    EXPECT(bus_dmamap_load(small, a, buf, 6 * PAGE, NULL, 0) == 0, "load a");
    int full = bus_dmamap_load(small, b, buf + 8 * PAGE, 3 * PAGE, NULL, 0);
    int fits = bus_dmamap_load(small, b, buf + 8 * PAGE, 2 * PAGE, NULL, 0);
    bus_dmamap_unload(small, b);
    bus_dmamap_unload(small, a);
    int again = bus_dmamap_load(small, b, buf + 8 * PAGE, 8 * PAGE, NULL, 0);
    if (again == 0)
        bus_dmamap_unload(small, b);
    bus_dmamap_destroy(small, a);
    bus_dmamap_destroy(small, b);
    bus_dmatag_destroy(small);
    return_buffer(buf, 16 * PAGE);
    EXPECT(full == ENOMEM, "a load past the I/O space: %d", full);
    EXPECT(fits == 0, "a load that fits: %d", fits);
    EXPECT(again == 0, "the whole space after unloading: %d", again);
    /* And a copy through the full-size tag still works. */
    struct copy_report r;
    return checked_copy(&dma32, iommu_tag, 5000, 1, RAM_HIGH_BASE, HIGH_LAST, RAM_HIGH_BASE,
                        HIGH_LAST, 8, &r);
}

void exhaustion_tests(void)
{
    run_test("exhaustion: with every frame borrowed bus_dma returns ENOMEM, then recovers",
             frames_run_out_and_recover);
    run_test("exhaustion: I/O virtual space runs out (ENOMEM), then recovers",
             io_space_runs_out_and_recovers);
}
