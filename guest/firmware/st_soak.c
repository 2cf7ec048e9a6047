/*
 * st_soak.c - a seeded random soak: sizes, offsets, memory ranges and engines (the 24-bit one
 * bouncing, the 32-bit one direct or through the TLB); every byte of every copy is compared
 * with what was copied, and the bytes around each destination must not change.
 */
#include <errno.h>
#include <string.h>

#include "selftest.h"

#define SOAK_ROUNDS 160
#define SOAK_SEED 0x5eed2026u
#define AREA 0x10000u         /* each buffer area: 64 KiB */
#define MAX_LEN 0xC000u       /* up to 48 KiB per copy */
#define GUARD 64u
#define NOISE 0x20000u        /* random bytes the sources are copied from */

static uint32_t rng_state;

static uint32_t next_random(void)
{
    /* xorshift32 */
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return rng_state = x;
}

static int guards_intact(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != 0xA5)
            return 0;
    return 1;
}

static int soak(void)
{
    static const struct { bus_addr_t low, high; } ranges[3] = {
        { RAM_LOW_BASE, RAM_LOW_BASE + RAM_LOW_SIZE - 1 },
        { RAM_DMA32_BASE, RAM_DMA32_BASE + RAM_DMA32_SIZE - 1 },
        { RAM_HIGH_BASE, RAM_HIGH_BASE + RAM_HIGH_SIZE - 1 },
    };
    static const char *const range_names[3] = { "low", "dma32", "high" };
    static const char *const path_names[3] = { "dma24 bounce", "dma32 direct", "dma32 TLB" };
    uint8_t *src_area[3], *dst_area[3];
    for (int i = 0; i < 3; i++) {
        src_area[i] = borrow_buffer(AREA, ranges[i].low, ranges[i].high);
        dst_area[i] = borrow_buffer(AREA, ranges[i].low, ranges[i].high);
        EXPECT(src_area[i] != NULL && dst_area[i] != NULL, "no buffer area in %s", range_names[i]);
    }
    /* Random bytes made once; each round copies a random stretch of them into its source, so
     * the CPU's share of a round is a few memcpy and memcmp (the engines do the rest). */
    uint8_t *noise = borrow_buffer(NOISE, RAM_HIGH_BASE, RAM_HIGH_BASE + RAM_HIGH_SIZE - 1);
    EXPECT(noise != NULL, "no room for the random bytes");
    rng_state = SOAK_SEED;
    for (uint32_t i = 0; i < NOISE; i += 4) {
        uint32_t r = next_random();
        memcpy(noise + i, &r, 4);
    }
    unsigned long bytes = 0;
    int bounced = 0, translated = 0, result = 0;
    for (int round = 0; round < SOAK_ROUNDS && result == 0; round++) {
        int path = (int)(next_random() % 3);
        int s = (int)(next_random() % 3), d = (int)(next_random() % 3);
        uint32_t len = 1 + next_random() % MAX_LEN;
        uint32_t soff = next_random() % (AREA - len);
        uint32_t doff = GUARD + next_random() % (AREA - len - 2 * GUARD);
        uint32_t from = next_random() % (NOISE - len);
        uint8_t *src = src_area[s] + soff, *dst = dst_area[d] + doff;
        struct engine *e = path == 0 ? &dma24 : &dma32;
        bus_dma_tag_t tag = path == 0 ? dma24.tag : path == 1 ? dma32.tag : iommu_tag;
        memcpy(src, noise + from, len);
        memset(dst - GUARD, 0xA5, GUARD);
        memset(dst, 0, len);   /* a copy that did not happen cannot pass */
        memset(dst + len, 0xA5, GUARD);
        struct copy_report r;
        int error = engine_copy(e, tag, dst, src, len, &r);
        int same = error == 0 && memcmp(dst, noise + from, len) == 0;
        if (!same || !guards_intact(dst - GUARD, GUARD) || !guards_intact(dst + len, GUARD)) {
            result = fail("round %d (%s, %u bytes %s+0x%x -> %s+0x%x): error %d cause %s, %s",
                          round, path_names[path], (unsigned)len, range_names[s], (unsigned)soff,
                          range_names[d], (unsigned)doff, error, sgdma_cause_name(r.cause),
                          same ? "a guard byte changed" : "the bytes differ");
            break;
        }
        bytes += len;
        bounced += r.src_bounced || r.dst_bounced;
        translated += r.translated;
    }
    for (int i = 0; i < 3; i++) {
        return_buffer(src_area[i], AREA);
        return_buffer(dst_area[i], AREA);
    }
    return_buffer(noise, NOISE);
    if (result != 0)
        return result;
    EXPECT(bounced > 0 && translated > 0, "the mix missed a path: %d bounced, %d translated",
           bounced, translated);
    snprintf(test_detail, sizeof(test_detail), "seed 0x%x, %lu bytes, %d bounced, %d through the TLB",
             (unsigned)SOAK_SEED, bytes, bounced, translated);
    return 0;
}

void soak_test(void)
{
    run_test("soak: 160 random transfers, every byte checked", soak);
}
