/*
 * test_load.c - bus_dmamap_load / load_raw / unload: segments, bounce decisions, errors.
 */
#include <errno.h>

#include "test_util.h"

struct fixture {
    struct fake_machine *fm;
    bus_dma_tag_t tag;
    bus_dmamap_t map;
};

static int setup(struct fixture *f, struct bus_dma_tag_limits l, bus_size_t mapsize)
{
    f->fm = fake_machine_board();
    if (bus_dma_tag_create(&f->fm->bm, &l, &f->tag) != 0)
        return -1;
    return bus_dmamap_create(f->tag, mapsize, 0, 0, 0, 0, &f->map);
}

static int teardown(struct fixture *f)
{
    int ok = bus_dmamap_destroy(f->tag, f->map) == 0;
    bus_dmatag_destroy(f->tag);
    ok = ok && nothing_held(f->fm);
    fake_machine_free(f->fm);
    return ok;
}

static void buffer_in_the_window_is_one_segment(void)
{
    struct fixture f;
    CHECK_EQ(setup(&f, window(0, FOUR_GIB_LAST), 0x4000), 0);
    uint8_t *buf = fake_borrow(f.fm, 0x4000, DMA32_BASE, FOUR_GIB_LAST);
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf + 0x10, 0x3000, NULL, 0), 0);
    CHECK_EQ(f.map->dm_nsegs, 1);
    CHECK_EQ(f.map->dm_segs[0].ds_addr, phys_of(f.fm, buf) + 0x10);
    CHECK_EQ(f.map->dm_segs[0].ds_len, 0x3000);
    CHECK_EQ(f.map->dm_mapsize, 0x3000);
    CHECK(!bus_dmamap_is_bounced(f.map));
    CHECK(!bus_dmamap_is_translated(f.map));
    CHECK_EQ(bus_dmamap_unload(f.tag, f.map), 0);
    CHECK_EQ(f.map->dm_nsegs, 0);
    CHECK_EQ(fake_return(f.fm, buf, 0x4000), 0);
    CHECK(teardown(&f));
}

static void segments_split_at_the_boundary_and_the_max_segment_size(void)
{
    struct fixture f;
    struct bus_dma_tag_limits l = window(0, FOUR_GIB_LAST);
    l.dt_boundary = 0x2000;
    CHECK_EQ(setup(&f, l, 0x8000), 0);
    uint8_t *buf = fake_borrow(f.fm, 0x8000, DMA32_BASE, FOUR_GIB_LAST);
    bus_addr_t pa = phys_of(f.fm, buf);
    CHECK_EQ(pa & 0x1FFF, 0);
    /* [pa + 0x1800, +0x3000): 0x800 to the first boundary, then 0x2000, then 0x800. */
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf + 0x1800, 0x3000, NULL, 0), 0);
    CHECK_EQ(f.map->dm_nsegs, 3);
    CHECK_EQ(f.map->dm_segs[0].ds_len, 0x800);
    CHECK_EQ(f.map->dm_segs[1].ds_addr, pa + 0x2000);
    CHECK_EQ(f.map->dm_segs[1].ds_len, 0x2000);
    CHECK_EQ(f.map->dm_segs[2].ds_len, 0x800);
    CHECK_EQ(bus_dmamap_unload(f.tag, f.map), 0);
    CHECK_EQ(bus_dmamap_destroy(f.tag, f.map), 0);
    /* A map may tighten the tag: 0x1000-byte segments. */
    CHECK_EQ(bus_dmamap_create(f.tag, 0x8000, 0, 0, 0x4000, 0, &f.map), EINVAL);  /* looser boundary */
    CHECK_EQ(bus_dmamap_create(f.tag, 0x8000, 0, 0x1000, 0, 0, &f.map), 0);
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf, 0x3800, NULL, 0), 0);
    CHECK_EQ(f.map->dm_nsegs, 4);
    CHECK_EQ(f.map->dm_maxsegsz, 0x1000);
    CHECK_EQ(f.map->dm_segs[3].ds_len, 0x800);
    CHECK_EQ(bus_dmamap_unload(f.tag, f.map), 0);
    CHECK_EQ(fake_return(f.fm, buf, 0x8000), 0);
    CHECK(teardown(&f));
}

