/*
 * bus_dma.c - tags, maps, load/unload, sync and DMA-safe memory (bus_dma(9)).
 *
 * The load follows the contract of src/BusDma (BusDmaLayer.Load): a buffer is cut into chunks
 * at page boundaries; a chunk bounces when it is not wholly inside the tag's window, or when it
 * would start a segment at a misaligned address (it does not continue the previous chunk the
 * device uses directly). Each run of bounced chunks is packed into bounce pages from the start
 * of a fresh page. The segments are then built, split at boundaries and the max segment size and
 * coalesced where adjacent. tests/BusDma.Tests/GuestLibraryDifferentialTests.cs checks that both
 * implementations agree.
 */
#include <errno.h>
#include <limits.h>
#include <string.h>

#include "busdma_private.h"
#include "busdma_report.h"

/* ---- machine ---- */

int busdma_machine_init(struct busdma_machine *bm)
{
    if (bm == NULL || bm->bm_frames == NULL || bm->bm_frames->fs_ops == NULL
        || bm->bm_frames->fs_ops->fs_alloc == NULL || bm->bm_frames->fs_ops->fs_free == NULL
        || bm->bm_phys_to_kva == NULL || bm->bm_kva_to_phys == NULL
        || bm->bm_kmem_alloc == NULL || bm->bm_kmem_free == NULL)
        return EINVAL;
    if (!busdma_is_pow2(bm->bm_frames->fs_page_size) || bm->bm_bounce_limit < 0)
        return EINVAL;
    if (bm->bm_bounce_limit == 0)
        bm->bm_bounce_limit = 1024;
    bm->_bm_zones = NULL;
    return 0;
}

int busdma_machine_fini(struct busdma_machine *bm)
{
    for (struct busdma_bounce_zone *z = bm->_bm_zones; z != NULL; z = z->bz_next)
        if (z->bz_nfree != z->bz_total)
            return EBUSY;
    while (bm->_bm_zones != NULL) {
        struct busdma_bounce_zone *z = bm->_bm_zones;
        busdma_zone_shrink_to(bm, z, 0);
        bm->_bm_zones = z->bz_next;
        bm->bm_kmem_free(z->bz_free, (size_t)z->bz_limit * sizeof(bus_addr_t));
        bm->bm_kmem_free(z, sizeof(*z));
    }
    return 0;
}

int busdma_machine_trim(struct busdma_machine *bm)
{
    int released = 0;
    for (struct busdma_bounce_zone *z = bm->_bm_zones; z != NULL; z = z->bz_next)
        released += busdma_zone_trim(bm, z);
    return released;
}

void busdma_machine_bounce_pages(const struct busdma_machine *bm, int *held, int *in_use)
{
    int total = 0, used = 0;
    for (const struct busdma_bounce_zone *z = bm->_bm_zones; z != NULL; z = z->bz_next) {
        total += z->bz_total;
        used += z->bz_total - z->bz_nfree;
    }
    if (held != NULL)
        *held = total;
    if (in_use != NULL)
        *in_use = used;
}

static bus_size_t page_size_of(const struct busdma_machine *bm)
{
    return bm->bm_frames->fs_page_size;
}

/* ---- segment builder (SegmentBuilder in src/BusDma) ---- */

void busdma_builder_init(struct segment_builder *b, bus_dma_segment_t *segs, int max,
                         bus_size_t maxsegsz, bus_size_t boundary)
{
    b->sb_segs = segs;
    b->sb_max = max;
    b->sb_count = 0;
    b->sb_maxsegsz = busdma_limit(maxsegsz);
    b->sb_boundary = boundary;
    b->sb_last_addr = 0;
    b->sb_last_len = 0;
}

void busdma_builder_add(struct segment_builder *b, bus_addr_t addr, bus_size_t len)
{
    while (len > 0) {
        bus_size_t take = len;
        if (b->sb_boundary != 0) {
            bus_size_t to_boundary = b->sb_boundary - (addr & (b->sb_boundary - 1));
            if (take > to_boundary)
                take = to_boundary;
        }
        int continues = b->sb_count > 0 && b->sb_last_addr + b->sb_last_len == addr
            && b->sb_last_len < b->sb_maxsegsz
            && (b->sb_boundary == 0
                || (b->sb_last_addr & ~(b->sb_boundary - 1)) == (addr & ~(b->sb_boundary - 1)));
        if (continues) {
            if (take > b->sb_maxsegsz - b->sb_last_len)
                take = b->sb_maxsegsz - b->sb_last_len;
            b->sb_last_len += take;
            if (b->sb_count <= b->sb_max)
                b->sb_segs[b->sb_count - 1].ds_len = b->sb_last_len;
        } else {
            if (take > b->sb_maxsegsz)
                take = b->sb_maxsegsz;
            b->sb_count++;
            b->sb_last_addr = addr;
            b->sb_last_len = take;
            if (b->sb_count <= b->sb_max) {
                b->sb_segs[b->sb_count - 1].ds_addr = addr;
                b->sb_segs[b->sb_count - 1].ds_len = take;
            }
        }
        addr += take;
        len -= take;
    }
}

