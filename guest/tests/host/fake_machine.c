/*
 * fake_machine.c - see fake_machine.h.
 */
#include "fake_machine.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The machine hooks of bus_dma(9) are global functions in a kernel: one machine at a time. */
static struct fake_machine *current;

static int find_region(struct fake_machine *fm, bus_addr_t pa)
{
    for (int i = 0; i < fm->nregions; i++)
        if (pa >= fm->regions[i].base && pa - fm->regions[i].base < fm->regions[i].size)
            return i;
    return -1;
}

void *fake_kva(struct fake_machine *fm, bus_addr_t pa)
{
    int r = find_region(fm, pa);
    return r < 0 ? NULL : fm->regions[r].mem + (pa - fm->regions[r].base);
}

static void *hook_phys_to_kva(bus_addr_t pa)
{
    return fake_kva(current, pa);
}

static int hook_kva_to_phys(const void *kva, bus_addr_t *pa)
{
    const uint8_t *p = kva;
    for (int i = 0; i < current->nregions; i++) {
        const uint8_t *mem = current->regions[i].mem;
        if (p >= mem && (bus_size_t)(p - mem) < current->regions[i].size) {
            *pa = current->regions[i].base + (bus_addr_t)(p - mem);
            return 0;
        }
    }
    return EINVAL;
}

static void *hook_kmem_alloc(size_t size)
{
    if (current->kmem_fail_after == 0)
        return NULL;
    if (current->kmem_fail_after > 0)
        current->kmem_fail_after--;
    void *p = malloc(size == 0 ? 1 : size);
    if (p != NULL)
        current->kmem_outstanding += (long)size;
    return p;
}

static void hook_kmem_free(void *ptr, size_t size)
{
    current->kmem_outstanding -= (long)size;
    free(ptr);
}

static void log_cache(char op, void *kva, size_t len)
{
    bus_addr_t pa = 0;
    hook_kva_to_phys(kva, &pa);
    if (current->ncache < FAKE_MAX_CACHE_LOG) {
        current->cache[current->ncache].op = op;
        current->cache[current->ncache].pa = pa;
        current->cache[current->ncache].len = len;
    }
    current->ncache++;
}

static void hook_wback(void *kva, size_t len) { log_cache('w', kva, len); }
static void hook_inv(void *kva, size_t len) { log_cache('i', kva, len); }
static void hook_wbinv(void *kva, size_t len) { log_cache('b', kva, len); }

static void hook_barrier(void)
{
    current->barriers++;
}

/* ---- frame source ---- */

static int page_free(struct fake_machine *fm, bus_addr_t pa)
{
    int r = find_region(fm, pa);
    return r >= 0 && fm->regions[r].pooled && !fm->regions[r].used[(pa - fm->regions[r].base) / FAKE_PAGE];
}

static void set_used(struct fake_machine *fm, bus_addr_t pa, bus_size_t len, int used)
{
    for (bus_addr_t p = pa; p < pa + len; p += FAKE_PAGE) {
        int r = find_region(fm, p);
        fm->regions[r].used[(p - fm->regions[r].base) / FAKE_PAGE] = (uint8_t)used;
    }
    fm->frames_in_use += (used ? 1 : -1) * (int)(len / FAKE_PAGE);
}

/* Cuts [addr, addr + len) at boundary multiples and maxsegsz into segs; returns the count,
 * or max + 1 when it does not fit. */
static int cut(bus_addr_t addr, bus_size_t len, bus_size_t boundary, bus_size_t maxsegsz,
               bus_dma_segment_t *segs, int count, int max)
{
    while (len > 0) {
        bus_size_t take = len;
        if (boundary != 0 && take > boundary - (addr & (boundary - 1)))
            take = boundary - (addr & (boundary - 1));
        if (maxsegsz != 0 && take > maxsegsz)
            take = maxsegsz;
        if (count == max)
            return max + 1;
        segs[count].ds_addr = addr;
        segs[count].ds_len = take;
        count++;
        addr += take;
        len -= take;
    }
    return count;
}

