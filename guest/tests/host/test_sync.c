/*
 * test_sync.c - bus_dmamap_sync: bounce copies, fences, cache maintenance, errors.
 */
#include <errno.h>

#include "test_util.h"

/* A bounced copy through two maps of a 24-bit device: the bytes arrive only with the syncs. */
static void bounced_copy_round_trip_needs_the_syncs(void)
{
    struct fake_machine *fm = fake_machine_board();
    bus_dma_tag_t tag;
    bus_dmamap_t src, dst;
    struct bus_dma_tag_limits l = window(0, LOW_END);
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    CHECK_EQ(bus_dmamap_create(tag, 0x3000, 0, 0, 0, 0, &src), 0);
    CHECK_EQ(bus_dmamap_create(tag, 0x3000, 0, 0, 0, 0, &dst), 0);
    uint8_t *in = fake_borrow(fm, 0x3000, HIGH_BASE, ALL_LAST);
    uint8_t *out = fake_borrow(fm, 0x3000, DMA32_BASE, FOUR_GIB_LAST);
    fake_pattern(in, 0x2345, 7);
    memset(out, 0, 0x3000);
    CHECK_EQ(bus_dmamap_load(tag, src, in, 0x2345, NULL, BUS_DMA_WRITE), 0);
    CHECK_EQ(bus_dmamap_load(tag, dst, out, 0x2345, NULL, BUS_DMA_READ), 0);
    CHECK(bus_dmamap_is_bounced(src) && bus_dmamap_is_bounced(dst));
    CHECK_EQ(bus_dmamap_sync(tag, src, 0, 0x2345, BUS_DMASYNC_PREWRITE), 0);
    CHECK_EQ(bus_dmamap_sync(tag, dst, 0, 0x2345, BUS_DMASYNC_PREREAD), 0);
    CHECK_EQ(fake_device_copy(fm, src, dst, 0x2345), 0);
    CHECK(!fake_pattern_check(out, 0x2345, 7));   /* still in the bounce pages */
    CHECK_EQ(bus_dmamap_sync(tag, src, 0, 0x2345, BUS_DMASYNC_POSTWRITE), 0);
    CHECK_EQ(bus_dmamap_sync(tag, dst, 0, 0x2345, BUS_DMASYNC_POSTREAD), 0);
    CHECK(fake_pattern_check(out, 0x2345, 7));
    CHECK_EQ(out[0x2345], 0);                      /* nothing past the mapping */
    CHECK_EQ(bus_dmamap_unload(tag, src), 0);
    CHECK_EQ(bus_dmamap_unload(tag, dst), 0);
    CHECK_EQ(bus_dmamap_destroy(tag, src), 0);
    CHECK_EQ(bus_dmamap_destroy(tag, dst), 0);
    bus_dmatag_destroy(tag);
    CHECK_EQ(fake_return(fm, in, 0x3000), 0);
    CHECK_EQ(fake_return(fm, out, 0x3000), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

/* PREREAD fills the bounce pages, so bytes the device does not write come back unchanged and
 * nothing of a bounce page's previous user leaks into the buffer. */
static void preread_keeps_bytes_the_device_did_not_write(void)
{
    struct fake_machine *fm = fake_machine_board();
    bus_dma_tag_t tag;
    bus_dmamap_t map;
    struct bus_dma_tag_limits l = window(0, LOW_END);
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    CHECK_EQ(bus_dmamap_create(tag, 0x2000, 0, 0, 0, 0, &map), 0);
    uint8_t *buf = fake_borrow(fm, 0x2000, HIGH_BASE, ALL_LAST);
    /* A previous user leaves its bytes in the bounce pages. */
    memset(buf, 0xAB, 0x2000);
    CHECK_EQ(bus_dmamap_load(tag, map, buf, 0x2000, NULL, 0), 0);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0, 0x2000, BUS_DMASYNC_PREWRITE), 0);
    CHECK_EQ(bus_dmamap_unload(tag, map), 0);
    fake_pattern(buf, 0x2000, 3);
    CHECK_EQ(bus_dmamap_load(tag, map, buf, 0x2000, NULL, 0), 0);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0, 0x2000, BUS_DMASYNC_PREREAD), 0);
    CHECK_EQ(fake_device_fill(fm, map, 0x100, 0x40), 0);   /* the device writes 256 bytes only */
    CHECK_EQ(bus_dmamap_sync(tag, map, 0, 0x2000, BUS_DMASYNC_POSTREAD), 0);
    for (int i = 0; i < 0x100; i++)
        CHECK_EQ(buf[i], (uint8_t)(0x40 + i));
    uint8_t expected[0x2000];
    fake_pattern(expected, sizeof(expected), 3);
    CHECK(memcmp(buf + 0x100, expected + 0x100, 0x1F00) == 0);
    CHECK_EQ(bus_dmamap_unload(tag, map), 0);
    CHECK_EQ(bus_dmamap_destroy(tag, map), 0);
    bus_dmatag_destroy(tag);
    CHECK_EQ(fake_return(fm, buf, 0x2000), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

static void a_partial_sync_copies_only_its_range(void)
{
    struct fake_machine *fm = fake_machine_board();
    bus_dma_tag_t tag;
    bus_dmamap_t map;
    struct bus_dma_tag_limits l = window(0, LOW_END);
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    CHECK_EQ(bus_dmamap_create(tag, 0x2000, 0, 0, 0, 0, &map), 0);
    uint8_t *buf = fake_borrow(fm, 0x2000, HIGH_BASE, ALL_LAST);
    memset(buf, 0, 0x2000);
    CHECK_EQ(bus_dmamap_load(tag, map, buf, 0x2000, NULL, 0), 0);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0, 0x2000, BUS_DMASYNC_PREREAD), 0);
    CHECK_EQ(fake_device_fill(fm, map, 0x2000, 1), 0);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0xF00, 0x200, BUS_DMASYNC_POSTREAD), 0);
    CHECK_EQ(buf[0xEFF], 0);
    CHECK_EQ(buf[0xF00], (uint8_t)(1 + 0xF00));
    CHECK_EQ(buf[0x10FF], (uint8_t)(1 + 0x10FF));
    CHECK_EQ(buf[0x1100], 0);
    CHECK_EQ(bus_dmamap_unload(tag, map), 0);
    CHECK_EQ(bus_dmamap_destroy(tag, map), 0);
    bus_dmatag_destroy(tag);
    CHECK_EQ(fake_return(fm, buf, 0x2000), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

static void bad_syncs_are_einval(void)
{
    struct fake_machine *fm = fake_machine_board();
    bus_dma_tag_t tag;
    bus_dmamap_t map;
    struct bus_dma_tag_limits l = window(0, LOW_END);
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    CHECK_EQ(bus_dmamap_create(tag, 0x2000, 0, 0, 0, 0, &map), 0);
    uint8_t *buf = fake_borrow(fm, 0x2000, 0, LOW_END);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0, 1, BUS_DMASYNC_PREWRITE), EINVAL);   /* not loaded */
    CHECK_EQ(bus_dmamap_load(tag, map, buf, 0x1000, NULL, 0), 0);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0, 1, 0), EINVAL);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0, 1, 0x10), EINVAL);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0, 1, BUS_DMASYNC_PREWRITE | BUS_DMASYNC_POSTREAD), EINVAL);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0xFFF, 2, BUS_DMASYNC_PREWRITE), EINVAL);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0x1001, 0, BUS_DMASYNC_PREWRITE), EINVAL);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0x1000, 0, BUS_DMASYNC_PREWRITE), 0);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0, 0x1000, BUS_DMASYNC_PREREAD | BUS_DMASYNC_PREWRITE), 0);
    CHECK_EQ(bus_dmamap_unload(tag, map), 0);
    CHECK_EQ(bus_dmamap_destroy(tag, map), 0);
    bus_dmatag_destroy(tag);
    CHECK_EQ(fake_return(fm, buf, 0x2000), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

static void pre_syncs_fence_after_and_post_syncs_before(void)
{
    struct fake_machine *fm = fake_machine_board();
    bus_dma_tag_t tag;
    bus_dmamap_t map;
    struct bus_dma_tag_limits l = window(0, LOW_END);
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    CHECK_EQ(bus_dmamap_create(tag, 0x1000, 0, 0, 0, 0, &map), 0);
    uint8_t *buf = fake_borrow(fm, 0x1000, 0, LOW_END);
    CHECK_EQ(bus_dmamap_load(tag, map, buf, 0x1000, NULL, 0), 0);
    int before = fm->barriers;
    CHECK_EQ(bus_dmamap_sync(tag, map, 0, 0x1000, BUS_DMASYNC_PREWRITE), 0);
    CHECK_EQ(fm->barriers, before + 1);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0, 0x1000, BUS_DMASYNC_POSTREAD), 0);
    CHECK_EQ(fm->barriers, before + 2);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0, 0x1000, BUS_DMASYNC_POSTWRITE), 0);
    CHECK_EQ(fm->barriers, before + 3);
    CHECK_EQ(fm->ncache, 0);   /* a coherent machine has no cache hooks */
    CHECK_EQ(bus_dmamap_unload(tag, map), 0);
    CHECK_EQ(bus_dmamap_destroy(tag, map), 0);
    bus_dmatag_destroy(tag);
    CHECK_EQ(fake_return(fm, buf, 0x1000), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

/* On a board whose devices do not snoop: write back before the device reads, write back and
 * invalidate before it writes, invalidate after it wrote; on the bytes the device accesses (the
 * bounce page when bounced). COHERENT tags skip all of it. */
static void non_coherent_boards_get_cache_maintenance_on_what_the_device_touches(void)
{
    static const struct fake_region_spec layout[] = {
        { 0x0, 0x100000, 1 },
        { 0x100000000ull, 0x100000, 1 },
    };
    struct fake_machine *fm = fake_machine_new(layout, 2, 1);
    bus_dma_tag_t tag, coherent;
    bus_dmamap_t map, cmap;
    struct bus_dma_tag_limits l = window(0, LOW_END);
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    l.dt_flags = BUS_DMA_COHERENT;
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &coherent), 0);
    CHECK_EQ(bus_dmamap_create(tag, 0x1000, 0, 0, 0, 0, &map), 0);
    CHECK_EQ(bus_dmamap_create(coherent, 0x1000, 0, 0, 0, 0, &cmap), 0);
    uint8_t *direct = fake_borrow(fm, 0x1000, 0, LOW_END);
    uint8_t *high = fake_borrow(fm, 0x1000, HIGH_BASE, ALL_LAST);

    CHECK_EQ(bus_dmamap_load(tag, map, direct, 0x100, NULL, 0), 0);
    fm->ncache = 0;
    CHECK_EQ(bus_dmamap_sync(tag, map, 0, 0x100, BUS_DMASYNC_PREWRITE), 0);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0, 0x100, BUS_DMASYNC_POSTWRITE), 0);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0, 0x100, BUS_DMASYNC_PREREAD), 0);
    CHECK_EQ(bus_dmamap_sync(tag, map, 0x10, 0x20, BUS_DMASYNC_POSTREAD), 0);
    CHECK_EQ(fm->ncache, 3);
    CHECK_EQ(fm->cache[0].op, 'w');
    CHECK_EQ(fm->cache[0].pa, phys_of(fm, direct));
    CHECK_EQ(fm->cache[0].len, 0x100);
    CHECK_EQ(fm->cache[1].op, 'b');
    CHECK_EQ(fm->cache[2].op, 'i');
    CHECK_EQ(fm->cache[2].pa, phys_of(fm, direct) + 0x10);
    CHECK_EQ(fm->cache[2].len, 0x20);
    CHECK_EQ(bus_dmamap_unload(tag, map), 0);

    CHECK_EQ(bus_dmamap_load(tag, map, high, 0x100, NULL, 0), 0);
    fm->ncache = 0;
    CHECK_EQ(bus_dmamap_sync(tag, map, 0, 0x100, BUS_DMASYNC_PREWRITE), 0);
    CHECK_EQ(fm->ncache, 1);
    CHECK_EQ(fm->cache[0].pa, map->dm_segs[0].ds_addr);   /* the bounce page */
    CHECK_EQ(bus_dmamap_unload(tag, map), 0);

    CHECK_EQ(bus_dmamap_load(coherent, cmap, direct, 0x100, NULL, 0), 0);
    fm->ncache = 0;
    CHECK_EQ(bus_dmamap_sync(coherent, cmap, 0, 0x100, BUS_DMASYNC_PREREAD), 0);
    CHECK_EQ(bus_dmamap_sync(coherent, cmap, 0, 0x100, BUS_DMASYNC_POSTREAD), 0);
    CHECK_EQ(fm->ncache, 0);
    CHECK_EQ(bus_dmamap_unload(coherent, cmap), 0);

    CHECK_EQ(bus_dmamap_destroy(tag, map), 0);
    CHECK_EQ(bus_dmamap_destroy(coherent, cmap), 0);
    bus_dmatag_destroy(tag);
    bus_dmatag_destroy(coherent);
    CHECK_EQ(fake_return(fm, direct, 0x1000), 0);
    CHECK_EQ(fake_return(fm, high, 0x1000), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

const struct test_case sync_tests[] = {
    TEST(bounced_copy_round_trip_needs_the_syncs),
    TEST(preread_keeps_bytes_the_device_did_not_write),
    TEST(a_partial_sync_copies_only_its_range),
    TEST(bad_syncs_are_einval),
    TEST(pre_syncs_fence_after_and_post_syncs_before),
    TEST(non_coherent_boards_get_cache_maintenance_on_what_the_device_touches),
    { NULL, NULL }
};
