/*
 * swtlb.c - see swtlb.h.
 */
#include "swtlb.h"

#include <errno.h>
#include <string.h>

#include "kern.h"

#define TLB_CAPABILITIES   0x00
#define TLB_WIRED          0x0C
#define TLB_ENTRY_VA       0x10
#define TLB_ENTRY_PA       0x18
#define TLB_ENTRY_ATTR     0x20
#define TLB_COMMAND        0x24
#define TLB_STATUS         0x28
#define TLB_FAULT_VA       0x30
#define TLB_FAULT_INFO     0x38
#define TLB_TSB_BASE       0x3C
#define TLB_TSB_CONFIG     0x44
#define TLB_HITS           0x48
#define TLB_MISSES         0x4C
#define TLB_REFILLS        0x50
#define TLB_TSB_REFILLS    0x54
#define TLB_FAULTS         0x58

#define CMD_WRITE_RANDOM    2
#define CMD_INVALIDATE_ALL  5
#define CMD_INVALIDATE_ID   6
#define CMD_INVALIDATE_PAGE 7
#define CMD_RESUME          8
#define CMD_ABORT           9
#define CMD_RESET_COUNTERS  10

#define STATUS_FAULT_PENDING 0x1
#define STATUS_STICKY        0xE   /* OVERRUN, COMMAND_ERROR, TSB_ERROR */

#define ATTR_VALID  (1u << 16)
#define ATTR_READ   (1u << 17)
#define ATTR_WRITE  (1u << 18)

#define TSB_VALID   0x1ull
#define TSB_READ    0x2ull
#define TSB_WRITE   0x4ull

#define PAGE        0x1000ull

/* A handler never loops for ever: at most this many faults per interrupt (the TLB queues 256). */
#define MAX_FAULTS_PER_INTERRUPT 300

static uint32_t reg(const struct swtlb *t, uint32_t offset)
{
    return mmio_read32(t->t_base + offset);
}

static void set(const struct swtlb *t, uint32_t offset, uint32_t value)
{
    mmio_write32(t->t_base + offset, value);
}

static uint32_t attr_rights(int prot)
{
    return ((prot & BUSDMA_PROT_READ) ? ATTR_READ : 0) | ((prot & BUSDMA_PROT_WRITE) ? ATTR_WRITE : 0);
}

int swtlb_attach(struct swtlb *t, uintptr_t base, struct busdma_machine *bm)
{
    memset(t, 0, sizeof(*t));
    t->t_base = base;
    t->t_bm = bm;
    uint32_t caps = reg(t, TLB_CAPABILITIES);
    if ((caps >> 24) != 1 || (caps & 0xFFFF) == 0)
        return ENXIO;
    t->t_entries = caps & 0xFFFF;
    t->t_has_tsb = (caps >> 16) & 1;
    set(t, TLB_TSB_CONFIG, 0);
    set(t, TLB_COMMAND, CMD_INVALIDATE_ALL);
    set(t, TLB_STATUS, STATUS_STICKY);
    return 0;
}

static struct swtlb_domain *domain_of(const struct swtlb *t, unsigned id)
{
    for (int i = 0; i < SWTLB_MAX_DOMAINS; i++)
        if (t->t_domains[i] != NULL && t->t_domains[i]->d_id == id)
            return t->t_domains[i];
    return NULL;
}

static volatile uint64_t *tsb_slot(const struct swtlb *t, bus_addr_t va)
{
    return t->t_tsb + 2 * ((va / PAGE) & ((1u << t->t_tsb_log2) - 1));
}

/* libbusdma: pages [iova, iova + len) of domain d left the page table. */
static void domain_invalidate(void *cookie, bus_addr_t iova, bus_size_t len)
{
    struct swtlb_domain *d = cookie;
    struct swtlb *t = d->d_tlb;
    unsigned long s = kern_intr_disable();   /* the staging registers are the handler's too */
    for (bus_addr_t va = iova & ~(PAGE - 1); va < iova + len; va += PAGE) {
        if (t->t_tsb != NULL) {
            volatile uint64_t *slot = tsb_slot(t, va);
            if ((slot[0] & ~0xFFFull) == va && (slot[0] & 0xFFF) == d->d_id)
                slot[1] = 0;
        }
        if (len > 64 * PAGE)
            continue;   /* a large range is cheaper as one INVALIDATE_ID below */
        mmio_write64(t->t_base + TLB_ENTRY_VA, va);
        set(t, TLB_ENTRY_ATTR, d->d_id);
        set(t, TLB_COMMAND, CMD_INVALIDATE_PAGE);
    }
    if (len > 64 * PAGE) {
        set(t, TLB_ENTRY_ATTR, d->d_id);
        set(t, TLB_COMMAND, CMD_INVALIDATE_ID);
    }
    kern_intr_restore(s);
}

/* libbusdma: page iova of domain d now maps pa; preload the TSB so the TLB needs no interrupt. */
static void domain_mapped(void *cookie, bus_addr_t iova, bus_addr_t pa, int prot)
{
    struct swtlb_domain *d = cookie;
    struct swtlb *t = d->d_tlb;
    if (t->t_tsb == NULL)
        return;
    volatile uint64_t *slot = tsb_slot(t, iova);
    slot[1] = 0;   /* never a valid entry with a half-written tag */
    slot[0] = (iova & ~(PAGE - 1)) | d->d_id;
    slot[1] = (pa & ~(PAGE - 1)) | TSB_VALID
        | ((prot & BUSDMA_PROT_READ) ? TSB_READ : 0) | ((prot & BUSDMA_PROT_WRITE) ? TSB_WRITE : 0);
}

static const struct busdma_iommu_ops swtlb_iommu_ops = { domain_invalidate, domain_mapped };