/* ---- tags ---- */

static int normalise(const struct bus_dma_tag_limits *in, struct bus_dma_tag_limits *out)
{
    *out = *in;
    if (out->dt_alignment == 0)
        out->dt_alignment = 1;
    if (in->dt_low > in->dt_high || !busdma_is_pow2(out->dt_alignment))
        return EINVAL;
    if (in->dt_boundary != 0
        && (!busdma_is_pow2(in->dt_boundary) || in->dt_boundary < out->dt_alignment))
        return EINVAL;  /* a boundary split would start a misaligned segment */
    if (in->dt_maxsegsz != 0 && in->dt_maxsegsz % out->dt_alignment != 0)
        return EINVAL;  /* so would a split at the max segment size */
    if (in->dt_nsegments < 1)
        return EINVAL;
    if ((in->dt_flags & ~(BUS_DMA_COHERENT | BUS_DMA_ALLOCNOW | BUS_DMA_NOWAIT
                          | BUS_DMA_STREAMING)) != 0)
        return EINVAL;
    if (in->dt_iommu != NULL) {
        const struct busdma_iommu *io = in->dt_iommu;
        if (in->dt_low < io->io_base || in->dt_high > io->io_base + (io->io_size - 1))
            return EINVAL;
    }
    return 0;
}

/* True when child asks for nothing parent does not allow (both normalised). */
static int narrows(const struct bus_dma_tag_limits *parent, const struct bus_dma_tag_limits *child)
{
    return child->dt_low >= parent->dt_low && child->dt_high <= parent->dt_high
        && child->dt_alignment >= parent->dt_alignment
        && busdma_limit(child->dt_boundary) <= busdma_limit(parent->dt_boundary)
        && busdma_limit(child->dt_maxsegsz) <= busdma_limit(parent->dt_maxsegsz)
        && child->dt_nsegments <= parent->dt_nsegments
        && busdma_limit(child->dt_maxsize) <= busdma_limit(parent->dt_maxsize)
        && child->dt_iommu == parent->dt_iommu;
}

static int add_tag(struct busdma_machine *bm, const struct bus_dma_tag_limits *lim,
                   struct bus_dma_tag *parent, bus_dma_tag_t *tagp)
{
    struct bus_dma_tag *t = bm->bm_kmem_alloc(sizeof(*t));
    if (t == NULL)
        return ENOMEM;
    memset(t, 0, sizeof(*t));
    t->t_machine = bm;
    t->t_lim = *lim;
    t->t_parent = parent;
    t->t_refs = 1;
    if ((lim->dt_flags & BUS_DMA_ALLOCNOW) != 0 && lim->dt_iommu == NULL) {
        struct busdma_bounce_zone *z;
        int error = busdma_zone_get(bm, lim->dt_low, lim->dt_high, lim->dt_alignment, &z);
        if (error == 0) {
            bus_size_t wanted = lim->dt_maxsize == 0 ? 1
                : (lim->dt_maxsize + z->bz_page_size - 1) / z->bz_page_size;
            error = busdma_zone_reserve(bm, z, wanted > INT_MAX ? INT_MAX : (int)wanted);
        }
        if (error != 0) {
            bm->bm_kmem_free(t, sizeof(*t));
            return error;
        }
        t->t_zone = z;
    }
    if (parent != NULL)
        parent->t_refs++;
    *tagp = t;
    return 0;
}

int bus_dma_tag_create(struct busdma_machine *bm, const struct bus_dma_tag_limits *lim,
                       bus_dma_tag_t *tagp)
{
    struct bus_dma_tag_limits n;
    if (bm == NULL || lim == NULL || tagp == NULL)
        return EINVAL;
    int error = normalise(lim, &n);
    if (error != 0)
        return error;
    return add_tag(bm, &n, NULL, tagp);
}