static int try_contiguous(struct fake_machine *fm, bus_size_t bytes, const struct frame_constraints *c,
                          bus_size_t align, bus_dma_segment_t *segs, int *rsegs)
{
    for (int r = 0; r < fm->nregions; r++) {
        if (!fm->regions[r].pooled)
            continue;
        bus_addr_t base = fm->regions[r].base, end = base + fm->regions[r].size;
        bus_addr_t start = base > c->fc_low ? base : c->fc_low;
        start = (start + align - 1) / align * align;
        for (; start + bytes <= end && start + bytes - 1 <= c->fc_high; start += align) {
            bus_addr_t p;
            for (p = start; p < start + bytes && page_free(fm, p); p += FAKE_PAGE)
                ;
            if (p < start + bytes)
                continue;
            int n = cut(start, bytes, c->fc_boundary, c->fc_maxsegsz, segs, 0, c->fc_nsegs);
            if (n > c->fc_nsegs)
                continue;
            *rsegs = n;
            return 0;
        }
    }
    return ENOMEM;
}

static int try_scattered(struct fake_machine *fm, bus_size_t bytes, const struct frame_constraints *c,
                         bus_size_t align, bus_dma_segment_t *segs, int *rsegs)
{
    int n = 0;
    bus_size_t got = 0;
    for (int r = 0; r < fm->nregions && got < bytes; r++) {
        if (!fm->regions[r].pooled)
            continue;
        bus_addr_t base = fm->regions[r].base, end = base + fm->regions[r].size;
        bus_addr_t p = base > c->fc_low ? base : c->fc_low;
        p = (p + FAKE_PAGE - 1) / FAKE_PAGE * FAKE_PAGE;
        for (; p < end && p + FAKE_PAGE - 1 <= c->fc_high && got < bytes; p += FAKE_PAGE) {
            if (!page_free(fm, p) || (n == 0 && (p & (align - 1)) != 0))
                continue;
            int joins = n > 0 && segs[n - 1].ds_addr + segs[n - 1].ds_len == p
                && (c->fc_maxsegsz == 0 || segs[n - 1].ds_len + FAKE_PAGE <= c->fc_maxsegsz)
                && (c->fc_boundary == 0
                    || segs[n - 1].ds_addr / c->fc_boundary == p / c->fc_boundary);
            if (joins) {
                segs[n - 1].ds_len += FAKE_PAGE;
            } else {
                if (n == c->fc_nsegs)
                    return ENOMEM;
                segs[n].ds_addr = p;
                segs[n].ds_len = FAKE_PAGE;
                n++;
            }
            got += FAKE_PAGE;
        }
    }
    if (got < bytes)
        return ENOMEM;
    *rsegs = n;
    return 0;
}

static int fs_alloc(void *cookie, bus_size_t size, const struct frame_constraints *c,
                    bus_dma_segment_t *segs, int *rsegs)
{
    struct fake_machine *fm = cookie;
    if (size == 0 || c->fc_nsegs < 1 || c->fc_low > c->fc_high
        || (c->fc_alignment != 0 && (c->fc_alignment & (c->fc_alignment - 1)) != 0)
        || (c->fc_boundary != 0 && ((c->fc_boundary & (c->fc_boundary - 1)) != 0
                                    || c->fc_boundary < FAKE_PAGE))
        || (c->fc_maxsegsz != 0 && c->fc_maxsegsz < FAKE_PAGE))
        return EINVAL;
    if (fm->frame_fail_after == 0)
        return ENOMEM;
    bus_size_t bytes = (size + FAKE_PAGE - 1) / FAKE_PAGE * FAKE_PAGE;
    bus_size_t align = c->fc_alignment > FAKE_PAGE ? c->fc_alignment : FAKE_PAGE;
    int n = 0;
    int error = try_contiguous(fm, bytes, c, align, segs, &n);
    if (error != 0 && c->fc_nsegs > 1)
        error = try_scattered(fm, bytes, c, align, segs, &n);
    if (error != 0 || n > 64)
        return ENOMEM;
    int slot;
    for (slot = 0; slot < FAKE_MAX_ALLOCS && fm->allocs[slot] != NULL; slot++)
        ;
    if (slot == FAKE_MAX_ALLOCS)
        return ENOMEM;
    struct fake_alloc *a = malloc(sizeof(*a));
    if (a == NULL)
        return ENOMEM;
    a->nsegs = n;
    memcpy(a->segs, segs, (size_t)n * sizeof(*segs));
    fm->allocs[slot] = a;
    for (int i = 0; i < n; i++)
        set_used(fm, segs[i].ds_addr, segs[i].ds_len, 1);
    if (fm->frame_fail_after > 0)
        fm->frame_fail_after--;
    fm->frame_allocs++;
    *rsegs = n;
    return 0;
}

