/*
 * bus_dma.h - libbusdma: NetBSD bus_dma(9) for freestanding RISC-V code.
 *
 * A driver describes what its device reaches with a tag, gets a map per transfer it keeps in
 * flight, loads a buffer into the map (the map's dm_segs are then what the device is programmed
 * with), syncs around the transfer and unloads. Parts of a buffer the device cannot reach bounce
 * through pages borrowed from the frame source; an IOMMU-backed tag maps the buffer's pages into
 * an I/O page table instead and hands out device addresses inside its window.
 *
 * Conventions (as bus_dma(9)): every function returns 0 or an errno value and changes nothing
 * when it fails; nothing sleeps (BUS_DMA_WAITOK is accepted and behaves as BUS_DMA_NOWAIT);
 * nothing is thread-safe: callers serialise operations on one machine (interrupt handlers may
 * call busdma_iommu_lookup, which only reads). Windows are inclusive: [low, high].
 */
#ifndef BUSDMA_BUS_DMA_H
#define BUSDMA_BUS_DMA_H

#include <stddef.h>
#include <stdint.h>

#include "frame_source.h"

/* Flags (NetBSD values). */
#define BUS_DMA_WAITOK      0x000
#define BUS_DMA_NOWAIT      0x001
#define BUS_DMA_ALLOCNOW    0x002     /* tag: fill the bounce pages for one maxsize load now */
#define BUS_DMA_COHERENT    0x004     /* tag: the device snoops CPU caches (no cache maintenance) */
#define BUS_DMA_STREAMING   0x008     /* accepted, no effect */
#define BUS_DMA_READ        0x100000  /* load: device -> memory only (IOMMU: device may only write) */
#define BUS_DMA_WRITE       0x200000  /* load: memory -> device only (IOMMU: device may only read) */

/* bus_dmamap_sync operations (NetBSD values); PRE ones combine, POST ones combine. */
#define BUS_DMASYNC_PREREAD   0x01
#define BUS_DMASYNC_POSTREAD  0x02
#define BUS_DMASYNC_PREWRITE  0x04
#define BUS_DMASYNC_POSTWRITE 0x08

/* I/O page table entry rights (also what busdma_iommu_lookup reports). */
#define BUSDMA_PROT_READ    0x2       /* the device may read the page */
#define BUSDMA_PROT_WRITE   0x4       /* the device may write the page */

typedef struct bus_dma_tag *bus_dma_tag_t;
typedef struct bus_dmamap *bus_dmamap_t;
struct busdma_iommu;
struct proc;

/*
 * The machine the library runs on: the frame source and how the CPU reaches physical memory.
 * On the board (machine mode, no MMU) kva and physical addresses are the same.
 */
struct busdma_machine {
    const struct frame_source *bm_frames;
    /* CPU pointer for a physical address, NULL when it is not RAM the CPU can reach. */
    void *(*bm_phys_to_kva)(bus_addr_t pa);
    /* Physical address of a CPU pointer: 0, or EINVAL when it is not RAM. */
    int (*bm_kva_to_phys)(const void *kva, bus_addr_t *pa);
    /* Kernel memory for the library's own bookkeeping (may return NULL). */
    void *(*bm_kmem_alloc)(size_t size);
    void (*bm_kmem_free)(void *ptr, size_t size);
    /* Cache maintenance for devices that do not snoop: NULL on coherent boards. */
    void (*bm_cache_wback)(void *kva, size_t len);     /* write dirty lines back */
    void (*bm_cache_inv)(void *kva, size_t len);       /* drop lines without writing */
    void (*bm_cache_wbinv)(void *kva, size_t len);     /* both */
    /* Orders memory accesses against device register accesses (RISC-V: fence iorw, iorw). */
    void (*bm_barrier)(void);
    /* Most bounce pages one bounce zone may hold; 0 = 1024. */
    int bm_bounce_limit;
    /* Library state (set by busdma_machine_init). */
    struct busdma_bounce_zone *_bm_zones;
};