static void too_many_segments_is_efbig_and_the_map_can_load_again(void)
{
    struct fixture f;
    struct bus_dma_tag_limits l = window(0, FOUR_GIB_LAST);
    l.dt_boundary = 0x1000;
    l.dt_nsegments = 2;
    CHECK_EQ(setup(&f, l, 0x4000), 0);
    uint8_t *buf = fake_borrow(f.fm, 0x4000, DMA32_BASE, FOUR_GIB_LAST);
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf + 0x800, 0x2000, NULL, 0), EFBIG);
    CHECK_EQ(f.map->dm_nsegs, 0);
    CHECK_EQ(bus_dmamap_unload(f.tag, f.map), EINVAL);   /* not loaded */
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf, 0x2000, NULL, 0), 0);
    CHECK_EQ(f.map->dm_nsegs, 2);
    CHECK_EQ(bus_dmamap_unload(f.tag, f.map), 0);
    CHECK_EQ(fake_return(f.fm, buf, 0x4000), 0);
    CHECK(teardown(&f));
}

static void bad_loads_are_einval_or_ebusy(void)
{
    struct fixture f;
    CHECK_EQ(setup(&f, window(0, FOUR_GIB_LAST), 0x2000), 0);
    uint8_t *buf = fake_borrow(f.fm, 0x4000, DMA32_BASE, FOUR_GIB_LAST);
    uint8_t not_ram[64];
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf, 0x2001, NULL, 0), EINVAL);  /* over the map size */
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf, 0, NULL, 0), EINVAL);       /* empty */
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, not_ram, sizeof(not_ram), NULL, 0), EINVAL);
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf, 16, (struct proc *)buf, 0), EINVAL);
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf, 16, NULL, BUS_DMA_READ | BUS_DMA_WRITE), EINVAL);
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf, 16, NULL, 0), 0);
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf, 16, NULL, 0), EBUSY);
    CHECK_EQ(bus_dmamap_destroy(f.tag, f.map), EBUSY);
    CHECK_EQ(bus_dmamap_unload(f.tag, f.map), 0);
    CHECK_EQ(bus_dmamap_unload(f.tag, f.map), EINVAL);
    CHECK_EQ(bus_dmamap_create(f.tag, 0, 0, 0, 0, 0, &f.map), EINVAL);
    CHECK_EQ(fake_return(f.fm, buf, 0x4000), 0);
    CHECK(teardown(&f));
}

static void buffer_outside_the_window_bounces_into_it(void)
{
    struct fixture f;
    CHECK_EQ(setup(&f, window(0, LOW_END), 0x3000), 0);
    uint8_t *buf = fake_borrow(f.fm, 0x4000, HIGH_BASE, ALL_LAST);
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf + 0x100, 0x2F00, NULL, 0), 0);
    CHECK(bus_dmamap_is_bounced(f.map));
    bus_size_t total = 0;
    for (int i = 0; i < f.map->dm_nsegs; i++) {
        CHECK(f.map->dm_segs[i].ds_addr + f.map->dm_segs[i].ds_len - 1 <= LOW_END);
        total += f.map->dm_segs[i].ds_len;
    }
    CHECK_EQ(total, 0x2F00);
    /* One run of bounced chunks packs from the start of a bounce page: 3 pages, contiguous
     * because the zone took the lowest free pages. */
    CHECK_EQ(f.map->dm_nsegs, 1);
    CHECK_EQ(f.map->dm_segs[0].ds_addr & 0xFFF, 0);
    int held, used;
    busdma_machine_bounce_pages(&f.fm->bm, &held, &used);
    CHECK_EQ(held, 3);
    CHECK_EQ(used, 3);
    CHECK_EQ(bus_dmamap_unload(f.tag, f.map), 0);
    busdma_machine_bounce_pages(&f.fm->bm, &held, &used);
    CHECK_EQ(held, 3);   /* kept for the next load */
    CHECK_EQ(used, 0);
    int allocs = f.fm->frame_allocs;
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf, 0x3000, NULL, 0), 0);
    CHECK_EQ(f.fm->frame_allocs, allocs);   /* reused */
    CHECK_EQ(bus_dmamap_unload(f.tag, f.map), 0);
    CHECK_EQ(busdma_machine_trim(&f.fm->bm), 3);
    CHECK_EQ(fake_return(f.fm, buf, 0x4000), 0);
    CHECK(teardown(&f));
}

