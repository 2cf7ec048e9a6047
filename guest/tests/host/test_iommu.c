/*
 * test_iommu.c - IOMMU-backed tags: the I/O page table, device addresses in the window,
 * rights, invalidation, exhaustion.
 */
#include <errno.h>

#include "test_util.h"

#define IOVA_BASE 0x40000000ull

struct iommu_log {
    int invalidations;
    bus_addr_t last_iova;
    bus_size_t last_len;
    int mapped;
};

static void log_invalidate(void *cookie, bus_addr_t iova, bus_size_t len)
{
    struct iommu_log *log = cookie;
    log->invalidations++;
    log->last_iova = iova;
    log->last_len = len;
}

static void log_mapped(void *cookie, bus_addr_t iova, bus_addr_t pa, int prot)
{
    (void)iova;
    (void)pa;
    (void)prot;
    ((struct iommu_log *)cookie)->mapped++;
}

static const struct busdma_iommu_ops log_ops = { log_invalidate, log_mapped };

static struct bus_dma_tag_limits iommu_window(struct busdma_iommu *io, bus_size_t size)
{
    struct bus_dma_tag_limits l = window(IOVA_BASE, IOVA_BASE + size - 1);
    l.dt_iommu = io;
    return l;
}

static void the_page_table_lives_in_frames_from_the_source(void)
{
    struct fake_machine *fm = fake_machine_board();
    struct busdma_iommu *io;
    CHECK_EQ(busdma_iommu_create(&fm->bm, IOVA_BASE + 1, 0x100000, NULL, NULL, &io), EINVAL);
    CHECK_EQ(busdma_iommu_create(&fm->bm, IOVA_BASE, 0, NULL, NULL, &io), EINVAL);
    fm->frame_fail_after = 0;
    CHECK_EQ(busdma_iommu_create(&fm->bm, IOVA_BASE, 0x1000000, NULL, NULL, &io), ENOMEM);
    CHECK_EQ(fm->kmem_outstanding, 0);
    fm->frame_fail_after = -1;
    /* 16 MiB of I/O space: 4096 entries of 8 bytes = 8 frames. */
    CHECK_EQ(busdma_iommu_create(&fm->bm, IOVA_BASE, 0x1000000, NULL, NULL, &io), 0);
    CHECK_EQ(fm->frames_in_use, 8);
    bus_addr_t table;
    bus_size_t mapped;
    busdma_iommu_info(io, NULL, NULL, &table, &mapped);
    CHECK_EQ(mapped, 0);
    const uint64_t *entries = fake_kva(fm, table);
    for (int i = 0; i < 4096; i++)
        CHECK_EQ(entries[i], 0);
    CHECK_EQ(busdma_iommu_lookup(io, IOVA_BASE, NULL, NULL), ENOENT);
    CHECK_EQ(busdma_iommu_lookup(io, IOVA_BASE - 1, NULL, NULL), ENOENT);
    CHECK_EQ(busdma_iommu_destroy(io), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

static void a_load_maps_high_pages_into_the_window_without_bouncing(void)
{
    struct fake_machine *fm = fake_machine_board();
    struct iommu_log log = { 0, 0, 0, 0 };
    struct busdma_iommu *io;
    CHECK_EQ(busdma_iommu_create(&fm->bm, IOVA_BASE, 0x100000, &log_ops, &log, &io), 0);
    bus_dma_tag_t tag;
    struct bus_dma_tag_limits l = iommu_window(io, 0x100000);
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    bus_dmamap_t src, dst;
    CHECK_EQ(bus_dmamap_create(tag, 0x4000, 0, 0, 0, 0, &src), 0);
    CHECK_EQ(bus_dmamap_create(tag, 0x4000, 0, 0, 0, 0, &dst), 0);
    uint8_t *in = fake_borrow(fm, 0x4000, HIGH_BASE, ALL_LAST);
    uint8_t *out = fake_borrow(fm, 0x4000, HIGH_BASE, ALL_LAST);
    fake_pattern(in, 0x4000, 11);
    memset(out, 0, 0x4000);
    CHECK_EQ(bus_dmamap_load(tag, src, in + 0x80, 0x3000, NULL, BUS_DMA_WRITE), 0);
    CHECK_EQ(bus_dmamap_load(tag, dst, out + 0x80, 0x3000, NULL, BUS_DMA_READ), 0);
    CHECK(bus_dmamap_is_translated(src));
    CHECK(!bus_dmamap_is_bounced(src));
    CHECK_EQ(src->dm_nsegs, 1);
    CHECK(src->dm_segs[0].ds_addr >= IOVA_BASE && src->dm_segs[0].ds_addr < IOVA_BASE + 0x100000);
    CHECK_EQ(src->dm_segs[0].ds_addr & 0xFFF, 0x80);   /* the page offset is kept */
    CHECK_EQ(log.mapped, 8);                           /* 4 pages each */
    for (bus_size_t off = 0; off < 0x3000; off += 0x800) {
        bus_addr_t pa;
        int prot;
        CHECK_EQ(busdma_iommu_lookup(io, src->dm_segs[0].ds_addr + off, &pa, &prot), 0);
        CHECK_EQ(pa, phys_of(fm, in) + 0x80 + off);
        CHECK_EQ(prot, BUSDMA_PROT_READ);
        CHECK_EQ(busdma_iommu_lookup(io, dst->dm_segs[0].ds_addr + off, &pa, &prot), 0);
        CHECK_EQ(prot, BUSDMA_PROT_WRITE);
    }
    CHECK_EQ(bus_dmamap_sync(tag, src, 0, 0x3000, BUS_DMASYNC_PREWRITE), 0);
    CHECK_EQ(bus_dmamap_sync(tag, dst, 0, 0x3000, BUS_DMASYNC_PREREAD), 0);
    CHECK_EQ(fake_device_copy(fm, src, dst, 0x3000), 0);
    CHECK_EQ(bus_dmamap_sync(tag, dst, 0, 0x3000, BUS_DMASYNC_POSTREAD), 0);
    uint8_t expected[0x4000];
    fake_pattern(expected, sizeof(expected), 11);
    CHECK(memcmp(out + 0x80, expected + 0x80, 0x3000) == 0);
    /* The device cannot write what it may only read. */
    CHECK_EQ(fake_device_copy(fm, dst, src, 0x10), EIO);

    bus_addr_t iova = src->dm_segs[0].ds_addr;
    CHECK_EQ(bus_dmamap_unload(tag, src), 0);
    CHECK_EQ(log.invalidations, 1);
    CHECK_EQ(log.last_iova, iova & ~0xFFFull);
    CHECK_EQ(log.last_len, 0x4000);
    CHECK_EQ(busdma_iommu_lookup(io, iova, NULL, NULL), ENOENT);
    CHECK_EQ(busdma_iommu_destroy(io), EBUSY);   /* dst is still mapped */
    CHECK_EQ(bus_dmamap_unload(tag, dst), 0);
    CHECK_EQ(bus_dmamap_destroy(tag, src), 0);
    CHECK_EQ(bus_dmamap_destroy(tag, dst), 0);
    bus_dmatag_destroy(tag);
    CHECK_EQ(busdma_iommu_destroy(io), 0);
    CHECK_EQ(fake_return(fm, in, 0x4000), 0);
    CHECK_EQ(fake_return(fm, out, 0x4000), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

static void io_space_runs_out_with_enomem_and_comes_back(void)
{
    struct fake_machine *fm = fake_machine_board();
    struct busdma_iommu *io;
    CHECK_EQ(busdma_iommu_create(&fm->bm, IOVA_BASE, 0x100000, NULL, NULL, &io), 0);
    bus_dma_tag_t tag;
    /* The tag reaches four pages of the domain. */
    struct bus_dma_tag_limits l = iommu_window(io, 0x4000);
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    bus_dmamap_t a, b;
    CHECK_EQ(bus_dmamap_create(tag, 0x3000, 0, 0, 0, 0, &a), 0);
    CHECK_EQ(bus_dmamap_create(tag, 0x3000, 0, 0, 0, 0, &b), 0);
    uint8_t *buf = fake_borrow(fm, 0x6000, HIGH_BASE, ALL_LAST);
    CHECK_EQ(bus_dmamap_load(tag, a, buf, 0x3000, NULL, 0), 0);
    CHECK_EQ(bus_dmamap_load(tag, b, buf + 0x3000, 0x2000, NULL, 0), ENOMEM);
    CHECK_EQ(bus_dmamap_load(tag, b, buf + 0x3000, 0x1000, NULL, 0), 0);
    CHECK_EQ(b->dm_segs[0].ds_addr, IOVA_BASE + 0x3000);
    CHECK_EQ(bus_dmamap_unload(tag, a), 0);
    CHECK_EQ(bus_dmamap_unload(tag, b), 0);
    CHECK_EQ(bus_dmamap_load(tag, b, buf + 0x3000, 0x3000, NULL, 0), 0);
    CHECK_EQ(bus_dmamap_unload(tag, b), 0);
    CHECK_EQ(bus_dmamap_destroy(tag, a), 0);
    CHECK_EQ(bus_dmamap_destroy(tag, b), 0);
    bus_dmatag_destroy(tag);
    CHECK_EQ(busdma_iommu_destroy(io), 0);
    CHECK_EQ(fake_return(fm, buf, 0x6000), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

static void iommu_limits_give_efbig_and_einval_and_leave_nothing_mapped(void)
{
    struct fake_machine *fm = fake_machine_board();
    struct iommu_log log = { 0, 0, 0, 0 };
    struct busdma_iommu *io;
    CHECK_EQ(busdma_iommu_create(&fm->bm, IOVA_BASE, 0x100000, &log_ops, &log, &io), 0);
    bus_dma_tag_t tag, outside = NULL;
    struct bus_dma_tag_limits l = iommu_window(io, 0x100000);
    l.dt_boundary = 0x1000;
    l.dt_alignment = 16;
    l.dt_nsegments = 1;
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    struct bus_dma_tag_limits wide = iommu_window(io, 0x200000);
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &wide, &outside), EINVAL);   /* beyond the domain */
    bus_dmamap_t map;
    CHECK_EQ(bus_dmamap_create(tag, 0x2000, 0, 0, 0, 0, &map), 0);
    uint8_t *buf = fake_borrow(fm, 0x3000, HIGH_BASE, ALL_LAST);
    CHECK_EQ(bus_dmamap_load(tag, map, buf + 0x800, 0x1000, NULL, 0), EFBIG);
    bus_size_t mapped;
    busdma_iommu_info(io, NULL, NULL, NULL, &mapped);
    CHECK_EQ(mapped, 0);
    CHECK_EQ(log.invalidations, 1);   /* what the failed load wrote was withdrawn */
    CHECK_EQ(bus_dmamap_load(tag, map, buf + 4, 0x10, NULL, 0), EINVAL);   /* misaligned */
    CHECK_EQ(bus_dmamap_load(tag, map, buf + 0x10, 0x10, NULL, 0), 0);
    CHECK_EQ(map->dm_segs[0].ds_addr & 0xFFF, 0x10);
    CHECK_EQ(bus_dmamap_unload(tag, map), 0);
    CHECK_EQ(bus_dmamap_destroy(tag, map), 0);
    bus_dmatag_destroy(tag);
    CHECK_EQ(busdma_iommu_destroy(io), 0);
    CHECK_EQ(fake_return(fm, buf, 0x3000), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

static void dmamem_for_an_iommu_tag_may_come_from_anywhere_and_loads_raw(void)
{
    struct fake_machine *fm = fake_machine_board();
    struct busdma_iommu *io;
    CHECK_EQ(busdma_iommu_create(&fm->bm, IOVA_BASE, 0x100000, NULL, NULL, &io), 0);
    bus_dma_tag_t tag;
    struct bus_dma_tag_limits l = iommu_window(io, 0x100000);
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    /* Fill the low and dma32 ranges so the memory has to come from above 4 GiB. */
    void *low = fake_borrow(fm, 0x100000 - 0x1000, 0, LOW_END);   /* the table took one frame */
    void *mid = fake_borrow(fm, 0x200000, DMA32_BASE, FOUR_GIB_LAST);
    CHECK(low != NULL && mid != NULL);
    bus_dma_segment_t segs[2];
    int rsegs;
    CHECK_EQ(bus_dmamem_alloc(tag, 0x2000, 0, 0, segs, 2, &rsegs, 0), 0);
    CHECK(segs[0].ds_addr >= HIGH_BASE);
    bus_dmamap_t map;
    CHECK_EQ(bus_dmamap_create(tag, 0x2000, 0, 0, 0, 0, &map), 0);
    CHECK_EQ(bus_dmamap_load_raw(tag, map, segs, rsegs, 0x2000, 0), 0);
    CHECK_EQ(map->dm_nsegs, 1);
    bus_addr_t pa;
    CHECK_EQ(busdma_iommu_lookup(io, map->dm_segs[0].ds_addr + 0x1FFF, &pa, NULL), 0);
    CHECK_EQ(pa, segs[rsegs - 1].ds_addr + segs[rsegs - 1].ds_len - 1);
    CHECK_EQ(bus_dmamap_unload(tag, map), 0);
    CHECK_EQ(bus_dmamap_destroy(tag, map), 0);
    CHECK_EQ(bus_dmamem_free(tag, segs, rsegs), 0);
    CHECK_EQ(fake_return(fm, low, 0x100000 - 0x1000), 0);
    CHECK_EQ(fake_return(fm, mid, 0x200000), 0);
    bus_dmatag_destroy(tag);
    CHECK_EQ(busdma_iommu_destroy(io), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

const struct test_case iommu_tests[] = {
    TEST(the_page_table_lives_in_frames_from_the_source),
    TEST(a_load_maps_high_pages_into_the_window_without_bouncing),
    TEST(io_space_runs_out_with_enomem_and_comes_back),
    TEST(iommu_limits_give_efbig_and_einval_and_leave_nothing_mapped),
    TEST(dmamem_for_an_iommu_tag_may_come_from_anywhere_and_loads_raw),
    { NULL, NULL }
};