/* What a device reaches (a tag's limits). */
struct bus_dma_tag_limits {
    bus_addr_t dt_low;        /* lowest bus address the device drives */
    bus_addr_t dt_high;       /* highest (inclusive) */
    bus_size_t dt_alignment;  /* every segment starts at a multiple; power of two; 0 or 1 = any */
    bus_size_t dt_boundary;   /* no segment crosses a multiple; power of two >= alignment; 0 = none */
    bus_size_t dt_maxsegsz;   /* longest segment, a multiple of the alignment; 0 = no limit */
    int dt_nsegments;         /* most segments per mapping, >= 1 */
    bus_size_t dt_maxsize;    /* largest mapping; 0 = no limit */
    int dt_flags;             /* BUS_DMA_COHERENT, BUS_DMA_ALLOCNOW */
    /* IOMMU-backed: [dt_low, dt_high] is I/O virtual space of this IOMMU, mapped at load. */
    struct busdma_iommu *dt_iommu;
};

/* One stretch of a loaded map: map offset, CPU address, bus address, bounced or not. */
struct busdma_piece {
    bus_size_t bp_offset;
    bus_addr_t bp_cpu;        /* physical address of the buffer bytes */
    bus_addr_t bp_bus;        /* what the device uses (a bounce page when bounced) */
    bus_size_t bp_len;
    int bp_bounced;
};

/* bus_dmamap_t: drivers read dm_segs[0 .. dm_nsegs) and dm_mapsize while loaded. */
struct bus_dmamap {
    bus_size_t dm_maxsegsz;
    bus_size_t dm_mapsize;
    int dm_nsegs;
    bus_dma_segment_t *dm_segs;
    /* Library state. */
    bus_dma_tag_t _dm_tag;
    bus_size_t _dm_size;
    int _dm_segcnt;
    bus_size_t _dm_boundary;
    int _dm_flags;
    int _dm_loaded;
    int _dm_bounced;
    struct busdma_piece *_dm_pieces;
    int _dm_npieces, _dm_maxpieces;
    bus_addr_t *_dm_bounce;
    int _dm_nbounce, _dm_maxbounce;
    bus_addr_t _dm_iova;
    bus_size_t _dm_iova_pages;
};

/* ---- machine ---- */

/* Prepares bm (its hooks set by the caller) for use. 0, or EINVAL for a missing hook or a frame
 * source whose page size is not a power of two. */
int busdma_machine_init(struct busdma_machine *bm);

/* The machine is done: every bounce page goes back to the frame source and the zones are freed
 * (its tags must not load again). EBUSY (nothing freed) while a loaded map uses bounce pages. */
int busdma_machine_fini(struct busdma_machine *bm);

/* Gives every unused bounce page back to the frame source; returns how many pages went back. */
int busdma_machine_trim(struct busdma_machine *bm);

/* Bounce pages the machine's zones hold, and how many of them loaded maps use. */
void busdma_machine_bounce_pages(const struct busdma_machine *bm, int *held, int *in_use);

/* ---- tags ---- */

/* A root tag with limits lim. EINVAL for inconsistent limits (low > high, alignment or boundary
 * not a power of two, boundary below alignment, max segment size not a multiple of the alignment,
 * fewer than one segment, an IOMMU window outside the IOMMU's); ENOMEM (no kernel memory, or
 * ALLOCNOW could not fill the bounce pages). */
int bus_dma_tag_create(struct busdma_machine *bm, const struct bus_dma_tag_limits *lim,
                       bus_dma_tag_t *tagp);

/* A tag that may only narrow parent (every limit as strict or stricter). EINVAL when lim
 * widens one; otherwise as bus_dma_tag_create. */
int bus_dma_tag_derive(bus_dma_tag_t parent, const struct bus_dma_tag_limits *lim,
                       bus_dma_tag_t *tagp);

/* NetBSD's bus_dmatag_subregion: tag's limits with the window narrowed to [min_addr, max_addr].
 * EINVAL when that is not inside tag's window or min_addr > max_addr; ENOMEM. */
