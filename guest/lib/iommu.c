/*
 * iommu.c - IOMMU-backed tags: I/O virtual space, and a flat I/O page table in frames borrowed
 * from the frame source (as NetBSD's sparc64 iommu keeps its TSB, and Linux dma-iommu its page
 * tables). A load maps the buffer's pages at consecutive I/O virtual pages, so the device sees
 * the buffer as one stretch inside its window wherever the pages are in RAM; nothing bounces.
 */
#include <errno.h>
#include <string.h>

#include "busdma_private.h"

#define PROT_BITS (BUSDMA_PROT_READ | BUSDMA_PROT_WRITE)

int busdma_iommu_create(struct busdma_machine *bm, bus_addr_t iova_base, bus_size_t iova_size,
                        const struct busdma_iommu_ops *ops, void *cookie,
                        struct busdma_iommu **iommup)
{
    if (bm == NULL || iommup == NULL || iova_size == 0)
        return EINVAL;
    bus_size_t page = bm->bm_frames->fs_page_size;
    if ((iova_base & (page - 1)) != 0 || (iova_size & (page - 1)) != 0
        || iova_size - 1 > ~(bus_addr_t)0 - iova_base)
        return EINVAL;
    bus_size_t npages = iova_size / page;
    if (npages > (bus_size_t)1 << 26)
        return EINVAL;  /* a flat table of more than 512 MiB is not what anyone wants */
    bus_size_t table_bytes = (npages * sizeof(uint64_t) + page - 1) / page * page;

    struct busdma_iommu *io = bm->bm_kmem_alloc(sizeof(*io));
    if (io == NULL)
        return ENOMEM;
    memset(io, 0, sizeof(*io));
    size_t used_bytes = (size_t)((npages + 31) / 32) * sizeof(uint32_t);
    io->io_used = bm->bm_kmem_alloc(used_bytes);
    if (io->io_used == NULL) {
        bm->bm_kmem_free(io, sizeof(*io));
        return ENOMEM;
    }
    memset(io->io_used, 0, used_bytes);

    struct frame_constraints c;
    memset(&c, 0, sizeof(c));
    c.fc_low = 0;
    c.fc_high = ~(bus_addr_t)0;
    c.fc_alignment = page;
    c.fc_nsegs = 1;
    int rsegs = 0;
    const struct frame_source *fs = bm->bm_frames;
    int error = fs->fs_ops->fs_alloc(fs->fs_cookie, table_bytes, &c, &io->io_table_seg, &rsegs);
    if (error != 0) {
        bm->bm_kmem_free(io->io_used, used_bytes);
        bm->bm_kmem_free(io, sizeof(*io));
        return error == EINVAL ? EINVAL : ENOMEM;
    }
    uint8_t *table = bm->bm_phys_to_kva(io->io_table_seg.ds_addr);
    if (table == NULL
        || (uint8_t *)bm->bm_phys_to_kva(io->io_table_seg.ds_addr + table_bytes - 1)
               != table + table_bytes - 1) {
        fs->fs_ops->fs_free(fs->fs_cookie, &io->io_table_seg, 1);
        bm->bm_kmem_free(io->io_used, used_bytes);
        bm->bm_kmem_free(io, sizeof(*io));
        return EINVAL;
    }
    memset(table, 0, (size_t)table_bytes);
    io->io_machine = bm;
    io->io_base = iova_base;
    io->io_size = iova_size;
    io->io_page = page;
    io->io_npages = npages;
    io->io_table = (volatile uint64_t *)(void *)table;
    io->io_ops = ops;
    io->io_cookie = cookie;
    *iommup = io;
    return 0;
}

int busdma_iommu_destroy(struct busdma_iommu *io)
{
    if (io == NULL)
        return EINVAL;
    if (io->io_mapped != 0)
        return EBUSY;
    struct busdma_machine *bm = io->io_machine;
    const struct frame_source *fs = bm->bm_frames;
    fs->fs_ops->fs_free(fs->fs_cookie, &io->io_table_seg, 1);
    bm->bm_kmem_free(io->io_used, (size_t)((io->io_npages + 31) / 32) * sizeof(uint32_t));
    bm->bm_kmem_free(io, sizeof(*io));
    return 0;
}

int busdma_iommu_lookup(const struct busdma_iommu *io, bus_addr_t iova, bus_addr_t *pa,
                        int *prot)
{
    if (io == NULL || iova < io->io_base || iova - io->io_base >= io->io_size)
        return ENOENT;
    uint64_t pte = io->io_table[(iova - io->io_base) / io->io_page];
    if ((pte & BUSDMA_PTE_VALID) == 0)
        return ENOENT;
    if (pa != NULL)
        *pa = (pte & ~(uint64_t)(io->io_page - 1)) | (iova & (io->io_page - 1));
    if (prot != NULL)
        *prot = (int)(pte & PROT_BITS);
    return 0;
}

void busdma_iommu_info(const struct busdma_iommu *io, bus_addr_t *iova_base,
                       bus_size_t *iova_size, bus_addr_t *table_pa, bus_size_t *mapped_pages)
{
    if (iova_base != NULL)
        *iova_base = io->io_base;
    if (iova_size != NULL)
        *iova_size = io->io_size;
    if (table_pa != NULL)
        *table_pa = io->io_table_seg.ds_addr;
    if (mapped_pages != NULL)
        *mapped_pages = io->io_mapped;
}