int bus_dma_tag_derive(bus_dma_tag_t parent, const struct bus_dma_tag_limits *lim,
                       bus_dma_tag_t *tagp)
{
    struct bus_dma_tag_limits n;
    if (parent == NULL || lim == NULL || tagp == NULL)
        return EINVAL;
    int error = normalise(lim, &n);
    if (error != 0)
        return error;
    if (!narrows(&parent->t_lim, &n))
        return EINVAL;
    return add_tag(parent->t_machine, &n, parent, tagp);
}

int bus_dmatag_subregion(bus_dma_tag_t tag, bus_addr_t min_addr, bus_addr_t max_addr,
                         bus_dma_tag_t *newtag, int flags)
{
    (void)flags;
    if (tag == NULL)
        return EINVAL;
    struct bus_dma_tag_limits lim = tag->t_lim;
    lim.dt_low = min_addr;
    lim.dt_high = max_addr;
    lim.dt_flags &= ~BUS_DMA_ALLOCNOW;
    return bus_dma_tag_derive(tag, &lim, newtag);
}

static void tag_release(struct bus_dma_tag *t)
{
    while (t != NULL && --t->t_refs == 0) {
        struct bus_dma_tag *parent = t->t_parent;
        t->t_machine->bm_kmem_free(t, sizeof(*t));
        t = parent;
    }
}

void bus_dmatag_destroy(bus_dma_tag_t tag)
{
    if (tag != NULL)
        tag_release(tag);
}

const struct bus_dma_tag_limits *bus_dma_tag_limits(bus_dma_tag_t tag)
{
    return &tag->t_lim;
}

/* ---- maps ---- */

static void map_free_arrays(struct busdma_machine *bm, struct bus_dmamap *m)
{
    if (m->dm_segs != NULL)
        bm->bm_kmem_free(m->dm_segs, (size_t)m->_dm_segcnt * sizeof(bus_dma_segment_t));
    if (m->_dm_pieces != NULL)
        bm->bm_kmem_free(m->_dm_pieces, (size_t)m->_dm_maxpieces * sizeof(struct busdma_piece));
    if (m->_dm_bounce != NULL)
        bm->bm_kmem_free(m->_dm_bounce, (size_t)m->_dm_maxbounce * sizeof(bus_addr_t));
    bm->bm_kmem_free(m, sizeof(*m));
}

int bus_dmamap_create(bus_dma_tag_t tag, bus_size_t size, int nsegments, bus_size_t maxsegsz,
                      bus_size_t boundary, int flags, bus_dmamap_t *mapp)
{
    if (tag == NULL || mapp == NULL || size == 0 || nsegments < 0)
        return EINVAL;
    const struct bus_dma_tag_limits *tl = &tag->t_lim;
    struct busdma_machine *bm = tag->t_machine;
    bus_size_t page = page_size_of(bm);
    int segcnt = nsegments == 0 ? tl->dt_nsegments : nsegments;
    bus_size_t maxseg = maxsegsz == 0 ? tl->dt_maxsegsz : maxsegsz;
    bus_size_t bound = boundary == 0 ? tl->dt_boundary : boundary;
    if (size > busdma_limit(tl->dt_maxsize) || segcnt > tl->dt_nsegments
        || busdma_limit(maxseg) > busdma_limit(tl->dt_maxsegsz)
        || busdma_limit(bound) > busdma_limit(tl->dt_boundary))
        return EINVAL;
    if (maxseg != 0 && maxseg % tl->dt_alignment != 0)
        return EINVAL;
    if (bound != 0 && (!busdma_is_pow2(bound) || bound < tl->dt_alignment))
        return EINVAL;

    /* A load of at most size bytes has at most `chunks` page chunks; each makes at most two
     * pieces (a bounced chunk may straddle two bounce pages) and so at most two bounce pages;
     * splits at the boundary or max segment size add at most size / split + 1 per piece. */
    bus_size_t chunks = size / page + 2;
    if (chunks > INT_MAX / 4)
        return ENOMEM;
    int maxpieces = (int)(2 * chunks);
    bus_size_t split = busdma_min(busdma_limit(maxseg), busdma_limit(bound));
    bus_size_t needed = (bus_size_t)maxpieces + size / split + (bus_size_t)maxpieces;
    if ((bus_size_t)segcnt > needed)
        segcnt = (int)needed;  /* no load can use more; the rest would never be written */

    struct bus_dmamap *m = bm->bm_kmem_alloc(sizeof(*m));
    if (m == NULL)
        return ENOMEM;
    memset(m, 0, sizeof(*m));
    m->_dm_segcnt = segcnt;
    m->_dm_maxpieces = maxpieces;
    m->_dm_maxbounce = maxpieces;
    m->dm_segs = bm->bm_kmem_alloc((size_t)segcnt * sizeof(bus_dma_segment_t));
    m->_dm_pieces = bm->bm_kmem_alloc((size_t)maxpieces * sizeof(struct busdma_piece));
    m->_dm_bounce = bm->bm_kmem_alloc((size_t)maxpieces * sizeof(bus_addr_t));
    if (m->dm_segs == NULL || m->_dm_pieces == NULL || m->_dm_bounce == NULL) {
        map_free_arrays(bm, m);
        return ENOMEM;
    }
    m->dm_maxsegsz = maxseg == 0 ? ~(bus_size_t)0 : maxseg;
    m->_dm_tag = tag;
    m->_dm_size = size;
    m->_dm_boundary = bound;
    m->_dm_flags = flags;
    tag->t_refs++;
    *mapp = m;
    return 0;
}