static int same_segments(const struct fake_alloc *a, const bus_dma_segment_t *segs, int n)
{
    if (a->nsegs != n)
        return 0;
    for (int i = 0; i < n; i++) {
        int found = 0;
        for (int j = 0; j < n && !found; j++)
            found = a->segs[j].ds_addr == segs[i].ds_addr && a->segs[j].ds_len == segs[i].ds_len;
        if (!found)
            return 0;
    }
    return 1;
}

static int fs_free(void *cookie, const bus_dma_segment_t *segs, int nsegs)
{
    struct fake_machine *fm = cookie;
    for (int slot = 0; slot < FAKE_MAX_ALLOCS; slot++) {
        struct fake_alloc *a = fm->allocs[slot];
        if (a != NULL && same_segments(a, segs, nsegs)) {
            for (int i = 0; i < a->nsegs; i++)
                set_used(fm, a->segs[i].ds_addr, a->segs[i].ds_len, 0);
            free(a);
            fm->allocs[slot] = NULL;
            return 0;
        }
    }
    return EINVAL;
}

static const struct frame_source_ops fake_frame_ops = { fs_alloc, fs_free };

/* ---- machine ---- */

struct fake_machine *fake_machine_new(const struct fake_region_spec *specs, int n, int non_coherent)
{
    struct fake_machine *fm = calloc(1, sizeof(*fm));
    if (fm == NULL || n > FAKE_MAX_REGIONS)
        abort();
    for (int i = 0; i < n; i++) {
        fm->regions[i].base = specs[i].base;
        fm->regions[i].size = specs[i].size;
        fm->regions[i].pooled = specs[i].pooled;
        fm->regions[i].mem = aligned_alloc(FAKE_PAGE, (size_t)specs[i].size);
        fm->regions[i].used = calloc((size_t)(specs[i].size / FAKE_PAGE), 1);
        if (fm->regions[i].mem == NULL || fm->regions[i].used == NULL)
            abort();
        memset(fm->regions[i].mem, 0xEE, (size_t)specs[i].size);
    }
    fm->nregions = n;
    fm->frame_fail_after = -1;
    fm->kmem_fail_after = -1;
    fm->fs.fs_ops = &fake_frame_ops;
    fm->fs.fs_cookie = fm;
    fm->fs.fs_page_size = FAKE_PAGE;
    fm->bm.bm_frames = &fm->fs;
    fm->bm.bm_phys_to_kva = hook_phys_to_kva;
    fm->bm.bm_kva_to_phys = hook_kva_to_phys;
    fm->bm.bm_kmem_alloc = hook_kmem_alloc;
    fm->bm.bm_kmem_free = hook_kmem_free;
    fm->bm.bm_barrier = hook_barrier;
    if (non_coherent) {
        fm->bm.bm_cache_wback = hook_wback;
        fm->bm.bm_cache_inv = hook_inv;
        fm->bm.bm_cache_wbinv = hook_wbinv;
    }
    current = fm;
    if (busdma_machine_init(&fm->bm) != 0)
        abort();
    return fm;
}

struct fake_machine *fake_machine_board(void)
{
    static const struct fake_region_spec board[] = {
        { 0x0, 0x100000, 1 },
        { 0x80000000ull, 0x200000, 1 },
        { 0x100000000ull, 0x200000, 1 },
    };
    return fake_machine_new(board, 3, 0);
}

void fake_machine_free(struct fake_machine *fm)
{
    for (int i = 0; i < FAKE_MAX_ALLOCS; i++)
        free(fm->allocs[i]);
    for (int i = 0; i < fm->nregions; i++) {
        free(fm->regions[i].mem);
        free(fm->regions[i].used);
    }
    if (current == fm)
        current = NULL;
    free(fm);
}

void *fake_borrow(struct fake_machine *fm, bus_size_t size, bus_addr_t low, bus_addr_t high)
{
    struct frame_constraints c = { low, high, 0, 0, 0, 1 };
    bus_dma_segment_t seg;
    int n;
    if (fs_alloc(fm, size, &c, &seg, &n) != 0)
        return NULL;
    return fake_kva(fm, seg.ds_addr);
}

int fake_return(struct fake_machine *fm, void *kva, bus_size_t size)
{
    bus_dma_segment_t seg;
    if (hook_kva_to_phys(kva, &seg.ds_addr) != 0)
        return EINVAL;
    seg.ds_len = (size + FAKE_PAGE - 1) / FAKE_PAGE * FAKE_PAGE;
    return fs_free(fm, &seg, 1);
}