static int page_used(const struct busdma_iommu *io, bus_size_t i)
{
    return (io->io_used[i / 32] >> (i % 32)) & 1u;
}

static void mark_pages(struct busdma_iommu *io, bus_size_t first, bus_size_t count, int used)
{
    for (bus_size_t i = first; i < first + count; i++) {
        if (used)
            io->io_used[i / 32] |= 1u << (i % 32);
        else
            io->io_used[i / 32] &= ~(1u << (i % 32));
    }
}

/* First fit: count free pages in [first, last], starting at a multiple of align (page indexes
 * relative to the domain base; the base is aligned by the caller's arithmetic). */
static int find_pages(const struct busdma_iommu *io, bus_size_t first, bus_size_t last,
                      bus_size_t count, bus_size_t align, bus_size_t *found)
{
    bus_size_t base_page = io->io_base / io->io_page;
    bus_size_t start = first;
    /* Align the absolute page number, so the I/O virtual address is aligned. */
    while (((base_page + start) % align) != 0)
        start++;
    while (start <= last && last - start + 1 >= count) {
        bus_size_t run = 0;
        while (run < count && !page_used(io, start + run))
            run++;
        if (run == count) {
            *found = start;
            return 0;
        }
        start += run + 1;
        while (((base_page + start) % align) != 0)
            start++;
    }
    return ENOMEM;
}

static void clear_ptes(struct busdma_iommu *io, bus_size_t first, bus_size_t count)
{
    for (bus_size_t i = first; i < first + count; i++)
        io->io_table[i] = 0;
    if (io->io_ops != NULL && io->io_ops->io_invalidate != NULL)
        io->io_ops->io_invalidate(io->io_cookie, io->io_base + first * io->io_page,
                                  count * io->io_page);
}

int busdma_iommu_load(bus_dmamap_t m, bus_size_t total, int prot)
{
    const struct bus_dma_tag_limits *tl = &m->_dm_tag->t_lim;
    struct busdma_iommu *io = tl->dt_iommu;
    bus_size_t page = io->io_page;
    int n = m->_dm_npieces;
    struct busdma_piece *pieces = m->_dm_pieces;

    /* The pieces become consecutive I/O virtual pages: only the first may start inside a page
     * and only the last may end inside one. */
    bus_size_t npages = 0;
    for (int i = 0; i < n; i++) {
        bus_addr_t start = pieces[i].bp_cpu, end = start + pieces[i].bp_len;
        if ((i > 0 && (start & (page - 1)) != 0) || (i < n - 1 && (end & (page - 1)) != 0))
            return EINVAL;
        npages += ((end + page - 1) / page) - (start / page);
    }
    bus_size_t offset = pieces[0].bp_cpu & (page - 1);
    if ((offset & (tl->dt_alignment - 1)) != 0)
        return EINVAL;  /* pages keep their offsets: the device address would be misaligned */

    bus_size_t first = (tl->dt_low - io->io_base + page - 1) / page;
    bus_size_t last = (tl->dt_high - io->io_base + 1) / page;
    if (last == 0 || first > last - 1)
        return ENOMEM;
    last--;
    bus_size_t align = tl->dt_alignment > page ? tl->dt_alignment / page : 1;
    bus_size_t at;
    if (find_pages(io, first, last, npages, align, &at) != 0)
        return ENOMEM;

    bus_addr_t iova = io->io_base + at * page;
    bus_size_t index = at;
    for (int i = 0; i < n; i++) {
        pieces[i].bp_bus = iova + (index - at) * page + (pieces[i].bp_cpu & (page - 1));
        for (bus_addr_t pa = pieces[i].bp_cpu & ~(page - 1); pa < pieces[i].bp_cpu + pieces[i].bp_len;
             pa += page, index++) {
            io->io_table[index] = pa | (uint64_t)prot | BUSDMA_PTE_VALID;
            if (io->io_ops != NULL && io->io_ops->io_mapped != NULL)
                io->io_ops->io_mapped(io->io_cookie, io->io_base + index * page, pa, prot);
        }
    }

    struct segment_builder b;
    busdma_builder_init(&b, m->dm_segs, m->_dm_segcnt,
                        m->dm_maxsegsz == ~(bus_size_t)0 ? 0 : m->dm_maxsegsz, m->_dm_boundary);
    busdma_builder_add(&b, iova + offset, total);
    if (b.sb_count > m->_dm_segcnt) {
        clear_ptes(io, at, npages);
        return EFBIG;
    }
    mark_pages(io, at, npages, 1);
    io->io_mapped += npages;
    m->dm_nsegs = b.sb_count;
    m->_dm_iova = iova;
    m->_dm_iova_pages = npages;
    return 0;
}

void busdma_iommu_unload(bus_dmamap_t m)
{
    struct busdma_iommu *io = m->_dm_tag->t_lim.dt_iommu;
    bus_size_t first = (m->_dm_iova - io->io_base) / io->io_page;
    clear_ptes(io, first, m->_dm_iova_pages);
    mark_pages(io, first, m->_dm_iova_pages, 0);
    io->io_mapped -= m->_dm_iova_pages;
}