int bus_dmamap_destroy(bus_dma_tag_t tag, bus_dmamap_t map)
{
    if (tag == NULL || map == NULL || map->_dm_tag != tag)
        return EINVAL;
    if (map->_dm_loaded)
        return EBUSY;
    map_free_arrays(tag->t_machine, map);
    tag_release(tag);
    return 0;
}

/* ---- load ---- */

/* Yields a buffer as chunks that never cross a page: from a CPU pointer, or from physical
 * segments (a raw load). */
struct chunk_iter {
    const struct busdma_machine *ci_bm;
    bus_size_t ci_page;
    const uint8_t *ci_kva;
    const bus_dma_segment_t *ci_segs;
    int ci_nsegs, ci_index;
    bus_addr_t ci_addr;        /* raw: current address in segment ci_index */
    bus_size_t ci_left;        /* bytes left in the buffer */
    bus_size_t ci_seg_left;    /* raw: bytes left in segment ci_index */
};

static void iter_kva(struct chunk_iter *it, const struct busdma_machine *bm, const void *buf,
                     bus_size_t len)
{
    memset(it, 0, sizeof(*it));
    it->ci_bm = bm;
    it->ci_page = page_size_of(bm);
    it->ci_kva = buf;
    it->ci_left = len;
}

static void iter_raw(struct chunk_iter *it, const struct busdma_machine *bm,
                     const bus_dma_segment_t *segs, int nsegs, bus_size_t size)
{
    memset(it, 0, sizeof(*it));
    it->ci_bm = bm;
    it->ci_page = page_size_of(bm);
    it->ci_segs = segs;
    it->ci_nsegs = nsegs;
    it->ci_index = -1;
    it->ci_left = size;
}

/* 1 with the next chunk, 0 at the end, -EINVAL when the buffer is not RAM. */
static int iter_next(struct chunk_iter *it, bus_addr_t *pa, bus_size_t *len)
{
    bus_size_t page = it->ci_page;
    if (it->ci_left == 0)
        return 0;
    if (it->ci_segs == NULL) {
        bus_addr_t addr;
        if (it->ci_bm->bm_kva_to_phys(it->ci_kva, &addr) != 0)
            return -EINVAL;
        bus_size_t take = page - ((uintptr_t)it->ci_kva & (page - 1));
        take = busdma_min(take, page - (addr & (page - 1)));
        take = busdma_min(take, it->ci_left);
        it->ci_kva += take;
        it->ci_left -= take;
        *pa = addr;
        *len = take;
        return 1;
    }
    while (it->ci_seg_left == 0) {
        if (++it->ci_index >= it->ci_nsegs)
            return -EINVAL;  /* segments hold fewer bytes than asked */
        it->ci_addr = it->ci_segs[it->ci_index].ds_addr;
        it->ci_seg_left = it->ci_segs[it->ci_index].ds_len;
        if (it->ci_seg_left > ~(bus_addr_t)0 - it->ci_addr)
            return -EINVAL;  /* wraps around the address space */
    }
    bus_size_t take = page - (it->ci_addr & (page - 1));
    take = busdma_min(take, busdma_min(it->ci_seg_left, it->ci_left));
    if (it->ci_bm->bm_phys_to_kva(it->ci_addr) == NULL
        || it->ci_bm->bm_phys_to_kva(it->ci_addr + take - 1) == NULL)
        return -EINVAL;
    *pa = it->ci_addr;
    *len = take;
    it->ci_addr += take;
    it->ci_seg_left -= take;
    it->ci_left -= take;
    return 1;
}

/* The bounce decision of a load, chunk by chunk. */
struct bounce_plan {
    bus_addr_t bp_low, bp_high;
    bus_size_t bp_alignment;
    int bp_has_direct;
    bus_addr_t bp_direct_end;
};