int swtlb_domain_create(struct swtlb *t, unsigned id, bus_addr_t iova_base, bus_size_t iova_size,
                        struct swtlb_domain *d)
{
    if (id > 0xFFF || domain_of(t, id) != NULL)
        return EINVAL;
    int slot;
    for (slot = 0; slot < SWTLB_MAX_DOMAINS && t->t_domains[slot] != NULL; slot++)
        ;
    if (slot == SWTLB_MAX_DOMAINS)
        return EINVAL;
    memset(d, 0, sizeof(*d));
    d->d_tlb = t;
    d->d_id = id;
    int error = busdma_iommu_create(t->t_bm, iova_base, iova_size, &swtlb_iommu_ops, d, &d->d_iommu);
    if (error != 0)
        return error;
    t->t_domains[slot] = d;
    return 0;
}

int swtlb_domain_destroy(struct swtlb_domain *d)
{
    struct swtlb *t = d->d_tlb;
    int error = busdma_iommu_destroy(d->d_iommu);
    if (error != 0)
        return error;
    unsigned long s = kern_intr_disable();
    for (int i = 0; i < SWTLB_MAX_DOMAINS; i++)
        if (t->t_domains[i] == d)
            t->t_domains[i] = NULL;
    set(t, TLB_ENTRY_ATTR, d->d_id);
    set(t, TLB_COMMAND, CMD_INVALIDATE_ID);
    kern_intr_restore(s);
    return 0;
}

int swtlb_tsb_enable(struct swtlb *t, unsigned log2_entries)
{
    if (!t->t_has_tsb || log2_entries > 16)
        return EINVAL;
    if (t->t_tsb != NULL)
        return EBUSY;
    const struct frame_source *fs = t->t_bm->bm_frames;
    bus_size_t bytes = (bus_size_t)16 << log2_entries;
    struct frame_constraints c = { 0, ~(bus_addr_t)0, 0, 0, 0, 1 };
    int n;
    int error = fs->fs_ops->fs_alloc(fs->fs_cookie, bytes, &c, &t->t_tsb_seg, &n);
    if (error != 0)
        return error;
    uint8_t *kva = t->t_bm->bm_phys_to_kva(t->t_tsb_seg.ds_addr);
    if (kva == NULL) {
        fs->fs_ops->fs_free(fs->fs_cookie, &t->t_tsb_seg, 1);
        return EINVAL;
    }
    memset(kva, 0, (size_t)bytes);
    if (t->t_bm->bm_barrier != NULL)
        t->t_bm->bm_barrier();
    t->t_tsb = (volatile uint64_t *)(void *)kva;
    t->t_tsb_log2 = log2_entries;
    mmio_write64(t->t_base + TLB_TSB_BASE, t->t_tsb_seg.ds_addr);
    set(t, TLB_TSB_CONFIG, 1 | (log2_entries << 8));
    return 0;
}

void swtlb_tsb_disable(struct swtlb *t)
{
    if (t->t_tsb == NULL)
        return;
    set(t, TLB_TSB_CONFIG, 0);
    t->t_tsb = NULL;
    const struct frame_source *fs = t->t_bm->bm_frames;
    fs->fs_ops->fs_free(fs->fs_cookie, &t->t_tsb_seg, 1);
}

void swtlb_intr(void *arg)
{
    struct swtlb *t = arg;
    t->t_interrupts++;
    for (int n = 0; n < MAX_FAULTS_PER_INTERRUPT; n++) {
        uint32_t status = reg(t, TLB_STATUS);
        if ((status & STATUS_STICKY) != 0) {
            t->t_errors++;
            set(t, TLB_STATUS, status & STATUS_STICKY);
        }
        if ((status & STATUS_FAULT_PENDING) == 0)
            return;
        bus_addr_t va = mmio_read64(t->t_base + TLB_FAULT_VA);
        uint32_t info = reg(t, TLB_FAULT_INFO);
        unsigned id = info & 0xFFF;
        int write = (info >> 12) & 1;
        int stalled = (info >> 20) & 1;
        if (!stalled) {
            /* An initiator that cannot wait: its access was dropped; acknowledge. */
            t->t_dropped++;
            set(t, TLB_COMMAND, CMD_RESUME);
            continue;
        }
        struct swtlb_domain *d = domain_of(t, id);
        bus_addr_t pa;
        int prot;
        int need = write ? BUSDMA_PROT_WRITE : BUSDMA_PROT_READ;
        if (d != NULL && busdma_iommu_lookup(d->d_iommu, va, &pa, &prot) == 0 && (prot & need) != 0) {
            mmio_write64(t->t_base + TLB_ENTRY_VA, va & ~(PAGE - 1));
            mmio_write64(t->t_base + TLB_ENTRY_PA, pa & ~(PAGE - 1));
            set(t, TLB_ENTRY_ATTR, id | ATTR_VALID | attr_rights(prot));
            set(t, TLB_COMMAND, CMD_WRITE_RANDOM);
            set(t, TLB_COMMAND, CMD_RESUME);
            t->t_refills++;
        } else {
            /* Not mapped, or not with this right: the device must not touch the page. */
            set(t, TLB_COMMAND, CMD_ABORT);
            t->t_aborts++;
        }
    }
}

void swtlb_counters(const struct swtlb *t, struct swtlb_counters *c)
{
    c->hits = reg(t, TLB_HITS);
    c->misses = reg(t, TLB_MISSES);
    c->refills = reg(t, TLB_REFILLS);
    c->tsb_refills = reg(t, TLB_TSB_REFILLS);
    c->faults = reg(t, TLB_FAULTS);
}

void swtlb_reset_counters(struct swtlb *t)
{
    set(t, TLB_COMMAND, CMD_RESET_COUNTERS);
}