int bus_dmatag_subregion(bus_dma_tag_t tag, bus_addr_t min_addr, bus_addr_t max_addr,
                         bus_dma_tag_t *newtag, int flags);

/* Drops the caller's reference; the tag goes when its maps and derived tags are gone too. */
void bus_dmatag_destroy(bus_dma_tag_t tag);

/* The tag's limits (normalised: alignment >= 1). */
const struct bus_dma_tag_limits *bus_dma_tag_limits(bus_dma_tag_t tag);

/* ---- maps ---- */

/* bus_dmamap_create: a map for loads of at most size bytes in at most nsegments segments of at
 * most maxsegsz bytes, none crossing boundary. nsegments, maxsegsz, boundary: 0 takes the tag's;
 * otherwise they may only tighten it. EINVAL (size 0 or over the tag's max size, a limit looser
 * than the tag's or malformed), ENOMEM. */
int bus_dmamap_create(bus_dma_tag_t tag, bus_size_t size, int nsegments, bus_size_t maxsegsz,
                      bus_size_t boundary, int flags, bus_dmamap_t *mapp);

/* bus_dmamap_destroy. EBUSY while loaded (the map stays), EINVAL for a bad map. */
int bus_dmamap_destroy(bus_dma_tag_t tag, bus_dmamap_t map);

/* bus_dmamap_load: the buf[0, buflen) (a CPU pointer) becomes dm_segs. p must be NULL (kernel
 * memory). Page-sized chunks outside the tag's window, or that would start a misaligned segment,
 * bounce (IOMMU tags map pages instead and never bounce). On success every segment lies in the
 * window, starts aligned, crosses no boundary, is at most dm_maxsegsz long, and dm_nsegs is at
 * most the map's segment count. flags: BUS_DMA_READ / BUS_DMA_WRITE restrict the IOMMU rights.
 * EINVAL (bad map or tag, empty buffer, not RAM, longer than the map's size, misaligned for an
 * IOMMU tag), EBUSY (already loaded), EFBIG (needs more segments), ENOMEM (no bounce pages or
 * I/O virtual space). On failure the map stays unloaded and nothing is held. */
int bus_dmamap_load(bus_dma_tag_t tag, bus_dmamap_t map, void *buf, bus_size_t buflen,
                    struct proc *p, int flags);

/* bus_dmamap_load_raw: the first size bytes of physical segments (bus_dmamem_alloc's) become
 * dm_segs, split and coalesced to the limits; never bounced (IOMMU tags map them). EINVAL also
 * when a segment is outside the window or misaligned, or the segments hold fewer than size
 * bytes; EFBIG also when they are more scattered than the map can track (over
 * 2 * (map size / page + 2) separate stretches); otherwise as bus_dmamap_load. */
int bus_dmamap_load_raw(bus_dma_tag_t tag, bus_dmamap_t map, const bus_dma_segment_t *segs,
                        int nsegs, bus_size_t size, int flags);

/* bus_dmamap_unload: bounce pages back to their zone, I/O page table entries invalidated.
 * EINVAL when the map is not loaded. */
int bus_dmamap_unload(bus_dma_tag_t tag, bus_dmamap_t map);

/* bus_dmamap_sync over [offset, offset + len) of the loaded mapping. PREWRITE (before the device
 * reads) and PREREAD (before it writes) copy the buffer into bounce pages, write caches back
 * (PREREAD also invalidates) and fence; POSTREAD (after the device wrote) fences, invalidates
 * and copies bounce pages back; POSTWRITE fences. EINVAL: not loaded, no or unknown operation,
 * PRE mixed with POST, range beyond dm_mapsize. */
int bus_dmamap_sync(bus_dma_tag_t tag, bus_dmamap_t map, bus_addr_t offset, bus_size_t len,
                    int ops);