static void buffer_straddling_the_window_bounces_only_the_part_outside(void)
{
    struct fake_machine *fm = fake_machine_board();
    uint8_t *buf = fake_borrow(fm, 0x4000, DMA32_BASE, FOUR_GIB_LAST);
    bus_addr_t pa = phys_of(fm, buf);
    bus_dma_tag_t tag;
    bus_dmamap_t map;
    /* The window reaches the buffer's first two pages and the bounce pages of the low range. */
    struct bus_dma_tag_limits l = window(0, pa + 0x1FFF);
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    CHECK_EQ(bus_dmamap_create(tag, 0x4000, 0, 0, 0, 0, &map), 0);
    CHECK_EQ(bus_dmamap_load(tag, map, buf, 0x4000, NULL, 0), 0);
    int n;
    const struct busdma_piece *pieces = bus_dmamap_pieces(map, &n);
    CHECK_EQ(n, 2);
    CHECK_EQ(pieces[0].bp_bounced, 0);
    CHECK_EQ(pieces[0].bp_len, 0x2000);
    CHECK_EQ(pieces[0].bp_bus, pa);
    CHECK_EQ(pieces[1].bp_bounced, 1);
    CHECK_EQ(pieces[1].bp_offset, 0x2000);
    CHECK_EQ(pieces[1].bp_cpu, pa + 0x2000);
    CHECK(pieces[1].bp_bus < 0x100000);
    CHECK_EQ(map->dm_segs[0].ds_addr, pa);
    CHECK_EQ(bus_dmamap_unload(tag, map), 0);
    CHECK_EQ(bus_dmamap_destroy(tag, map), 0);
    bus_dmatag_destroy(tag);
    CHECK_EQ(fake_return(fm, buf, 0x4000), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

static void misaligned_start_bounces_the_first_chunk_only(void)
{
    struct fixture f;
    struct bus_dma_tag_limits l = window(0, FOUR_GIB_LAST);
    l.dt_alignment = 64;
    CHECK_EQ(setup(&f, l, 0x3000), 0);
    uint8_t *buf = fake_borrow(f.fm, 0x4000, DMA32_BASE, FOUR_GIB_LAST);
    bus_addr_t pa = phys_of(f.fm, buf);
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf + 3, 0x2000, NULL, 0), 0);
    int n;
    const struct busdma_piece *pieces = bus_dmamap_pieces(f.map, &n);
    CHECK_EQ(n, 2);
    CHECK_EQ(pieces[0].bp_bounced, 1);
    CHECK_EQ(pieces[0].bp_len, 0x1000 - 3);
    CHECK_EQ(pieces[1].bp_bounced, 0);
    CHECK_EQ(pieces[1].bp_bus, pa + 0x1000);
    for (int i = 0; i < f.map->dm_nsegs; i++)
        CHECK_EQ(f.map->dm_segs[i].ds_addr & 63, 0);
    CHECK_EQ(bus_dmamap_unload(f.tag, f.map), 0);
    /* An aligned start in the window never bounces. */
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf + 64, 0x2000, NULL, 0), 0);
    CHECK(!bus_dmamap_is_bounced(f.map));
    CHECK_EQ(bus_dmamap_unload(f.tag, f.map), 0);
    CHECK_EQ(fake_return(f.fm, buf, 0x4000), 0);
    CHECK(teardown(&f));
}

