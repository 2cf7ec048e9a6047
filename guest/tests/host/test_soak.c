/*
 * test_soak.c - seeded random loads: every mapping obeys its tag, and a device copy through
 * the segments, with the syncs, moves every byte (and nothing else).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "test_util.h"

#define SOAK_ROUNDS 600
#define SOAK_SEED 0x5eed2026ull
#define MAX_LEN 0x5000

/* Every segment in the window, aligned, inside one boundary window, within the max segment
 * size; at most the map's count; together exactly the mapping. */
static int obeys(bus_dmamap_t map, const struct bus_dma_tag_limits *l, bus_size_t len)
{
    const struct bus_dma_tag_limits *tl = bus_dma_tag_limits(map->_dm_tag);
    bus_size_t total = 0;
    if (map->dm_nsegs < 1 || map->dm_nsegs > map->_dm_segcnt || map->dm_nsegs > l->dt_nsegments)
        return 0;
    for (int i = 0; i < map->dm_nsegs; i++) {
        bus_addr_t a = map->dm_segs[i].ds_addr;
        bus_size_t n = map->dm_segs[i].ds_len;
        if (n == 0 || a < tl->dt_low || a + n - 1 > tl->dt_high)
            return 0;
        if ((a & (tl->dt_alignment - 1)) != 0 || n > map->dm_maxsegsz)
            return 0;
        if (l->dt_boundary != 0 && a / l->dt_boundary != (a + n - 1) / l->dt_boundary)
            return 0;
        total += n;
    }
    return total == len && map->dm_mapsize == len;
}