/* ---- the device ---- */

/* Physical address of device address da for an access of the map's device, checking the
 * window and (through an IOMMU) the rights; the access must not leave the page. */
static int device_translate(bus_dmamap_t map, bus_addr_t da, int write, bus_addr_t *pa)
{
    const struct bus_dma_tag_limits *lim = bus_dma_tag_limits(map->_dm_tag);
    if (da < lim->dt_low || da > lim->dt_high)
        return EIO;
    if (lim->dt_iommu == NULL) {
        *pa = da;
        return 0;
    }
    int prot;
    if (busdma_iommu_lookup(lim->dt_iommu, da, pa, &prot) != 0)
        return EIO;
    return (prot & (write ? BUSDMA_PROT_WRITE : BUSDMA_PROT_READ)) != 0 ? 0 : EIO;
}

/* Moves through a map's segments: the device address of byte `done`, and how many bytes
 * follow it in the same segment and page. */
struct seg_cursor {
    bus_dmamap_t map;
    int seg;
    bus_size_t in_seg;
};

static int cursor_next(struct seg_cursor *cur, bus_addr_t *da, bus_size_t *avail)
{
    while (cur->seg < cur->map->dm_nsegs && cur->in_seg == cur->map->dm_segs[cur->seg].ds_len) {
        cur->seg++;
        cur->in_seg = 0;
    }
    if (cur->seg >= cur->map->dm_nsegs)
        return EIO;
    *da = cur->map->dm_segs[cur->seg].ds_addr + cur->in_seg;
    *avail = cur->map->dm_segs[cur->seg].ds_len - cur->in_seg;
    bus_size_t to_page = FAKE_PAGE - (*da & (FAKE_PAGE - 1));
    if (*avail > to_page)
        *avail = to_page;
    return 0;
}

int fake_device_copy(struct fake_machine *fm, bus_dmamap_t src, bus_dmamap_t dst, bus_size_t len)
{
    struct seg_cursor s = { src, 0, 0 }, d = { dst, 0, 0 };
    while (len > 0) {
        bus_addr_t sda, dda, spa, dpa;
        bus_size_t savail, davail;
        if (cursor_next(&s, &sda, &savail) != 0 || cursor_next(&d, &dda, &davail) != 0)
            return EIO;
        bus_size_t take = savail < davail ? savail : davail;
        if (take > len)
            take = len;
        if (device_translate(src, sda, 0, &spa) != 0 || device_translate(dst, dda, 1, &dpa) != 0)
            return EIO;
        uint8_t *from = fake_kva(fm, spa), *to = fake_kva(fm, dpa);
        if (from == NULL || to == NULL)
            return EIO;
        memmove(to, from, (size_t)take);
        s.in_seg += take;
        d.in_seg += take;
        len -= take;
    }
    return 0;
}

int fake_device_fill(struct fake_machine *fm, bus_dmamap_t dst, bus_size_t len, uint8_t seed)
{
    struct seg_cursor d = { dst, 0, 0 };
    bus_size_t done = 0;
    while (done < len) {
        bus_addr_t da, pa;
        bus_size_t avail;
        if (cursor_next(&d, &da, &avail) != 0 || device_translate(dst, da, 1, &pa) != 0)
            return EIO;
        if (avail > len - done)
            avail = len - done;
        uint8_t *to = fake_kva(fm, pa);
        if (to == NULL)
            return EIO;
        for (bus_size_t i = 0; i < avail; i++)
            to[i] = (uint8_t)(seed + done + i);
        d.in_seg += avail;
        done += avail;
    }
    return 0;
}

uint64_t fake_random(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *state = x;
    return x * 0x2545F4914F6CDD1Dull;
}

void fake_pattern(void *buf, size_t len, uint32_t seed)
{
    uint8_t *p = buf;
    for (size_t i = 0; i < len; i++)
        p[i] = (uint8_t)((seed * 0x9E3779B1u + (uint32_t)i * 0x01000193u) >> 13);
}

int fake_pattern_check(const void *buf, size_t len, uint32_t seed)
{
    const uint8_t *p = buf;
    for (size_t i = 0; i < len; i++)
        if (p[i] != (uint8_t)((seed * 0x9E3779B1u + (uint32_t)i * 0x01000193u) >> 13))
            return 0;
    return 1;
}
