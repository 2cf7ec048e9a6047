/*
 * checker_fw.c - one bus_dma copy through the 32-bit engine, correct or with one deliberate
 * driver bug, for the emulator's DMA checker (docs/dma-checker.md, robot-tests/dma-checker.robot).
 * Built once per CHECKER_BUG value, with libbusdma reporting to the checker
 * (-DBUSDMA_DEBUG_REPORT=0x10005000):
 *
 *   0 correct         the bus_dma(9) sequence: no finding
 *   1 no-prewrite     the source is never PREWRITE-synced: DeviceAccessUnprepared
 *   2 no-postread     the CPU reads the target with no POSTREAD: CpuReadStale
 *   3 free-early      the target goes back to the frame pool while the engine still writes it:
 *                     DeviceAccessFreeFrame
 *   4 unload-early    the target map is unloaded while the engine still writes it:
 *                     DeviceAccessUnmapped (a device access after unload)
 *   5 wrong-direction POSTREAD on the source map (loaded BUS_DMA_WRITE): SyncWrongDirection
 *   6 leak            the target map is never unloaded: MapLeaked
 *   7 cpu-write       the CPU writes the target while the engine owns it: CpuWriteDeviceOwned
 *   8 bounce-leak     the driver never gives the bounce zone's frames back to the frame pool
 *                     (no busdma_machine_fini before it says it is done): BounceFramesLeaked
 *   9 probe           after the copy, one CPU load or store of the target with no POSTREAD, as
 *                     the probe_* variables say (the suite sets them before the hart starts):
 *                     probe_width bytes (1, 2, 4, 8) at probe_offset, a store when probe_write,
 *                     after unloading the map (still no POSTREAD) when probe_after_unload; with
 *                     probe_hold it prints "checker-fw: holding" first and waits for probe_go
 *                     (the suite saves and loads a snapshot there). CpuReadStale for a load,
 *                     CpuWriteDeviceOwned for a store while the map is loaded. probe_width 0
 *                     makes no access; probe_loops passes over the synced target (still
 *                     loaded) time the CPU watch.
 *
 * Every variant also loads one page from above 4 GiB on the 32-bit engine's tag, which bounces
 * (the bounce zone borrows its frame from the pool), and, but for bounce-leak, ends with
 * busdma_machine_fini, which gives the zone's frames back.
 *
 * The copy takes virtual time (the suite gives the engine a bandwidth), so "while the engine
 * still writes" is real: the driver tears down before it waits. Prints "checker-fw: done" last.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "../board/board.h"
#include "../drivers/kern.h"
#include "../drivers/sgdma.h"

#ifndef CHECKER_BUG
#define CHECKER_BUG 0
#endif

#define RING_BYTES 4096
#define COPY_BYTES 8192

/* The probe variant's parameters (bug 9), written by the suite after the ELF is loaded and
 * before the hart starts: in .data, which the startup code leaves as loaded (it zeroes .bss). */
#define PROBE_PARAMETER __attribute__((section(".data")))
volatile uint32_t probe_width PROBE_PARAMETER = 8;
volatile uint32_t probe_offset PROBE_PARAMETER = 0x1238;
volatile uint32_t probe_write PROBE_PARAMETER;
volatile uint32_t probe_after_unload PROBE_PARAMETER;
volatile uint32_t probe_hold PROBE_PARAMETER;
volatile uint32_t probe_go PROBE_PARAMETER;
/* For the checker's cost (docs/dma-checker.md): passes of 8-byte loads over the whole target
 * after its POSTREAD, while it is still loaded (watched). */
volatile uint32_t probe_loops PROBE_PARAMETER;

static struct sgdma dma;
static bus_dma_tag_t tag;
static bus_dma_segment_t ring_seg;
static struct sgdma_desc *ring;
static bus_dmamap_t ring_map;

static int attach(void)
{
    int rsegs, error = sgdma_attach(&dma, DMA32_BASE);
    if (error == 0)
        error = board_irq_establish(IRQ_DMA32_CH0, sgdma_intr, &dma.sc_chan[0]);
    if (error != 0)
        return error;
    struct bus_dma_tag_limits lim;
    memset(&lim, 0, sizeof(lim));
    lim.dt_low = dma.sc_window_low;
    lim.dt_high = dma.sc_window_high;
    lim.dt_alignment = 1;
    lim.dt_maxsegsz = 0xFFFFF000;
    lim.dt_nsegments = 32;
    lim.dt_flags = BUS_DMA_COHERENT;
    error = bus_dma_tag_create(&board_busdma, &lim, &tag);
    void *kva = NULL;
    if (error == 0)
        error = bus_dmamem_alloc(tag, RING_BYTES, 8, 0, &ring_seg, 1, &rsegs, BUS_DMA_NOWAIT);
    if (error == 0)
        error = bus_dmamem_map(tag, &ring_seg, 1, RING_BYTES, &kva, BUS_DMA_COHERENT);
    if (error == 0)
        error = bus_dmamap_create(tag, RING_BYTES, 1, 0, 0, BUS_DMA_NOWAIT, &ring_map);
    if (error == 0)
        error = bus_dmamap_load_raw(tag, ring_map, &ring_seg, 1, RING_BYTES, BUS_DMA_NOWAIT);
    ring = kva;
    return error;
}