static int must_bounce(struct bounce_plan *p, bus_addr_t pa, bus_size_t len)
{
    int in_window = pa >= p->bp_low && pa + (len - 1) <= p->bp_high;
    int aligned = (pa & (p->bp_alignment - 1)) == 0;
    int bounce = !in_window || (!aligned && !(p->bp_has_direct && pa == p->bp_direct_end));
    if (bounce) {
        p->bp_has_direct = 0;
    } else {
        p->bp_has_direct = 1;
        p->bp_direct_end = pa + len;
    }
    return bounce;
}

static int add_piece(struct bus_dmamap *m, bus_size_t offset, bus_addr_t cpu, bus_addr_t bus,
                     bus_size_t len, int bounced)
{
    if (m->_dm_npieces > 0) {
        struct busdma_piece *last = &m->_dm_pieces[m->_dm_npieces - 1];
        if (last->bp_bounced == bounced && last->bp_cpu + last->bp_len == cpu
            && last->bp_bus + last->bp_len == bus) {
            last->bp_len += len;
            return 0;
        }
    }
    if (m->_dm_npieces == m->_dm_maxpieces)
        return EFBIG;
    struct busdma_piece *p = &m->_dm_pieces[m->_dm_npieces++];
    p->bp_offset = offset;
    p->bp_cpu = cpu;
    p->bp_bus = bus;
    p->bp_len = len;
    p->bp_bounced = bounced;
    return 0;
}

static void reset_map(struct bus_dmamap *m)
{
    m->dm_nsegs = 0;
    m->dm_mapsize = 0;
    m->_dm_npieces = 0;
    m->_dm_nbounce = 0;
    m->_dm_loaded = 0;
    m->_dm_bounced = 0;
    m->_dm_iova = 0;
    m->_dm_iova_pages = 0;
}

static bus_size_t pages_for(bus_size_t bytes, bus_size_t page)
{
    return (bytes + page - 1) / page;
}

/* The common load: validate, plan, take bounce pages, build pieces and segments. The iterator
 * is replayed for each pass. */
