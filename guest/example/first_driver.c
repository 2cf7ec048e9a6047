/*
 * first_driver.c - a driver to copy from: a "memory copy" device on the board's 32-bit
 * scatter-gather engine, written the bus_dma(9) way. Copy this file, rename `mycopy`, and
 * replace the descriptor format with your device's.
 *
 * The shape every bus_dma driver has:
 *   attach:   a tag saying what the device reaches; DMA memory for what the device reads on
 *             its own (here the descriptor ring), mapped for the CPU and loaded for the device;
 *   transfer: a map per buffer in flight; load (bus addresses in dm_segs, bounced if needed),
 *             PRE syncs, program the device, wait for its interrupt, POST syncs, unload;
 *   detach:   everything back in reverse order.
 * Every call returns an errno value; nothing here can hang (the wait has a timeout).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../board/board.h"
#include "../drivers/kern.h"
#include "../drivers/sgdma.h"

#define RING_BYTES 4096

struct mycopy_softc {
    struct sgdma sc_dma;
    bus_dma_tag_t sc_tag;             /* what the engine reaches: its 32-bit window */
    bus_dma_segment_t sc_ring_seg;    /* the descriptor ring: DMA memory */
    struct sgdma_desc *sc_ring;       /* ... as the CPU sees it */
    bus_dmamap_t sc_ring_map;         /* ... as the engine sees it */
};

static int mycopy_attach(struct mycopy_softc *sc, uintptr_t base, unsigned irq)
{
    int rsegs, error = sgdma_attach(&sc->sc_dma, base);
    if (error != 0)
        return error;
    error = board_irq_establish(irq, sgdma_intr, &sc->sc_dma.sc_chan[0]);
    if (error != 0)
        return error;

    struct bus_dma_tag_limits lim;
    memset(&lim, 0, sizeof(lim));
    lim.dt_low = sc->sc_dma.sc_window_low;     /* the engine reports its own window */
    lim.dt_high = sc->sc_dma.sc_window_high;
    lim.dt_alignment = 1;                      /* data may start at any byte */
    lim.dt_maxsegsz = 0xFFFFF000;              /* a descriptor moves < 4 GiB */
    lim.dt_nsegments = 32;
    lim.dt_flags = BUS_DMA_COHERENT;           /* this board has no caches to maintain */
    error = bus_dma_tag_create(&board_busdma, &lim, &sc->sc_tag);
    if (error != 0)
        return error;

    void *kva;
    error = bus_dmamem_alloc(sc->sc_tag, RING_BYTES, 8, 0, &sc->sc_ring_seg, 1, &rsegs, BUS_DMA_NOWAIT);
    if (error == 0)
        error = bus_dmamem_map(sc->sc_tag, &sc->sc_ring_seg, 1, RING_BYTES, &kva, BUS_DMA_COHERENT);
    if (error == 0)
        error = bus_dmamap_create(sc->sc_tag, RING_BYTES, 1, 0, 0, BUS_DMA_NOWAIT, &sc->sc_ring_map);
    if (error == 0)
        error = bus_dmamap_load_raw(sc->sc_tag, sc->sc_ring_map, &sc->sc_ring_seg, 1, RING_BYTES,
                                    BUS_DMA_NOWAIT);
    sc->sc_ring = kva;
    return error;
}