static void detach(void)
{
    bus_dmamap_unload(tag, ring_map);
    bus_dmamap_destroy(tag, ring_map);
    bus_dmamem_unmap(tag, ring, RING_BYTES);
    bus_dmamem_free(tag, &ring_seg, 1);
}

/* One access of probe_width bytes at p, as the hart's load or store of that width. */
static void probe(char *p)
{
    switch (probe_width) {
    case 0:
        break;  /* no probe: a cost run */
    case 1:
        if (probe_write)
            *(volatile uint8_t *)p = 0x5A;
        else
            (void)*(volatile uint8_t *)p;
        break;
    case 2:
        if (probe_write)
            *(volatile uint16_t *)(void *)p = 0x5A5A;
        else
            (void)*(volatile uint16_t *)(void *)p;
        break;
    case 4:
        if (probe_write)
            *(volatile uint32_t *)(void *)p = 0x5A5A5A5Au;
        else
            (void)*(volatile uint32_t *)(void *)p;
        break;
    default:
        if (probe_write)
            *(volatile uint64_t *)(void *)p = 0x5A5A5A5A5A5A5A5Aull;
        else
            (void)*(volatile uint64_t *)(void *)p;
        break;
    }
}

/* A page above 4 GiB loaded for the 32-bit engine: it bounces (the zone borrows a frame from the
 * pool), is synced both ways and unloaded; the zone keeps the frame for the next load. */
static int bounce_once(void)
{
    struct frame_constraints high = { RAM_HIGH_BASE, RAM_HIGH_BASE + RAM_HIGH_SIZE - 1, 0, 0, 0, 1 };
    bus_dma_segment_t page;
    bus_dmamap_t map;
    int n, error = framepool_borrow(&board_framepool, 4096, &high, 0, &page, &n);
    if (error != 0)
        return error;
    char *buf = (char *)(uintptr_t)page.ds_addr;
    memset(buf, 0x42, 4096);
    error = bus_dmamap_create(tag, 4096, 0, 0, 0, BUS_DMA_NOWAIT, &map);
    if (error == 0) {
        error = bus_dmamap_load(tag, map, buf, 4096, NULL, BUS_DMA_NOWAIT | BUS_DMA_WRITE);
        if (error == 0 && !bus_dmamap_is_bounced(map))
            error = EINVAL;
        if (error == 0) {
            bus_dmamap_sync(tag, map, 0, 4096, BUS_DMASYNC_PREWRITE);
            bus_dmamap_sync(tag, map, 0, 4096, BUS_DMASYNC_POSTWRITE);
            bus_dmamap_unload(tag, map);
        }
        bus_dmamap_destroy(tag, map);
    }
    framepool_return(&board_framepool, &page, 1);
    return error;
}

