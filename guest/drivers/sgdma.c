/*
 * sgdma.c - see sgdma.h.
 */
#include "sgdma.h"

#include <errno.h>
#include <string.h>

#include "kern.h"

#define SG_ID            0x00
#define SG_CHANNELS      0x08
#define SG_MAX_CHAIN     0x0C
#define SG_WINDOW_BASE   0x10
#define SG_WINDOW_LAST   0x18

#define CH_DESC_PTR      0x00
#define CH_CONTROL       0x08
#define CH_STATUS        0x0C
#define CH_ERROR_CAUSE   0x10
#define CH_BYTES_DONE    0x14
#define CH_DESCS_DONE    0x24
#define CH_FAULT_ADDR    0x28

#define CONTROL_START    0x1
#define CONTROL_ABORT    0x2
#define CONTROL_IRQ_EN   0x4
#define STATUS_W1C       (SGDMA_STATUS_DONE | SGDMA_STATUS_ERROR | SGDMA_STATUS_DESC_IRQ)

static uintptr_t channel_base(const struct sgdma_channel *ch)
{
    return ch->ch_sc->sc_base + 0x100 + 0x40 * ch->ch_index;
}

int sgdma_attach(struct sgdma *sc, uintptr_t base)
{
    memset(sc, 0, sizeof(*sc));
    sc->sc_base = base;
    if (mmio_read32(base + SG_ID) != SGDMA_DEVICE_ID)
        return ENXIO;
    sc->sc_nchannels = mmio_read32(base + SG_CHANNELS);
    if (sc->sc_nchannels < 1 || sc->sc_nchannels > SGDMA_MAX_CHANNELS)
        return ENXIO;
    sc->sc_max_chain = mmio_read32(base + SG_MAX_CHAIN);
    sc->sc_window_low = mmio_read64(base + SG_WINDOW_BASE);
    sc->sc_window_high = mmio_read64(base + SG_WINDOW_LAST);
    for (unsigned i = 0; i < sc->sc_nchannels; i++) {
        sc->sc_chan[i].ch_sc = sc;
        sc->sc_chan[i].ch_index = i;
        /* A channel left running by whoever ran before is stopped, its status cleared. */
        mmio_write32(channel_base(&sc->sc_chan[i]) + CH_CONTROL, CONTROL_ABORT);
        mmio_write32(channel_base(&sc->sc_chan[i]) + CH_STATUS, STATUS_W1C);
    }
    return 0;
}

void sgdma_intr(void *arg)
{
    struct sgdma_channel *ch = arg;
    uintptr_t cb = channel_base(ch);
    uint32_t status = mmio_read32(cb + CH_STATUS);
    ch->ch_interrupts++;
    if ((status & (SGDMA_STATUS_DONE | SGDMA_STATUS_ERROR)) != 0
        && (status & SGDMA_STATUS_BUSY) == 0) {
        ch->ch_status = status;
        ch->ch_cause = mmio_read32(cb + CH_ERROR_CAUSE);
        ch->ch_fault = mmio_read64(cb + CH_FAULT_ADDR);
        ch->ch_bytes = mmio_read64(cb + CH_BYTES_DONE);
        ch->ch_descs = mmio_read32(cb + CH_DESCS_DONE);
        ch->ch_running = 0;
    }
    mmio_write32(cb + CH_STATUS, status & STATUS_W1C);
}

static int put_desc(struct sgdma_desc *ring, bus_addr_t ring_bus, int max_desc, int *n,
                    bus_addr_t src, bus_addr_t dst, bus_size_t len, uint32_t control)
{
    if (len >= ((bus_size_t)1 << 32))
        return EINVAL;
    if (*n == max_desc)
        return EFBIG;
    struct sgdma_desc *d = &ring[*n];
    d->sd_src = src;
    d->sd_dst = dst;
    d->sd_len = (uint32_t)len;
    d->sd_control = control;
    d->sd_next = ring_bus + (bus_addr_t)(*n + 1) * sizeof(struct sgdma_desc);
    (*n)++;
    return 0;
}