static void random_loads_obey_their_tags_and_copy_every_byte(void)
{
    struct fake_machine *fm = fake_machine_board();
    uint64_t rng = SOAK_SEED;
    struct busdma_iommu *io;
    CHECK_EQ(busdma_iommu_create(&fm->bm, 0x40000000, 0x400000, NULL, NULL, &io), 0);
    /* Buffers: one 24 KiB area in each range (the test's "kernel memory"). */
    uint8_t *areas[3] = {
        fake_borrow(fm, 0x6000, 0, LOW_END),
        fake_borrow(fm, 0x6000, DMA32_BASE, FOUR_GIB_LAST),
        fake_borrow(fm, 0x6000, HIGH_BASE, ALL_LAST),
    };
    uint8_t *target = fake_borrow(fm, 0x6000, DMA32_BASE, FOUR_GIB_LAST);
    CHECK(areas[0] != NULL && areas[1] != NULL && areas[2] != NULL && target != NULL);
    int bounced = 0, translated = 0, efbig = 0;
    for (int round = 0; round < SOAK_ROUNDS; round++) {
        struct bus_dma_tag_limits l;
        switch (fake_random(&rng) % 4) {
        case 0: l = window(0, LOW_END); break;                  /* a 24-bit device, scaled */
        case 1: l = window(0, FOUR_GIB_LAST); break;            /* a 32-bit device */
        case 2: l = window(0x40000000, 0x403FFFFF); l.dt_iommu = io; break;
        default: l = window(0, ALL_LAST); break;
        }
        static const bus_size_t aligns[] = { 1, 1, 4, 8, 64 };
        l.dt_alignment = aligns[fake_random(&rng) % 5];
        static const bus_size_t bounds[] = { 0, 0, 0x1000, 0x2000, 0x10000 };
        l.dt_boundary = bounds[fake_random(&rng) % 5];
        static const bus_size_t maxsegs[] = { 0, 0, 0x800, 0x1000, 0x3000 };
        l.dt_maxsegsz = maxsegs[fake_random(&rng) % 5];
        l.dt_nsegments = 1 + (int)(fake_random(&rng) % 12);
        bus_size_t len = 1 + fake_random(&rng) % MAX_LEN;
        bus_size_t offset = fake_random(&rng) % (0x6000 - len + 1);
        uint8_t *src = areas[fake_random(&rng) % 3] + offset;
        uint8_t *dst = target + (fake_random(&rng) % (0x6000 - len + 1));
        uint32_t seed = (uint32_t)fake_random(&rng);

        bus_dma_tag_t tag;
        bus_dmamap_t smap, dmap;
        CHECK_EQ(bus_dma_tag_create(&fm->bm, &l, &tag), 0);
        CHECK_EQ(bus_dmamap_create(tag, MAX_LEN, 0, 0, 0, 0, &smap), 0);
        CHECK_EQ(bus_dmamap_create(tag, MAX_LEN, 0, 0, 0, 0, &dmap), 0);
        fake_pattern(src, (size_t)len, seed);
        memset(target, 0xC3, 0x6000);
        int e1 = bus_dmamap_load(tag, smap, src, len, NULL, BUS_DMA_WRITE);
        int e2 = e1 == 0 ? bus_dmamap_load(tag, dmap, dst, len, NULL, BUS_DMA_READ) : e1;
        if (e1 != 0 || e2 != 0) {
            int error = e1 != 0 ? e1 : e2;
            /* Only what the limits explain: too many segments, or a misaligned start an IOMMU
             * cannot bounce. */
            if (!(error == EFBIG || (error == EINVAL && l.dt_iommu != NULL && l.dt_alignment > 1))) {
                printf("    round %d: load failed with %d\n", round, error);
                CHECK(0);
            }
            efbig += error == EFBIG;
            if (e1 == 0)
                CHECK_EQ(bus_dmamap_unload(tag, smap), 0);
        } else {
            if (!obeys(smap, &l, len) || !obeys(dmap, &l, len)) {
                printf("    round %d: segments break the tag's limits\n", round);
                CHECK(0);
            }
            bounced += bus_dmamap_is_bounced(smap) + bus_dmamap_is_bounced(dmap);
            translated += bus_dmamap_is_translated(smap);
            CHECK_EQ(bus_dmamap_sync(tag, smap, 0, len, BUS_DMASYNC_PREWRITE), 0);
            CHECK_EQ(bus_dmamap_sync(tag, dmap, 0, len, BUS_DMASYNC_PREREAD), 0);
            CHECK_EQ(fake_device_copy(fm, smap, dmap, len), 0);
            CHECK_EQ(bus_dmamap_sync(tag, smap, 0, len, BUS_DMASYNC_POSTWRITE), 0);
            CHECK_EQ(bus_dmamap_sync(tag, dmap, 0, len, BUS_DMASYNC_POSTREAD), 0);
            if (!fake_pattern_check(dst, (size_t)len, seed)) {
                printf("    round %d: bytes differ after the copy\n", round);
                CHECK(0);
            }
            for (uint8_t *p = target; p < target + 0x6000; p++)
                if (p < dst || p >= dst + len)
                    CHECK_EQ(*p, 0xC3);   /* nothing outside the destination changed */
            CHECK_EQ(bus_dmamap_unload(tag, smap), 0);
            CHECK_EQ(bus_dmamap_unload(tag, dmap), 0);
        }
        CHECK_EQ(bus_dmamap_destroy(tag, smap), 0);
        CHECK_EQ(bus_dmamap_destroy(tag, dmap), 0);
        bus_dmatag_destroy(tag);
    }
    /* The mix exercised every path. */
    CHECK(bounced > 50);
    CHECK(translated > 50);
    CHECK(efbig > 5);
    for (int i = 0; i < 3; i++)
        CHECK_EQ(fake_return(fm, areas[i], 0x6000), 0);
    CHECK_EQ(fake_return(fm, target, 0x6000), 0);
    CHECK_EQ(busdma_iommu_destroy(io), 0);
    CHECK(nothing_held(fm));
    fake_machine_free(fm);
}

const struct test_case soak_tests[] = {
    TEST(random_loads_obey_their_tags_and_copy_every_byte),
    { NULL, NULL }
};
