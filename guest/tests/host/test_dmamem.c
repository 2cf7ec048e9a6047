/*
 * test_dmamem.c - bus_dmamem_alloc/free/map under the tag's constraints.
 */
#include <errno.h>

#include "test_util.h"

static void dmamem_satisfies_the_tag(void)
{
    struct fake_machine *fm = fake_machine_board();
    bus_dma_tag_t tag;
    struct bus_dma_tag_limits l = window(DMA32_BASE, FOUR_GIB_LAST);
    l.dt_alignment = 0x4000;
    l.dt_boundary = 0x10000;
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    /* Put something at the start of the range so alignment has to skip pages. */
    void *first = fake_borrow(fm, 0x1000, DMA32_BASE, FOUR_GIB_LAST);
    bus_dma_segment_t segs[2];
    int rsegs = 0;
    CHECK_EQ(bus_dmamem_alloc(tag, 0x6000, 0, 0, segs, 2, &rsegs, BUS_DMA_NOWAIT), 0);
    CHECK_EQ(rsegs, 1);   /* alignment above a page: one segment */
    CHECK(segs[0].ds_addr >= DMA32_BASE);
    CHECK_EQ(segs[0].ds_addr & 0x3FFF, 0);
    CHECK_EQ(segs[0].ds_addr / 0x10000, (segs[0].ds_addr + 0x5FFF) / 0x10000);
    void *kva;
    CHECK_EQ(bus_dmamem_map(tag, segs, rsegs, 0x6000, &kva, 0), 0);
    CHECK(kva == fake_kva(fm, segs[0].ds_addr));
    memset(kva, 0x5A, 0x6000);
    CHECK_EQ(bus_dmamem_map(tag, segs, rsegs, 0x7000, &kva, 0), EINVAL);   /* more than held */
    bus_dmamem_unmap(tag, kva, 0x6000);
    bus_dma_segment_t wrong = { segs[0].ds_addr, 0x1000 };
    CHECK_EQ(bus_dmamem_free(tag, &wrong, 1), EINVAL);   /* only part of the allocation */
    CHECK_EQ(bus_dmamem_free(tag, segs, rsegs), 0);
    CHECK_EQ(bus_dmamem_free(tag, segs, rsegs), EINVAL);  /* twice */
    CHECK_EQ(fake_return(fm, first, 0x1000), 0);
    bus_dmatag_destroy(tag);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

static void dmamem_errors_are_returned(void)
{
    struct fake_machine *fm = fake_machine_board();
    bus_dma_tag_t tag;
    struct bus_dma_tag_limits l = window(0, LOW_END);
    CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
    bus_dma_segment_t segs[4];
    int rsegs;
    CHECK_EQ(bus_dmamem_alloc(tag, 0x200000, 0, 0, segs, 4, &rsegs, 0), ENOMEM);  /* 2 MiB < 1 MiB */
    CHECK_EQ(bus_dmamem_alloc(tag, 0x1000, 3, 0, segs, 4, &rsegs, 0), EINVAL);
    CHECK_EQ(bus_dmamem_alloc(tag, 0, 0, 0, segs, 4, &rsegs, 0), EINVAL);
    CHECK_EQ(bus_dmamem_alloc(tag, 0x1000, 0, 0, segs, 0, &rsegs, 0), EINVAL);
    CHECK_EQ(fm->frames_in_use, 0);
    /* Several segments when the frame source is fragmented, never more than asked. */
    void *a = fake_borrow(fm, 0x1000, 0x1000, 0x1FFF);
    void *b = fake_borrow(fm, 0x1000, 0x3000, 0x3FFF);
    fm->regions[0].used[4] = 1;   /* keep the rest of the low range busy after page 4... */
    for (int i = 5; i < 256; i++)
        fm->regions[0].used[i] = 1;
    CHECK_EQ(bus_dmamem_alloc(tag, 0x2000, 0, 0, segs, 1, &rsegs, 0), ENOMEM);
    CHECK_EQ(bus_dmamem_alloc(tag, 0x2000, 0, 0, segs, 2, &rsegs, 0), 0);
    CHECK_EQ(rsegs, 2);
    CHECK_EQ(segs[0].ds_addr, 0x0);
    CHECK_EQ(segs[1].ds_addr, 0x2000);
    void *kva;
    CHECK_EQ(bus_dmamem_map(tag, segs, rsegs, 0x2000, &kva, 0), EINVAL);   /* not contiguous */
    CHECK_EQ(bus_dmamem_free(tag, segs, rsegs), 0);
    for (int i = 4; i < 256; i++)
        fm->regions[0].used[i] = 0;
    CHECK_EQ(fake_return(fm, a, 0x1000), 0);
    CHECK_EQ(fake_return(fm, b, 0x1000), 0);
    bus_dmatag_destroy(tag);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

const struct test_case dmamem_tests[] = {
    TEST(dmamem_satisfies_the_tag),
    TEST(dmamem_errors_are_returned),
    { NULL, NULL }
};
