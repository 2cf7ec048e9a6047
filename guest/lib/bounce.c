/*
 * bounce.c - bounce zones: pages inside a window, borrowed from the frame source on demand
 * and kept for the next load until trimmed (BouncePool in src/BusDma).
 */
#include <errno.h>
#include <string.h>

#include "busdma_private.h"
#include "busdma_report.h"

/* Pages asked of the frame source in one request when a zone grows. */
#define BOUNCE_GROWTH_CHUNK 64

int busdma_zone_get(struct busdma_machine *bm, bus_addr_t low, bus_addr_t high,
                    bus_size_t alignment, struct busdma_bounce_zone **zonep)
{
    for (struct busdma_bounce_zone *z = bm->_bm_zones; z != NULL; z = z->bz_next) {
        if (z->bz_low == low && z->bz_high == high && z->bz_alignment == alignment) {
            *zonep = z;
            return 0;
        }
    }
    struct busdma_bounce_zone *z = bm->bm_kmem_alloc(sizeof(*z));
    if (z == NULL)
        return ENOMEM;
    memset(z, 0, sizeof(*z));
    z->bz_free = bm->bm_kmem_alloc((size_t)bm->bm_bounce_limit * sizeof(bus_addr_t));
    if (z->bz_free == NULL) {
        bm->bm_kmem_free(z, sizeof(*z));
        return ENOMEM;
    }
    bus_size_t page = bm->bm_frames->fs_page_size;
    z->bz_low = low;
    z->bz_high = high;
    z->bz_alignment = alignment;
    z->bz_page_size = alignment > page ? alignment : page;
    z->bz_limit = bm->bm_bounce_limit;
    z->bz_next = bm->_bm_zones;
    bm->_bm_zones = z;
    *zonep = z;
    return 0;
}

static void insert_free(struct busdma_bounce_zone *z, bus_addr_t page)
{
    int i = z->bz_nfree;
    while (i > 0 && z->bz_free[i - 1] > page) {
        z->bz_free[i] = z->bz_free[i - 1];
        i--;
    }
    z->bz_free[i] = page;
    z->bz_nfree++;
}

static int find_free(const struct busdma_bounce_zone *z, bus_addr_t page)
{
    int lo = 0, hi = z->bz_nfree - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (z->bz_free[mid] == page)
            return mid;
        if (z->bz_free[mid] < page)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return -1;
}

static int alloc_pages(const struct busdma_bounce_zone *z, const struct bounce_alloc *a)
{
    bus_size_t bytes = 0;
    for (int i = 0; i < a->ba_nsegs; i++)
        bytes += a->ba_segs[i].ds_len;
    return (int)(bytes / z->bz_page_size);
}

/* Gives the newest allocation back to the frame source; its pages must all be free. */
static void release_newest(struct busdma_machine *bm, struct busdma_bounce_zone *z)
{
    struct bounce_alloc *a = z->bz_allocs;
    for (int i = 0; i < a->ba_nsegs; i++) {
        for (bus_addr_t p = a->ba_segs[i].ds_addr; p < a->ba_segs[i].ds_addr + a->ba_segs[i].ds_len;
             p += z->bz_page_size) {
            int at = find_free(z, p);
            if (at >= 0) {
                memmove(&z->bz_free[at], &z->bz_free[at + 1],
                        (size_t)(z->bz_nfree - at - 1) * sizeof(bus_addr_t));
                z->bz_nfree--;
            }
        }
    }
    z->bz_total -= alloc_pages(z, a);
    z->bz_allocs = a->ba_next;
    z->bz_nallocs--;
    const struct frame_source *fs = bm->bm_frames;
    busdma_report_bounce(a->ba_segs, a->ba_nsegs, 0);
    fs->fs_ops->fs_free(fs->fs_cookie, a->ba_segs, a->ba_nsegs);
    bm->bm_kmem_free(a, sizeof(*a) + (size_t)a->ba_capacity * sizeof(bus_dma_segment_t));
}

void busdma_zone_shrink_to(struct busdma_machine *bm, struct busdma_bounce_zone *z, int mark)
{
    while (z->bz_nallocs > mark)
        release_newest(bm, z);
}