static int copy(bus_dma_segment_t *dst_seg, const char *src, char *dst)
{
    struct sgdma_channel *ch = &dma.sc_chan[0];
    bus_dmamap_t in, out;
    int ndesc, error = bus_dmamap_create(tag, COPY_BYTES, 0, 0, 0, BUS_DMA_NOWAIT, &in);
    if (error == 0)
        error = bus_dmamap_create(tag, COPY_BYTES, 0, 0, 0, BUS_DMA_NOWAIT, &out);
    if (error == 0)
        error = bus_dmamap_load(tag, in, (void *)(uintptr_t)src, COPY_BYTES, NULL, BUS_DMA_NOWAIT | BUS_DMA_WRITE);
    if (error == 0)
        error = bus_dmamap_load(tag, out, dst, COPY_BYTES, NULL, BUS_DMA_NOWAIT | BUS_DMA_READ);
    if (error == 0)
        error = sgdma_chain_copy(ring, ring_map->dm_segs[0].ds_addr, RING_BYTES / sizeof(struct sgdma_desc),
                                 in, out, COPY_BYTES, &ndesc);
    if (error != 0)
        return error;
    bus_dmamap_sync(tag, ring_map, 0, RING_BYTES, BUS_DMASYNC_PREWRITE);
    if (CHECKER_BUG != 1)
        bus_dmamap_sync(tag, in, 0, COPY_BYTES, BUS_DMASYNC_PREWRITE);
    bus_dmamap_sync(tag, out, 0, COPY_BYTES, BUS_DMASYNC_PREREAD);
    error = sgdma_start(ch, ring_map->dm_segs[0].ds_addr);
    if (error != 0)
        return error;
    if (CHECKER_BUG == 7)
        ((volatile char *)dst)[0] = 'x';  /* the bug: the buffer is the device's until POSTREAD */
    if (CHECKER_BUG == 3 || CHECKER_BUG == 4) {
        /* The bug: the receive side is torn down before the transfer finished. */
        bus_dmamap_sync(tag, out, 0, COPY_BYTES, BUS_DMASYNC_POSTREAD);
        bus_dmamap_unload(tag, out);
        if (CHECKER_BUG == 3)
            framepool_return(&board_framepool, dst_seg, 1);
    }
    error = sgdma_wait(ch, kern_ticks_per_second());
    int out_loaded = CHECKER_BUG != 3 && CHECKER_BUG != 4;
    if (CHECKER_BUG == 9) {
        /* The bug: the CPU touches the target before POSTREAD (or unloads it without one). */
        if (probe_after_unload) {
            bus_dmamap_unload(tag, out);
            out_loaded = 0;
        }
        if (probe_hold) {
            printf("checker-fw: holding\n");
            while (!probe_go)
                ;
        }
        probe(dst + probe_offset);
    }
    if (CHECKER_BUG != 2 && out_loaded)
        bus_dmamap_sync(tag, out, 0, COPY_BYTES, BUS_DMASYNC_POSTREAD);
    if (CHECKER_BUG == 9 && out_loaded && probe_loops != 0) {
        uint64_t sum = 0;
        for (uint32_t pass = 0; pass < probe_loops; pass++)
            for (unsigned i = 0; i < COPY_BYTES / 8; i++)
                sum += ((volatile uint64_t *)(void *)dst)[i];
        printf("checker-fw: %u passes, sum %u\n", (unsigned)probe_loops, (unsigned)(sum & 0xFFFF));
    }
    bus_dmamap_sync(tag, in, 0, COPY_BYTES, CHECKER_BUG == 5 ? BUS_DMASYNC_POSTREAD : BUS_DMASYNC_POSTWRITE);
    bus_dmamap_sync(tag, ring_map, 0, RING_BYTES, BUS_DMASYNC_POSTWRITE);
    if (error == 0 && CHECKER_BUG != 3 && CHECKER_BUG != 9 && memcmp(dst, src, COPY_BYTES) != 0)
        error = EIO;
    if (CHECKER_BUG == 2)
        bus_dmamap_sync(tag, out, 0, COPY_BYTES, BUS_DMASYNC_POSTREAD);  /* too late: already read */
    if (out_loaded && CHECKER_BUG != 6)
        bus_dmamap_unload(tag, out);
    bus_dmamap_unload(tag, in);
    if (CHECKER_BUG != 6)
        bus_dmamap_destroy(tag, out);
    bus_dmamap_destroy(tag, in);
    return error;
}

int main(void)
{
    if (board_init() != 0)
        return 1;
    int error = attach();
    if (error == 0)
        error = bounce_once();
    struct frame_constraints low = { RAM_DMA32_BASE, RAM_DMA32_BASE + RAM_DMA32_SIZE - 1, 0, 0, 0, 1 };
    bus_dma_segment_t s, d;
    int n;
    if (error == 0)
        error = framepool_borrow(&board_framepool, COPY_BYTES, &low, 0, &s, &n);
    if (error == 0)
        error = framepool_borrow(&board_framepool, COPY_BYTES, &low, 0, &d, &n);
    if (error != 0) {
        printf("checker-fw: setup failed: %d\n", error);
        return 1;
    }
    char *src = (char *)(uintptr_t)s.ds_addr, *dst = (char *)(uintptr_t)d.ds_addr;
    for (int i = 0; i < COPY_BYTES; i++)
        src[i] = (char)('a' + i % 26);
    error = copy(&d, src, dst);
    printf("checker-fw: bug %d, copy %s\n", CHECKER_BUG, error == 0 ? "ok" : "failed");
    framepool_return(&board_framepool, &s, 1);
    if (CHECKER_BUG != 3)
        framepool_return(&board_framepool, &d, 1);
    detach();
    /* The bug of bounce-leak: the bounce zone's frames are never given back. */
    if (CHECKER_BUG != 8 && busdma_machine_fini(&board_busdma) != 0)
        printf("checker-fw: bounce pages still in use\n");
    busdma_debug_report_leaks();
    printf("checker-fw: done\n");
    return 0;
}