static int load_chunks(bus_dma_tag_t tag, bus_dmamap_t m, struct chunk_iter *start, int raw,
                       int flags)
{
    struct busdma_machine *bm = tag->t_machine;
    const struct bus_dma_tag_limits *tl = &tag->t_lim;
    struct chunk_iter it;
    bus_addr_t pa;
    bus_size_t len, total = 0;
    int r;

    if (m->_dm_tag != tag)
        return EINVAL;
    if (m->_dm_loaded)
        return EBUSY;
    if ((flags & BUS_DMA_READ) != 0 && (flags & BUS_DMA_WRITE) != 0)
        return EINVAL;
    if (start->ci_left == 0)
        return EINVAL;
    if (start->ci_left > m->_dm_size)
        return EINVAL;

    if (tl->dt_iommu != NULL) {
        /* Gather the chunks as physical pieces; the IOMMU maps their pages. */
        it = *start;
        bus_size_t n = 0;
        while ((r = iter_next(&it, &pa, &len)) == 1) {
            if (n == 0 || m->_dm_pieces[n - 1].bp_cpu + m->_dm_pieces[n - 1].bp_len != pa) {
                if ((int)n == m->_dm_maxpieces)
                    return EFBIG;
                m->_dm_pieces[n].bp_offset = total;
                m->_dm_pieces[n].bp_cpu = pa;
                m->_dm_pieces[n].bp_len = 0;
                m->_dm_pieces[n].bp_bounced = 0;
                n++;
            }
            m->_dm_pieces[n - 1].bp_len += len;
            total += len;
        }
        if (r < 0)
            return -r;
        int prot = (flags & BUS_DMA_READ) != 0 ? BUSDMA_PROT_WRITE
                 : (flags & BUS_DMA_WRITE) != 0 ? BUSDMA_PROT_READ
                 : BUSDMA_PROT_READ | BUSDMA_PROT_WRITE;
        m->_dm_npieces = (int)n;
        int error = busdma_iommu_load(m, total, prot);
        if (error != 0) {
            reset_map(m);
            return error;
        }
        m->dm_mapsize = total;
        m->_dm_loaded = 1;
        return 0;
    }

    /* Pass 1: validate, decide what bounces, count bounce pages. */
    struct bounce_plan plan = { tl->dt_low, tl->dt_high, tl->dt_alignment, 0, 0 };
    bus_size_t zone_page = tag->t_zone != NULL ? tag->t_zone->bz_page_size
        : (tl->dt_alignment > page_size_of(bm) ? tl->dt_alignment : page_size_of(bm));
    bus_size_t run = 0, bounce_pages = 0;
    it = *start;
    while ((r = iter_next(&it, &pa, &len)) == 1) {
        if (must_bounce(&plan, pa, len)) {
            if (raw)
                return EINVAL;  /* raw segments are used as they are */
            run += len;
        } else {
            bounce_pages += pages_for(run, zone_page);
            run = 0;
        }
        total += len;
    }
    if (r < 0)
        return -r;
    bounce_pages += pages_for(run, zone_page);
    if (bounce_pages > (bus_size_t)m->_dm_maxbounce)
        return EFBIG;

    struct busdma_bounce_zone *zone = tag->t_zone;
    int mark = 0;
    if (bounce_pages > 0) {
        if (zone == NULL) {
            int error = busdma_zone_get(bm, tl->dt_low, tl->dt_high, tl->dt_alignment, &zone);
            if (error != 0)
                return error;
            tag->t_zone = zone;
        }
        int error = busdma_zone_take(bm, zone, (int)bounce_pages, m->_dm_bounce, &mark);
        if (error != 0)
            return error;
        m->_dm_nbounce = (int)bounce_pages;
    }

    /* Pass 2: pieces and segments. */
    struct segment_builder b;
    busdma_builder_init(&b, m->dm_segs, m->_dm_segcnt, m->dm_maxsegsz == ~(bus_size_t)0 ? 0
                        : m->dm_maxsegsz, m->_dm_boundary);
    struct bounce_plan replay = { tl->dt_low, tl->dt_high, tl->dt_alignment, 0, 0 };
    bus_size_t offset = 0, in_page = 0;
    int page_index = 0, previous_bounced = 0, error = 0;
    it = *start;
    while (error == 0 && iter_next(&it, &pa, &len) == 1) {
        if (!must_bounce(&replay, pa, len)) {
            error = add_piece(m, offset, pa, pa, len, 0);
            busdma_builder_add(&b, pa, len);
            offset += len;
            previous_bounced = 0;
            continue;
        }
        if (!previous_bounced && in_page != 0) {
            page_index++;  /* each run of bounced chunks starts on a fresh bounce page */
            in_page = 0;
        }
        previous_bounced = 1;
        m->_dm_bounced = 1;
        while (len > 0 && error == 0) {
            bus_size_t take = busdma_min(len, zone_page - in_page);
            bus_addr_t bus = m->_dm_bounce[page_index] + in_page;
            error = add_piece(m, offset, pa, bus, take, 1);
            busdma_builder_add(&b, bus, take);
            offset += take;
            pa += take;
            len -= take;
            in_page += take;
            if (in_page == zone_page) {
                page_index++;
                in_page = 0;
            }
        }
    }
    if (error == 0 && b.sb_count > m->_dm_segcnt)
        error = EFBIG;
    if (error != 0) {
        if (m->_dm_nbounce > 0) {
            busdma_zone_return(zone, m->_dm_bounce, m->_dm_nbounce);
            busdma_zone_shrink_to(bm, zone, mark);
        }
        reset_map(m);
        return error;
    }
    m->dm_nsegs = b.sb_count;
    m->dm_mapsize = total;
    m->_dm_loaded = 1;
    return 0;
}

int bus_dmamap_load(bus_dma_tag_t tag, bus_dmamap_t map, void *buf, bus_size_t buflen,
                    struct proc *p, int flags)
{
    struct chunk_iter it;
    if (tag == NULL || map == NULL || p != NULL || buf == NULL)
        return EINVAL;
    if (buflen > ~(bus_addr_t)0 - (uintptr_t)buf)
        return EINVAL;
    iter_kva(&it, tag->t_machine, buf, buflen);
    int error = load_chunks(tag, map, &it, 0, flags);
    if (error == 0)
        busdma_report_load(map, flags);
    return error;
}

int bus_dmamap_load_raw(bus_dma_tag_t tag, bus_dmamap_t map, const bus_dma_segment_t *segs,
                        int nsegs, bus_size_t size, int flags)
{
    struct chunk_iter it;
    if (tag == NULL || map == NULL || segs == NULL || nsegs < 1)
        return EINVAL;
    iter_raw(&it, tag->t_machine, segs, nsegs, size);
    int error = load_chunks(tag, map, &it, 1, flags);
    if (error == 0)
        busdma_report_load(map, flags);
    return error;
}