/* Whether the loaded map uses bounce pages, and whether its tag is IOMMU-backed. */
int bus_dmamap_is_bounced(bus_dmamap_t map);
int bus_dmamap_is_translated(bus_dmamap_t map);

/* The loaded pieces (map offset, buffer address, bus address, bounced): *npieces of them. */
const struct busdma_piece *bus_dmamap_pieces(bus_dmamap_t map, int *npieces);

/* Built with -DBUSDMA_DEBUG_REPORT=<checker address>, the library reports every load, sync and
 * unload, and every frame its bounce zones borrow or give back, to the emulator's DMA checker
 * (docs/dma-checker.md); this asks the checker to report every map still loaded and every bounce
 * frame still held as a leak (call it when the driver believes it is done, after
 * busdma_machine_fini). Without the switch it does nothing. */
void busdma_debug_report_leaks(void);

/* ---- DMA-safe memory ---- */

/* bus_dmamem_alloc: size bytes of frames from the frame source the device can use directly:
 * inside the tag's window (any RAM for an IOMMU tag), aligned to max(alignment, page, tag's),
 * within boundary and the tag's boundary, as at most min(nsegs, tag's) segments. EINVAL, ENOMEM. */
int bus_dmamem_alloc(bus_dma_tag_t tag, bus_size_t size, bus_size_t alignment,
                     bus_size_t boundary, bus_dma_segment_t *segs, int nsegs, int *rsegs, int flags);

/* bus_dmamem_free: exactly what one bus_dmamem_alloc returned back to the frame source.
 * EINVAL when the frame source refuses them (nothing freed). */
int bus_dmamem_free(bus_dma_tag_t tag, const bus_dma_segment_t *segs, int nsegs);

/* bus_dmamem_map: a CPU pointer to the memory. Without an MMU the segments must be physically
 * contiguous (one allocation with nsegs 1 always is). EINVAL otherwise. */
int bus_dmamem_map(bus_dma_tag_t tag, const bus_dma_segment_t *segs, int nsegs, size_t size,
                   void **kvap, int flags);

/* bus_dmamem_unmap: the pointer is no longer used (nothing to undo without an MMU). */
void bus_dmamem_unmap(bus_dma_tag_t tag, void *kva, size_t size);

/* ---- IOMMU ---- */

/* What the IOMMU's driver does when the library changes the I/O page table. */
struct busdma_iommu_ops {
    /* Entries for [iova, iova + len) became invalid: drop cached translations (TLB, TSB). */
    void (*io_invalidate)(void *cookie, bus_addr_t iova, bus_size_t len);
    /* Optional: page iova now maps pa with prot (e.g. preload a TSB). */
    void (*io_mapped)(void *cookie, bus_addr_t iova, bus_addr_t pa, int prot);
};

/* An IOMMU domain: I/O virtual space [iova_base, iova_base + iova_size) (page multiples), with a
 * flat I/O page table of 8-byte entries (bits 63:12 physical page, PROT bits, bit 0 valid) in one
 * contiguous allocation of frames from the machine's frame source. EINVAL, ENOMEM. */
int busdma_iommu_create(struct busdma_machine *bm, bus_addr_t iova_base, bus_size_t iova_size,
                        const struct busdma_iommu_ops *ops, void *cookie,
                        struct busdma_iommu **iommup);

/* Frees the page table and the domain. EBUSY while any page is mapped. */
int busdma_iommu_destroy(struct busdma_iommu *iommu);

/* The translation of iova: 0 with *pa (the byte's physical address) and *prot, or ENOENT when
 * it is outside the domain or unmapped. Reads only; safe in an interrupt handler. */
int busdma_iommu_lookup(const struct busdma_iommu *iommu, bus_addr_t iova, bus_addr_t *pa,
                        int *prot);

/* The domain's I/O virtual space, the page table's physical address, and pages mapped now. */
void busdma_iommu_info(const struct busdma_iommu *iommu, bus_addr_t *iova_base,
                       bus_size_t *iova_size, bus_addr_t *table_pa, bus_size_t *mapped_pages);

#endif
