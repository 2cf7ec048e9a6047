/*
 * test_tags.c - tags: consistency checks, narrowing, subregions, references, ALLOCNOW.
 */
#include <errno.h>

#include "test_util.h"

static void tag_create_rejects_inconsistent_limits(void)
{
    struct fake_machine *fm = fake_machine_board();
    bus_dma_tag_t tag = NULL;
    struct bus_dma_tag_limits l = window(0x2000, 0x1000);
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), EINVAL);      /* low above high */
    l = window(0, LOW_END);
    l.dt_alignment = 3;
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), EINVAL);      /* alignment not a power of two */
    l = window(0, LOW_END);
    l.dt_alignment = 0x1000;
    l.dt_boundary = 0x800;
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), EINVAL);      /* boundary below alignment */
    l.dt_boundary = 0x3000;
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), EINVAL);      /* boundary not a power of two */
    l.dt_boundary = 0;
    l.dt_maxsegsz = 0x1800;
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), EINVAL);      /* max segment not aligned */
    l = window(0, LOW_END);
    l.dt_nsegments = 0;
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), EINVAL);
    l = window(0, LOW_END);
    l.dt_flags = 0x40000000;
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), EINVAL);      /* unknown flag */
    CHECK(tag == NULL);
    CHECK_EQ(fm->kmem_outstanding, 0);
    l = window(0, LOW_END);
    l.dt_alignment = 0;   /* 0 means any byte */
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    CHECK_EQ(bus_dma_tag_limits(tag)->dt_alignment, 1);
    bus_dmatag_destroy(tag);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

static void derived_tags_may_only_narrow(void)
{
    struct fake_machine *fm = fake_machine_board();
    bus_dma_tag_t parent, child = NULL;
    struct bus_dma_tag_limits l = window(0, 0xFFFFFF);
    l.dt_alignment = 16;
    l.dt_boundary = 0x10000;
    l.dt_maxsegsz = 0x8000;
    l.dt_nsegments = 8;
    l.dt_maxsize = 0x20000;
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &parent), 0);
    struct bus_dma_tag_limits c = l;
    c.dt_high = 0x1FFFFFF;
    CHECK_EQ(bus_dma_tag_derive(parent, &c, &child), EINVAL);
    c = l;
    c.dt_alignment = 8;
    CHECK_EQ(bus_dma_tag_derive(parent, &c, &child), EINVAL);
    c = l;
    c.dt_boundary = 0;   /* none is wider than 64 KiB */
    CHECK_EQ(bus_dma_tag_derive(parent, &c, &child), EINVAL);
    c = l;
    c.dt_maxsegsz = 0x10000;
    CHECK_EQ(bus_dma_tag_derive(parent, &c, &child), EINVAL);
    c = l;
    c.dt_nsegments = 9;
    CHECK_EQ(bus_dma_tag_derive(parent, &c, &child), EINVAL);
    c = l;
    c.dt_maxsize = 0;
    CHECK_EQ(bus_dma_tag_derive(parent, &c, &child), EINVAL);
    CHECK(child == NULL);
    c = l;
    c.dt_high = 0xFFFF;
    c.dt_alignment = 64;
    c.dt_boundary = 0x1000;
    c.dt_maxsegsz = 0x800;
    c.dt_nsegments = 2;
    c.dt_maxsize = 0x1000;
    CHECK_EQ(bus_dma_tag_derive(parent, &c, &child), 0);
    CHECK_EQ(bus_dma_tag_limits(child)->dt_high, 0xFFFF);
    bus_dmatag_destroy(child);
    bus_dmatag_destroy(parent);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

