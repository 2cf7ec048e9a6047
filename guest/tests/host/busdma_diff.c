/*
 * busdma_diff.c - the C side of the differential test against src/BusDma
 * (tests/BusDma.Tests/GuestLibraryDifferentialTests.cs runs this program).
 *
 * Memory: pool ranges A [0, 1 MiB) and C [2 GiB, +1 MiB), which the frame source hands out (bounce
 * pages come from there), and buffer RAM B [1 MiB, 2 MiB), D [2 GiB + 1 MiB, +1 MiB), E [4 GiB,
 * +1 MiB), which it does not. So a segment is the buffer itself exactly when it lies in B, D or E.
 *
 * Input, one request per line, hexadecimal: low high alignment boundary maxsegsz nsegments
 * mapsize address length (high inclusive). Output, one line per request, in the canonical form
 * both sides print:
 *   tag-error <errno> | map-error <errno> | load-error <errno>
 *   ok size=<n> nsegs=<n> runs=<d|b>@<offset>+<len>,... segs=<addr>+<len>|B+<len>,...
 * runs: which bytes go directly and which bounce (maximal runs); segs: the segments, each run of
 * consecutive bounce-page segments as one B with its total length (bounce page addresses are
 * each allocator's own business). Bounce pages are trimmed after every request, on both sides.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "fake_machine.h"

static const char *errno_name(int e)
{
    switch (e) {
    case EINVAL: return "EINVAL";
    case ENOMEM: return "ENOMEM";
    case EFBIG: return "EFBIG";
    case EBUSY: return "EBUSY";
    default: return "other";
    }
}

static int is_buffer_ram(bus_addr_t a)
{
    return (a >= 0x100000 && a < 0x200000) || (a >= 0x80100000ull && a < 0x80200000ull)
        || (a >= 0x100000000ull && a < 0x100100000ull);
}

static void print_ok(bus_dmamap_t map)
{
    printf("ok size=%llu nsegs=%d runs=", (unsigned long long)map->dm_mapsize, map->dm_nsegs);
    int n;
    const struct busdma_piece *p = bus_dmamap_pieces(map, &n);
    int kind = -1;
    bus_size_t start = 0, len = 0;
    int first = 1;
    for (int i = 0; i <= n; i++) {
        if (i == n || p[i].bp_bounced != kind) {
            if (kind >= 0) {
                printf("%s%c@%llu+%llu", first ? "" : ",", kind ? 'b' : 'd', (unsigned long long)start,
                       (unsigned long long)len);
                first = 0;
            }
            if (i == n)
                break;
            kind = p[i].bp_bounced;
            start = p[i].bp_offset;
            len = 0;
        }
        len += p[i].bp_len;
    }
    printf(" segs=");
    bus_size_t bounce_run = 0;
    first = 1;
    for (int i = 0; i <= map->dm_nsegs; i++) {
        int direct = i < map->dm_nsegs && is_buffer_ram(map->dm_segs[i].ds_addr);
        if ((i == map->dm_nsegs || direct) && bounce_run > 0) {
            printf("%sB+%llu", first ? "" : ",", (unsigned long long)bounce_run);
            first = 0;
            bounce_run = 0;
        }
        if (i == map->dm_nsegs)
            break;
        if (direct) {
            printf("%s%llx+%llu", first ? "" : ",", (unsigned long long)map->dm_segs[i].ds_addr,
                   (unsigned long long)map->dm_segs[i].ds_len);
            first = 0;
        } else {
            bounce_run += map->dm_segs[i].ds_len;
        }
    }
    printf("\n");
}

int main(void)
{
    static const struct fake_region_spec layout[] = {
        { 0x0, 0x100000, 1 },
        { 0x100000, 0x100000, 0 },
        { 0x80000000ull, 0x100000, 1 },
        { 0x80100000ull, 0x100000, 0 },
        { 0x100000000ull, 0x100000, 0 },
    };
    struct fake_machine *fm = fake_machine_new(layout, 5, 0);
    unsigned long long low, high, align, boundary, maxseg, nsegs, mapsize, addr, len;
    while (scanf("%llx %llx %llx %llx %llx %llx %llx %llx %llx", &low, &high, &align, &boundary,
                 &maxseg, &nsegs, &mapsize, &addr, &len) == 9) {
        struct bus_dma_tag_limits l;
        memset(&l, 0, sizeof(l));
        l.dt_low = low;
        l.dt_high = high;
        l.dt_alignment = align;
        l.dt_boundary = boundary;
        l.dt_maxsegsz = maxseg;
        l.dt_nsegments = (int)nsegs;
        bus_dma_tag_t tag;
        bus_dmamap_t map;
        int error = bus_dma_tag_create(&fm->bm, &l, &tag);
        if (error != 0) {
            printf("tag-error %s\n", errno_name(error));
            continue;
        }
        error = bus_dmamap_create(tag, mapsize, 0, 0, 0, 0, &map);
        if (error != 0) {
            printf("map-error %s\n", errno_name(error));
            bus_dmatag_destroy(tag);
            continue;
        }
        void *kva = fake_kva(fm, addr);
        error = kva == NULL ? EINVAL : bus_dmamap_load(tag, map, kva, len, NULL, 0);
        if (error != 0) {
            printf("load-error %s\n", errno_name(error));
        } else {
            print_ok(map);
            bus_dmamap_unload(tag, map);
        }
        bus_dmamap_destroy(tag, map);
        bus_dmatag_destroy(tag);
        busdma_machine_trim(&fm->bm);   /* each request starts with no bounce page held */
        fflush(stdout);
    }
    fake_machine_free(fm);
    return 0;
}