int bus_dmamap_unload(bus_dma_tag_t tag, bus_dmamap_t map)
{
    if (tag == NULL || map == NULL || map->_dm_tag != tag || !map->_dm_loaded)
        return EINVAL;
    if (tag->t_lim.dt_iommu != NULL)
        busdma_iommu_unload(map);
    if (map->_dm_nbounce > 0)
        busdma_zone_return(tag->t_zone, map->_dm_bounce, map->_dm_nbounce);
    reset_map(map);
    busdma_report_unload(map);
    return 0;
}

void busdma_debug_report_leaks(void)
{
    busdma_report_leaks();
}

/* ---- sync ---- */

static int copy_phys(struct busdma_machine *bm, bus_addr_t to, bus_addr_t from, bus_size_t len)
{
    bus_size_t page = page_size_of(bm);
    while (len > 0) {
        /* Page by page: the CPU's view of physical memory need not be contiguous. */
        bus_size_t take = busdma_min(len, page - (to & (page - 1)));
        take = busdma_min(take, page - (from & (page - 1)));
        void *dst = bm->bm_phys_to_kva(to);
        const void *src = bm->bm_phys_to_kva(from);
        if (dst == NULL || src == NULL)
            return EIO;
        memcpy(dst, src, (size_t)take);
        to += take;
        from += take;
        len -= take;
    }
    return 0;
}

/* Cache maintenance over physical [pa, pa + len), page by page. */
static void cache_op(struct busdma_machine *bm, void (*op)(void *, size_t), bus_addr_t pa,
                     bus_size_t len)
{
    bus_size_t page = page_size_of(bm);
    while (op != NULL && len > 0) {
        bus_size_t take = busdma_min(len, page - (pa & (page - 1)));
        void *kva = bm->bm_phys_to_kva(pa);
        if (kva != NULL)
            op(kva, (size_t)take);
        pa += take;
        len -= take;
    }
}

int bus_dmamap_sync(bus_dma_tag_t tag, bus_dmamap_t map, bus_addr_t offset, bus_size_t len,
                    int ops)
{
    const int pre = BUS_DMASYNC_PREREAD | BUS_DMASYNC_PREWRITE;
    const int post = BUS_DMASYNC_POSTREAD | BUS_DMASYNC_POSTWRITE;
    if (tag == NULL || map == NULL || map->_dm_tag != tag || !map->_dm_loaded)
        return EINVAL;
    if (ops == 0 || (ops & ~(pre | post)) != 0 || ((ops & pre) != 0 && (ops & post) != 0))
        return EINVAL;
    if (offset > map->dm_mapsize || len > map->dm_mapsize - offset)
        return EINVAL;

    struct busdma_machine *bm = tag->t_machine;
    int coherent = (tag->t_lim.dt_flags & BUS_DMA_COHERENT) != 0;
    if ((ops & post) != 0 && bm->bm_barrier != NULL)
        bm->bm_barrier();  /* the device's completion was seen before its data is read */
    /* The checker hears of a POST before the copy back (the CPU then writes the buffer: it owns
     * it again), of a PRE after the copy out (the device owns the buffer from then on). */
    if ((ops & post) != 0)
        busdma_report_sync(map, offset, len, ops);
    bus_addr_t end = offset + len;
    int error = 0;
    for (int i = 0; i < map->_dm_npieces && error == 0; i++) {
        const struct busdma_piece *p = &map->_dm_pieces[i];
        bus_addr_t from = p->bp_offset > offset ? p->bp_offset : offset;
        bus_addr_t to = p->bp_offset + p->bp_len < end ? p->bp_offset + p->bp_len : end;
        if (from >= to)
            continue;
        bus_addr_t cpu = p->bp_cpu + (from - p->bp_offset);
        bus_addr_t bus = p->bp_bus + (from - p->bp_offset);
        bus_size_t n = to - from;
        /* What the device accesses: the bounce page, or the buffer itself. */
        bus_addr_t device_side = p->bp_bounced ? bus : cpu;
        if ((ops & pre) != 0) {
            if (p->bp_bounced)
                error = copy_phys(bm, bus, cpu, n);
            if (!coherent)
                cache_op(bm, (ops & BUS_DMASYNC_PREREAD) != 0 ? bm->bm_cache_wbinv
                         : bm->bm_cache_wback, device_side, n);
        } else if ((ops & BUS_DMASYNC_POSTREAD) != 0) {
            if (!coherent)
                cache_op(bm, bm->bm_cache_inv, device_side, n);
            if (p->bp_bounced)
                error = copy_phys(bm, cpu, bus, n);
        }
    }
    if ((ops & pre) != 0 && bm->bm_barrier != NULL)
        bm->bm_barrier();  /* the data is in memory before the device is started */
    if (error == 0 && (ops & pre) != 0)
        busdma_report_sync(map, offset, len, ops);
    return error;
}