static void subregion_narrows_the_window_and_bounces_what_it_excludes(void)
{
    struct fake_machine *fm = fake_machine_board();
    bus_dma_tag_t parent, sub, bad = NULL;
    struct bus_dma_tag_limits l = window(0, FOUR_GIB_LAST);
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &parent), 0);
    CHECK_EQ(bus_dmatag_subregion(parent, 0x1000, 0x100000000ull, &bad, 0), EINVAL);
    CHECK_EQ(bus_dmatag_subregion(parent, 0x2000, 0x1000, &bad, 0), EINVAL);
    CHECK(bad == NULL);
    CHECK_EQ(bus_dmatag_subregion(parent, 0, LOW_END, &sub, 0), 0);
    void *buf = fake_borrow(fm, 0x2000, DMA32_BASE, FOUR_GIB_LAST);
    CHECK(buf != NULL);
    bus_dmamap_t pm, sm;
    CHECK_EQ(bus_dmamap_create(parent, 0x2000, 0, 0, 0, 0, &pm), 0);
    CHECK_EQ(bus_dmamap_create(sub, 0x2000, 0, 0, 0, 0, &sm), 0);
    CHECK_EQ(bus_dmamap_load(parent, pm, buf, 0x2000, NULL, 0), 0);
    CHECK_EQ(bus_dmamap_load(sub, sm, buf, 0x2000, NULL, 0), 0);
    CHECK(!bus_dmamap_is_bounced(pm));
    CHECK(bus_dmamap_is_bounced(sm));
    CHECK_EQ(pm->dm_segs[0].ds_addr, phys_of(fm, buf));
    CHECK(sm->dm_segs[0].ds_addr + sm->dm_segs[0].ds_len - 1 <= LOW_END);
    /* A map keeps its tag: destroying the tags first is allowed. */
    bus_dmatag_destroy(sub);
    bus_dmatag_destroy(parent);
    CHECK_EQ(bus_dmamap_unload(parent, pm), 0);
    CHECK_EQ(bus_dmamap_unload(sub, sm), 0);
    CHECK_EQ(bus_dmamap_destroy(parent, pm), 0);
    CHECK_EQ(bus_dmamap_destroy(sub, sm), 0);
    CHECK_EQ(fake_return(fm, buf, 0x2000), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

static void allocnow_fills_bounce_pages_at_creation(void)
{
    struct fake_machine *fm = fake_machine_board();
    bus_dma_tag_t tag = NULL;
    struct bus_dma_tag_limits l = window(0, LOW_END);
    l.dt_flags = BUS_DMA_ALLOCNOW;
    l.dt_maxsize = 0x5000;
    fm->frame_fail_after = 0;
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), ENOMEM);
    CHECK(tag == NULL);
    CHECK_EQ(fm->frames_in_use, 0);
    fm->frame_fail_after = -1;
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    int held, used;
    busdma_machine_bounce_pages(&fm->bm, &held, &used);
    CHECK_EQ(held, 5);
    CHECK_EQ(used, 0);
    CHECK_EQ(fm->frames_in_use, 5);
    /* A 20 KiB bounced load now needs no frame allocation. */
    void *buf = fake_borrow(fm, 0x5000, HIGH_BASE, ALL_LAST);
    bus_dmamap_t map;
    CHECK_EQ(bus_dmamap_create(tag, 0x5000, 0, 0, 0, 0, &map), 0);
    int allocs = fm->frame_allocs;
    CHECK_EQ(bus_dmamap_load(tag, map, buf, 0x5000, NULL, 0), 0);
    CHECK_EQ(fm->frame_allocs, allocs);
    CHECK(bus_dmamap_is_bounced(map));
    CHECK_EQ(bus_dmamap_unload(tag, map), 0);
    CHECK_EQ(bus_dmamap_destroy(tag, map), 0);
    bus_dmatag_destroy(tag);
    CHECK_EQ(busdma_machine_trim(&fm->bm), 5);
    CHECK_EQ(fake_return(fm, buf, 0x5000), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

static void every_kernel_memory_failure_is_enomem_and_leaks_nothing(void)
{
    /* Fail the n-th kernel allocation for every n a whole bounced load cycle makes. */
    for (int n = 0; n < 40; n++) {
        struct fake_machine *fm = fake_machine_board();
        void *buf = fake_borrow(fm, 0x3000, HIGH_BASE, ALL_LAST);
        CHECK(buf != NULL);
        fm->kmem_fail_after = n;
        bus_dma_tag_t tag = NULL;
        bus_dmamap_t map = NULL;
        struct bus_dma_tag_limits l = window(0, LOW_END);
        int error = bus_dma_tag_create(&fm->bm, &l, &tag);
        if (error == 0)
            error = bus_dmamap_create(tag, 0x3000, 0, 0, 0, 0, &map);
        if (error == 0) {
            error = bus_dmamap_load(tag, map, buf, 0x3000, NULL, 0);
            if (error == 0)
                CHECK_EQ(bus_dmamap_unload(tag, map), 0);
        }
        CHECK(error == 0 || error == ENOMEM);
        if (map != NULL)
            CHECK_EQ(bus_dmamap_destroy(tag, map), 0);
        if (tag != NULL)
            bus_dmatag_destroy(tag);
        fm->kmem_fail_after = -1;
        CHECK_EQ(fake_return(fm, buf, 0x3000), 0);
        CHECK(nothing_held(fm));
        fake_machine_free(fm);
        if (error == 0 && n > 0)
            return;  /* the cycle needed fewer allocations than n: every one was failed once */
    }
    CHECK(0);  /* 40 allocations were never enough: the test is out of date */
}

const struct test_case tag_tests[] = {
    TEST(tag_create_rejects_inconsistent_limits),
    TEST(derived_tags_may_only_narrow),
    TEST(subregion_narrows_the_window_and_bounces_what_it_excludes),
    TEST(allocnow_fills_bounce_pages_at_creation),
    TEST(every_kernel_memory_failure_is_enomem_and_leaks_nothing),
    { NULL, NULL }
};