int sgdma_chain_copy(struct sgdma_desc *ring, bus_addr_t ring_bus, int max_desc,
                     bus_dmamap_t src, bus_dmamap_t dst, bus_size_t len, int *ndesc)
{
    if (len == 0 || len > src->dm_mapsize || len > dst->dm_mapsize || (ring_bus & 7) != 0)
        return EINVAL;
    uint32_t translate = (bus_dmamap_is_translated(src) ? SGDMA_DESC_TRANSLATE_SRC : 0)
                       | (bus_dmamap_is_translated(dst) ? SGDMA_DESC_TRANSLATE_DST : 0);
    int si = 0, di = 0, n = 0;
    bus_size_t s_off = 0, d_off = 0;
    /* Walk both segment lists at once: each descriptor ends where either segment ends. */
    while (len > 0) {
        bus_size_t s_left = src->dm_segs[si].ds_len - s_off;
        bus_size_t d_left = dst->dm_segs[di].ds_len - d_off;
        bus_size_t take = s_left < d_left ? s_left : d_left;
        if (take > len)
            take = len;
        int error = put_desc(ring, ring_bus, max_desc, &n, src->dm_segs[si].ds_addr + s_off,
                             dst->dm_segs[di].ds_addr + d_off, take, translate);
        if (error != 0)
            return error;
        len -= take;
        s_off += take;
        d_off += take;
        if (s_off == src->dm_segs[si].ds_len) {
            si++;
            s_off = 0;
        }
        if (d_off == dst->dm_segs[di].ds_len) {
            di++;
            d_off = 0;
        }
    }
    ring[n - 1].sd_control |= SGDMA_DESC_END | SGDMA_DESC_IRQ;
    ring[n - 1].sd_next = 0;
    *ndesc = n;
    return 0;
}

int sgdma_start(struct sgdma_channel *ch, bus_addr_t chain)
{
    uintptr_t cb = channel_base(ch);
    if (ch->ch_running || (mmio_read32(cb + CH_STATUS) & SGDMA_STATUS_BUSY) != 0)
        return EBUSY;
    ch->ch_status = 0;
    ch->ch_cause = 0;
    ch->ch_running = 1;   /* before START: the completion may interrupt inside the write */
    mmio_write64(cb + CH_DESC_PTR, chain);
    mmio_write32(cb + CH_CONTROL, CONTROL_START | CONTROL_IRQ_EN);
    return 0;
}

void sgdma_abort(struct sgdma_channel *ch)
{
    mmio_write32(channel_base(ch) + CH_CONTROL, CONTROL_ABORT | CONTROL_IRQ_EN);
}

int sgdma_wait(struct sgdma_channel *ch, uint64_t timeout_ticks)
{
    uint64_t deadline = kern_now() + timeout_ticks;
    unsigned long s = kern_intr_disable();
    while (ch->ch_running && kern_now() < deadline)
        kern_wait(deadline);
    int timed_out = ch->ch_running;
    kern_intr_restore(s);
    if (timed_out) {
        sgdma_abort(ch);
        /* The abort's interrupt records the stop; give it a moment, then forget the chain. */
        s = kern_intr_disable();
        uint64_t grace = kern_now() + kern_ticks_per_second() / 100;
        while (ch->ch_running && kern_now() < grace)
            kern_wait(grace);
        ch->ch_running = 0;
        kern_intr_restore(s);
        return ETIMEDOUT;
    }
    if ((ch->ch_status & SGDMA_STATUS_ERROR) != 0)
        return EIO;
    return 0;
}

const char *sgdma_cause_name(uint32_t cause)
{
    static const char *const names[] = {
        "None", "AddressOutsideWindow", "DescriptorNotInMemory", "DescriptorMisaligned",
        "ZeroLength", "ChainLoop", "ChainTooLong", "RegisterOverlap", "DataNotInMemory",
        "Aborted", "TlbAbort", "TlbPermissionFault", "TranslationUnavailable", "InternalError",
    };
    return cause < sizeof(names) / sizeof(names[0]) ? names[cause] : "unknown";
}