int bus_dmamap_is_bounced(bus_dmamap_t map)
{
    return map != NULL && map->_dm_loaded && map->_dm_bounced;
}

int bus_dmamap_is_translated(bus_dmamap_t map)
{
    return map != NULL && map->_dm_tag->t_lim.dt_iommu != NULL;
}

const struct busdma_piece *bus_dmamap_pieces(bus_dmamap_t map, int *npieces)
{
    *npieces = map->_dm_npieces;
    return map->_dm_pieces;
}

/* ---- DMA-safe memory ---- */

int bus_dmamem_alloc(bus_dma_tag_t tag, bus_size_t size, bus_size_t alignment,
                     bus_size_t boundary, bus_dma_segment_t *segs, int nsegs, int *rsegs, int flags)
{
    (void)flags;
    if (tag == NULL || segs == NULL || rsegs == NULL || size == 0 || nsegs < 1)
        return EINVAL;
    if ((alignment != 0 && !busdma_is_pow2(alignment)) || (boundary != 0 && !busdma_is_pow2(boundary)))
        return EINVAL;
    struct busdma_machine *bm = tag->t_machine;
    const struct bus_dma_tag_limits *tl = &tag->t_lim;
    bus_size_t page = page_size_of(bm);
    struct frame_constraints c;
    memset(&c, 0, sizeof(c));
    if (tl->dt_iommu != NULL) {
        /* Mapped through the IOMMU at load: any RAM will do. */
        c.fc_low = 0;
        c.fc_high = ~(bus_addr_t)0;
    } else {
        c.fc_low = tl->dt_low;
        c.fc_high = tl->dt_high;
    }
    c.fc_alignment = alignment > tl->dt_alignment ? alignment : tl->dt_alignment;
    if (c.fc_alignment < page)
        c.fc_alignment = page;
    c.fc_nsegs = nsegs < tl->dt_nsegments ? nsegs : tl->dt_nsegments;
    if (tl->dt_alignment > page)
        c.fc_nsegs = 1;  /* the frame source aligns only the first segment */
    /* Limits shorter than a page cannot be asked of the frame source: loads split there. */
    c.fc_boundary = busdma_min(busdma_limit(boundary), busdma_limit(tl->dt_boundary));
    if (c.fc_boundary == ~(bus_size_t)0 || c.fc_boundary < page)
        c.fc_boundary = 0;
    c.fc_maxsegsz = tl->dt_maxsegsz / page * page;
    if (tl->dt_iommu != NULL) {
        c.fc_boundary = 0;  /* limits apply to I/O virtual addresses, set at load */
        c.fc_maxsegsz = 0;
    }
    return bm->bm_frames->fs_ops->fs_alloc(bm->bm_frames->fs_cookie, size, &c, segs, rsegs);
}

int bus_dmamem_free(bus_dma_tag_t tag, const bus_dma_segment_t *segs, int nsegs)
{
    if (tag == NULL || segs == NULL || nsegs < 1)
        return EINVAL;
    const struct frame_source *fs = tag->t_machine->bm_frames;
    return fs->fs_ops->fs_free(fs->fs_cookie, segs, nsegs);
}

int bus_dmamem_map(bus_dma_tag_t tag, const bus_dma_segment_t *segs, int nsegs, size_t size,
                   void **kvap, int flags)
{
    (void)flags;
    if (tag == NULL || segs == NULL || nsegs < 1 || kvap == NULL)
        return EINVAL;
    bus_size_t held = 0;
    for (int i = 0; i < nsegs; i++) {
        if (i > 0 && segs[i - 1].ds_addr + segs[i - 1].ds_len != segs[i].ds_addr)
            return EINVAL;  /* no MMU to make them look contiguous */
        held += segs[i].ds_len;
    }
    if (size == 0 || size > held)
        return EINVAL;
    struct busdma_machine *bm = tag->t_machine;
    uint8_t *kva = bm->bm_phys_to_kva(segs[0].ds_addr);
    /* The CPU must see the whole stretch as one: check its last byte maps next to the first. */
    if (kva == NULL || (uint8_t *)bm->bm_phys_to_kva(segs[0].ds_addr + size - 1) != kva + size - 1)
        return EINVAL;
    *kvap = kva;
    return 0;
}

void bus_dmamem_unmap(bus_dma_tag_t tag, void *kva, size_t size)
{
    (void)tag;
    (void)kva;
    (void)size;
}
