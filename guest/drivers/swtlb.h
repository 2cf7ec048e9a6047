/*
 * swtlb.h - driver of the software-managed TLB (Miscellaneous.SoftwareManagedTlb,
 * docs/software-tlb.md), the IOMMU in front of the board's 32-bit DMA engine.
 *
 * Each initiator id behind the TLB gets a domain: a libbusdma IOMMU (busdma_iommu) whose I/O
 * page table lives in frames from the frame source. Loads fill that table; the TLB's miss
 * interrupt handler refills the entry that missed from it and resumes the stalled transfer, or
 * aborts it when the page is not mapped with the right the access needs. Optionally the TSB assist
 * is preloaded at each load, so the TLB refills itself without an interrupt.
 */
#ifndef DRIVERS_SWTLB_H
#define DRIVERS_SWTLB_H

#include <busdma/bus_dma.h>
#include <stdint.h>

#define SWTLB_MAX_DOMAINS 8

struct swtlb;

struct swtlb_domain {
    struct swtlb *d_tlb;
    unsigned d_id;                   /* the initiator id (12 bits) */
    struct busdma_iommu *d_iommu;    /* what tags of this device name as dt_iommu */
};

struct swtlb {
    uintptr_t t_base;
    struct busdma_machine *t_bm;
    unsigned t_entries;
    int t_has_tsb;
    struct swtlb_domain *t_domains[SWTLB_MAX_DOMAINS];
    /* The TSB, when enabled: 2^t_tsb_log2 entries of 16 bytes in frames from the source. */
    volatile uint64_t *t_tsb;
    bus_dma_segment_t t_tsb_seg;
    unsigned t_tsb_log2;
    /* What the interrupt handler did. */
    volatile uint32_t t_interrupts;
    volatile uint32_t t_refills;      /* misses it refilled and resumed */
    volatile uint32_t t_aborts;       /* faults it aborted: no mapping, or not with that right */
    volatile uint32_t t_dropped;      /* faults of initiators that cannot wait, acknowledged */
    volatile uint32_t t_errors;       /* COMMAND_ERROR, TSB_ERROR or OVERRUN seen */
};

/* Checks the TLB at base (version 1), empties it and turns the TSB off. 0 or ENXIO. */
int swtlb_attach(struct swtlb *t, uintptr_t base, struct busdma_machine *bm);

/* A domain for initiator id over I/O virtual space [iova_base, iova_base + iova_size): its page
 * table is borrowed from the machine's frame source. 0, EINVAL (bad id or space, no free domain
 * slot), ENOMEM. */
int swtlb_domain_create(struct swtlb *t, unsigned id, bus_addr_t iova_base, bus_size_t iova_size,
                        struct swtlb_domain *d);

/* Removes the domain: its TLB entries are invalidated and its page table returned. EBUSY while
 * a map is loaded through it. */
int swtlb_domain_destroy(struct swtlb_domain *d);

/* Enables the TSB assist with 2^log2_entries entries (borrowed, zeroed): from now on each load
 * preloads it. EINVAL (no TSB on this TLB, log2 over 16), ENOMEM, EBUSY (already enabled). */
int swtlb_tsb_enable(struct swtlb *t, unsigned log2_entries);

/* Turns the assist off and returns its frames. */
void swtlb_tsb_disable(struct swtlb *t);

/* The TLB's interrupt handler (arg: the struct swtlb): serves every latched fault. */
void swtlb_intr(void *arg);

/* The device's counters: HITS, MISSES, REFILLS (software), TSB_REFILLS, FAULTS. */
struct swtlb_counters {
    uint32_t hits, misses, refills, tsb_refills, faults;
};
void swtlb_counters(const struct swtlb *t, struct swtlb_counters *c);
void swtlb_reset_counters(struct swtlb *t);

#endif