/* Bounced, direct, bounced: the second run starts on a fresh bounce page (aligned), not where
 * the first run's page ended. */
static void each_run_of_bounced_chunks_starts_on_a_fresh_bounce_page(void)
{
    struct fake_machine *fm = fake_machine_board();
    uint8_t *buf = fake_borrow(fm, 0x3000, DMA32_BASE, FOUR_GIB_LAST);
    bus_addr_t pa = phys_of(fm, buf);
    bus_dma_tag_t tag;
    bus_dmamap_t map;
    struct bus_dma_tag_limits l = window(0, pa + 0x1FFF);
    l.dt_alignment = 64;
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    CHECK_EQ(bus_dmamap_create(tag, 0x3000, 0, 0, 0, 0, &map), 0);
    /* [pa + 0x10, pa + 0x1000) misaligned: bounced; the next page direct; the rest outside. */
    CHECK_EQ(bus_dmamap_load(tag, map, buf + 0x10, 0x20F0, NULL, 0), 0);
    int n;
    const struct busdma_piece *pieces = bus_dmamap_pieces(map, &n);
    CHECK_EQ(n, 3);
    CHECK_EQ(pieces[0].bp_bounced, 1);
    CHECK_EQ(pieces[1].bp_bounced, 0);
    CHECK_EQ(pieces[2].bp_bounced, 1);
    CHECK_EQ(pieces[2].bp_len, 0x100);
    CHECK_EQ(pieces[2].bp_bus & 0xFFF, 0);
    CHECK(pieces[2].bp_bus != (pieces[0].bp_bus & ~0xFFFull));
    int held, used;
    busdma_machine_bounce_pages(&fm->bm, &held, &used);
    CHECK_EQ(used, 2);
    for (int i = 0; i < map->dm_nsegs; i++)
        CHECK_EQ(map->dm_segs[i].ds_addr & 63, 0);
    CHECK_EQ(bus_dmamap_unload(tag, map), 0);
    CHECK_EQ(bus_dmamap_destroy(tag, map), 0);
    bus_dmatag_destroy(tag);
    CHECK_EQ(fake_return(fm, buf, 0x3000), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

static void no_bounce_frames_is_enomem_and_nothing_is_kept(void)
{
    struct fixture f;
    CHECK_EQ(setup(&f, window(0, LOW_END), 0x3000), 0);
    uint8_t *buf = fake_borrow(f.fm, 0x3000, HIGH_BASE, ALL_LAST);
    int before = f.fm->frames_in_use;
    f.fm->frame_fail_after = 0;
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf, 0x3000, NULL, 0), ENOMEM);
    CHECK_EQ(f.fm->frames_in_use, before);
    CHECK_EQ(f.map->dm_nsegs, 0);
    /* Recovery: frames again, the same map loads. */
    f.fm->frame_fail_after = -1;
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf, 0x3000, NULL, 0), 0);
    CHECK_EQ(bus_dmamap_unload(f.tag, f.map), 0);
    /* The zone's limit: a machine allowing 2 bounce pages refuses a 3-page bounce. */
    CHECK_EQ(fake_return(f.fm, buf, 0x3000), 0);
    CHECK(teardown(&f));

    struct fake_machine *fm = fake_machine_board();
    fm->bm.bm_bounce_limit = 2;
    bus_dma_tag_t tag;
    bus_dmamap_t map;
    struct bus_dma_tag_limits l = window(0, LOW_END);
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    CHECK_EQ(bus_dmamap_create(tag, 0x3000, 0, 0, 0, 0, &map), 0);
    buf = fake_borrow(fm, 0x3000, HIGH_BASE, ALL_LAST);
    CHECK_EQ(bus_dmamap_load(tag, map, buf, 0x3000, NULL, 0), ENOMEM);
    CHECK_EQ(bus_dmamap_load(tag, map, buf, 0x2000, NULL, 0), 0);
    CHECK_EQ(bus_dmamap_unload(tag, map), 0);
    CHECK_EQ(bus_dmamap_destroy(tag, map), 0);
    bus_dmatag_destroy(tag);
    CHECK_EQ(fake_return(fm, buf, 0x3000), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

static void efbig_after_growing_the_zone_gives_the_growth_back(void)
{
    struct fixture f;
    struct bus_dma_tag_limits l = window(0, LOW_END);
    l.dt_boundary = 0x1000;
    l.dt_nsegments = 2;
    CHECK_EQ(setup(&f, l, 0x4000), 0);
    uint8_t *buf = fake_borrow(f.fm, 0x4000, HIGH_BASE, ALL_LAST);
    int before = f.fm->frames_in_use;
    CHECK_EQ(bus_dmamap_load(f.tag, f.map, buf, 0x3000, NULL, 0), EFBIG);
    CHECK_EQ(f.fm->frames_in_use, before);
    CHECK_EQ(fake_return(f.fm, buf, 0x4000), 0);
    CHECK(teardown(&f));
}

static void raw_load_uses_segments_as_they_are(void)
{
    struct fixture f;
    struct bus_dma_tag_limits l = window(0, FOUR_GIB_LAST);
    l.dt_maxsegsz = 0x1000;
    CHECK_EQ(setup(&f, l, 0x4000), 0);
    bus_dma_segment_t segs[4];
    int rsegs;
    CHECK_EQ(bus_dmamem_alloc(f.tag, 0x3000, 0, 0, segs, 4, &rsegs, BUS_DMA_NOWAIT), 0);
    CHECK_EQ(bus_dmamap_load_raw(f.tag, f.map, segs, rsegs, 0x2800, 0), 0);
    CHECK_EQ(f.map->dm_nsegs, 3);
    CHECK_EQ(f.map->dm_segs[0].ds_addr, segs[0].ds_addr);
    CHECK_EQ(f.map->dm_segs[2].ds_len, 0x800);
    CHECK(!bus_dmamap_is_bounced(f.map));
    CHECK_EQ(bus_dmamap_unload(f.tag, f.map), 0);
    CHECK_EQ(bus_dmamap_load_raw(f.tag, f.map, segs, rsegs, 0x4000, 0), EINVAL);  /* holds less */
    bus_dma_segment_t high = { HIGH_BASE, 0x1000 };
    CHECK_EQ(bus_dmamap_load_raw(f.tag, f.map, &high, 1, 0x1000, 0), EINVAL);      /* unreachable */
    bus_dma_segment_t hole = { 0x40000000, 0x1000 };
    CHECK_EQ(bus_dmamap_load_raw(f.tag, f.map, &hole, 1, 0x1000, 0), EINVAL);      /* not RAM */
    CHECK_EQ(bus_dmamem_free(f.tag, segs, rsegs), 0);
    CHECK(teardown(&f));
}

const struct test_case load_tests[] = {
    TEST(buffer_in_the_window_is_one_segment),
    TEST(segments_split_at_the_boundary_and_the_max_segment_size),
    TEST(too_many_segments_is_efbig_and_the_map_can_load_again),
    TEST(bad_loads_are_einval_or_ebusy),
    TEST(buffer_outside_the_window_bounces_into_it),
    TEST(buffer_straddling_the_window_bounces_only_the_part_outside),
    TEST(misaligned_start_bounces_the_first_chunk_only),
    TEST(each_run_of_bounced_chunks_starts_on_a_fresh_bounce_page),
    TEST(no_bounce_frames_is_enomem_and_nothing_is_kept),
    TEST(efbig_after_growing_the_zone_gives_the_growth_back),
    TEST(raw_load_uses_segments_as_they_are),
    { NULL, NULL }
};