/* Copies len bytes from src to dst (any RAM) with the engine. 0, or an errno value. */
static int mycopy_copy(struct mycopy_softc *sc, void *dst, const void *src, bus_size_t len,
                       int *bounced)
{
    struct sgdma_channel *ch = &sc->sc_dma.sc_chan[0];
    bus_dmamap_t in, out;
    int ndesc, error = bus_dmamap_create(sc->sc_tag, len, 0, 0, 0, BUS_DMA_NOWAIT, &in);
    if (error != 0)
        return error;
    error = bus_dmamap_create(sc->sc_tag, len, 0, 0, 0, BUS_DMA_NOWAIT, &out);
    if (error != 0)
        goto destroy_in;
    /* BUS_DMA_WRITE: memory -> device; BUS_DMA_READ: device -> memory. */
    error = bus_dmamap_load(sc->sc_tag, in, (void *)(uintptr_t)src, len, NULL, BUS_DMA_NOWAIT | BUS_DMA_WRITE);
    if (error != 0)
        goto destroy_out;
    error = bus_dmamap_load(sc->sc_tag, out, dst, len, NULL, BUS_DMA_NOWAIT | BUS_DMA_READ);
    if (error != 0)
        goto unload_in;
    *bounced = bus_dmamap_is_bounced(in) || bus_dmamap_is_bounced(out);

    error = sgdma_chain_copy(sc->sc_ring, sc->sc_ring_map->dm_segs[0].ds_addr,
                             RING_BYTES / sizeof(struct sgdma_desc), in, out, len, &ndesc);
    if (error != 0)
        goto unload_out;
    bus_dmamap_sync(sc->sc_tag, sc->sc_ring_map, 0, RING_BYTES, BUS_DMASYNC_PREWRITE);
    bus_dmamap_sync(sc->sc_tag, in, 0, len, BUS_DMASYNC_PREWRITE);   /* bounce: buffer -> pages */
    bus_dmamap_sync(sc->sc_tag, out, 0, len, BUS_DMASYNC_PREREAD);
    error = sgdma_start(ch, sc->sc_ring_map->dm_segs[0].ds_addr);
    if (error == 0)
        error = sgdma_wait(ch, kern_ticks_per_second());   /* the channel's interrupt wakes us */
    bus_dmamap_sync(sc->sc_tag, out, 0, len, BUS_DMASYNC_POSTREAD);  /* bounce: pages -> buffer */
    bus_dmamap_sync(sc->sc_tag, in, 0, len, BUS_DMASYNC_POSTWRITE);
    bus_dmamap_sync(sc->sc_tag, sc->sc_ring_map, 0, RING_BYTES, BUS_DMASYNC_POSTWRITE);
    if (error == EIO)
        printf("mycopy: the engine stopped: %s\n", sgdma_cause_name(ch->ch_cause));
unload_out:
    bus_dmamap_unload(sc->sc_tag, out);
unload_in:
    bus_dmamap_unload(sc->sc_tag, in);
destroy_out:
    bus_dmamap_destroy(sc->sc_tag, out);
destroy_in:
    bus_dmamap_destroy(sc->sc_tag, in);
    return error;
}

int main(void)
{
    static struct mycopy_softc sc;
    if (board_init() != 0)
        return 1;
    int error = mycopy_attach(&sc, DMA32_BASE, IRQ_DMA32_CH0);
    if (error != 0) {
        printf("mycopy: attach failed: %d\n", error);
        return 1;
    }
    /* A source above 4 GiB, which this 32-bit engine cannot reach: bus_dma bounces it. (With
     * an IOMMU-backed tag, as firmware/selftest.c makes for the TLB, it would be mapped.) */
    struct frame_constraints high = { RAM_HIGH_BASE, RAM_HIGH_BASE + RAM_HIGH_SIZE - 1, 0, 0, 0, 1 };
    struct frame_constraints low = { RAM_DMA32_BASE, RAM_DMA32_BASE + RAM_DMA32_SIZE - 1, 0, 0, 0, 1 };
    bus_dma_segment_t s, d;
    int n;
    if (framepool_borrow(&board_framepool, 8192, &high, 0, &s, &n) != 0
        || framepool_borrow(&board_framepool, 8192, &low, 0, &d, &n) != 0) {
        printf("mycopy: no buffers\n");
        return 1;
    }
    char *src = (char *)(uintptr_t)s.ds_addr, *dst = (char *)(uintptr_t)d.ds_addr;
    for (int i = 0; i < 8192; i++)
        src[i] = (char)('a' + i % 26);
    int bounced = 0;
    error = mycopy_copy(&sc, dst, src, 8192, &bounced);
    int same = error == 0 && memcmp(dst, src, 8192) == 0;
    printf("mycopy: copied 8192 bytes from 0x%lx to 0x%lx, %s: %s\n", (unsigned long)s.ds_addr,
           (unsigned long)d.ds_addr, bounced ? "bounced" : "direct",
           same ? "ok" : "FAILED");
    framepool_return(&board_framepool, &s, 1);
    framepool_return(&board_framepool, &d, 1);
    return same ? 0 : 1;
}