/* Grows the zone by `pages` pages; atomic: on failure the zone is as before. */
static int grow(struct busdma_machine *bm, struct busdma_bounce_zone *z, int pages)
{
    if (pages > z->bz_limit - z->bz_total)
        return ENOMEM;
    const struct frame_source *fs = bm->bm_frames;
    /* Bounce pages must each start at a multiple of the zone's page size: when that is the
     * frame size one scattered request gives exactly that; otherwise ask page by page. */
    int uniform = z->bz_page_size == fs->fs_page_size;
    int mark = z->bz_nallocs;
    int left = pages;
    while (left > 0) {
        int count = uniform ? (left < BOUNCE_GROWTH_CHUNK ? left : BOUNCE_GROWTH_CHUNK) : 1;
        struct bounce_alloc *a = bm->bm_kmem_alloc(sizeof(*a) + (size_t)count * sizeof(bus_dma_segment_t));
        if (a == NULL) {
            busdma_zone_shrink_to(bm, z, mark);
            return ENOMEM;
        }
        struct frame_constraints c;
        memset(&c, 0, sizeof(c));
        c.fc_low = z->bz_low;
        c.fc_high = z->bz_high;
        c.fc_alignment = z->bz_page_size;
        c.fc_nsegs = count;
        a->ba_capacity = count;
        int error = fs->fs_ops->fs_alloc(fs->fs_cookie, (bus_size_t)count * z->bz_page_size, &c,
                                         a->ba_segs, &a->ba_nsegs);
        if (error != 0) {
            bm->bm_kmem_free(a, sizeof(*a) + (size_t)count * sizeof(bus_dma_segment_t));
            busdma_zone_shrink_to(bm, z, mark);
            return ENOMEM;
        }
        busdma_report_bounce(a->ba_segs, a->ba_nsegs, 1);
        a->ba_next = z->bz_allocs;
        z->bz_allocs = a;
        z->bz_nallocs++;
        if (alloc_pages(z, a) != count) {
            /* A frame source that hands out more than asked would overflow the free list. */
            z->bz_total += alloc_pages(z, a);
            busdma_zone_shrink_to(bm, z, mark);
            return ENOMEM;
        }
        for (int i = 0; i < a->ba_nsegs; i++)
            for (bus_addr_t p = a->ba_segs[i].ds_addr;
                 p < a->ba_segs[i].ds_addr + a->ba_segs[i].ds_len; p += z->bz_page_size)
                insert_free(z, p);
        z->bz_total += count;
        left -= count;
    }
    return 0;
}

int busdma_zone_take(struct busdma_machine *bm, struct busdma_bounce_zone *z, int count,
                     bus_addr_t *dest, int *mark)
{
    *mark = z->bz_nallocs;
    if (count > z->bz_nfree) {
        int error = grow(bm, z, count - z->bz_nfree);
        if (error != 0)
            return error;
    }
    /* Lowest addresses first, so consecutive pages often make one segment. */
    memcpy(dest, z->bz_free, (size_t)count * sizeof(bus_addr_t));
    memmove(z->bz_free, z->bz_free + count, (size_t)(z->bz_nfree - count) * sizeof(bus_addr_t));
    z->bz_nfree -= count;
    return 0;
}

void busdma_zone_return(struct busdma_bounce_zone *z, const bus_addr_t *pages, int count)
{
    for (int i = 0; i < count; i++)
        insert_free(z, pages[i]);
}

int busdma_zone_reserve(struct busdma_machine *bm, struct busdma_bounce_zone *z, int pages)
{
    if (pages <= z->bz_nfree)
        return 0;
    return grow(bm, z, pages - z->bz_nfree);
}

static int all_free(const struct busdma_bounce_zone *z, const struct bounce_alloc *a)
{
    for (int i = 0; i < a->ba_nsegs; i++)
        for (bus_addr_t p = a->ba_segs[i].ds_addr; p < a->ba_segs[i].ds_addr + a->ba_segs[i].ds_len;
             p += z->bz_page_size)
            if (find_free(z, p) < 0)
                return 0;
    return 1;
}

int busdma_zone_trim(struct busdma_machine *bm, struct busdma_bounce_zone *z)
{
    int released = 0;
    /* Unlink each wholly free allocation by moving it to the head, then release it there. */
    struct bounce_alloc **link = &z->bz_allocs;
    while (*link != NULL) {
        struct bounce_alloc *a = *link;
        if (!all_free(z, a)) {
            link = &a->ba_next;
            continue;
        }
        *link = a->ba_next;
        a->ba_next = z->bz_allocs;
        z->bz_allocs = a;
        released += alloc_pages(z, a);
        release_newest(bm, z);
        link = &z->bz_allocs;  /* the list changed at its head: walk it again */
        /* Allocations already kept are skipped quickly on the second walk. */
    }
    return released;
}
