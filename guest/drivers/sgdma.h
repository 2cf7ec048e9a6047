/*
 * sgdma.h - driver of the scatter-gather DMA engine (DMA.ScatterGatherDma,
 * docs/dma-engine.md): descriptor chains built from loaded bus_dma maps, started per channel,
 * completion and errors reported by each channel's interrupt.
 */
#ifndef DRIVERS_SGDMA_H
#define DRIVERS_SGDMA_H

#include <busdma/bus_dma.h>
#include <stdint.h>

#define SGDMA_MAX_CHANNELS 32
#define SGDMA_DEVICE_ID 0x5347444Du   /* "SGDM" */

/* Descriptor (32 bytes, 8-byte aligned, fetched at physical addresses inside the window). */
struct sgdma_desc {
    uint64_t sd_src;
    uint64_t sd_dst;
    uint32_t sd_len;
    uint32_t sd_control;
    uint64_t sd_next;
};

#define SGDMA_DESC_END           0x1
#define SGDMA_DESC_IRQ           0x2
#define SGDMA_DESC_TRANSLATE_SRC 0x4
#define SGDMA_DESC_TRANSLATE_DST 0x8

/* Channel STATUS bits and ERROR_CAUSE values. */
#define SGDMA_STATUS_BUSY     0x01
#define SGDMA_STATUS_DONE     0x02
#define SGDMA_STATUS_ERROR    0x04
#define SGDMA_STATUS_TLB_WAIT 0x08
#define SGDMA_STATUS_DESC_IRQ 0x10

enum sgdma_cause {
    SGDMA_CAUSE_NONE = 0,
    SGDMA_CAUSE_OUTSIDE_WINDOW = 1,
    SGDMA_CAUSE_DESC_NOT_IN_MEMORY = 2,
    SGDMA_CAUSE_DESC_MISALIGNED = 3,
    SGDMA_CAUSE_ZERO_LENGTH = 4,
    SGDMA_CAUSE_CHAIN_LOOP = 5,
    SGDMA_CAUSE_CHAIN_TOO_LONG = 6,
    SGDMA_CAUSE_REGISTER_OVERLAP = 7,
    SGDMA_CAUSE_DATA_NOT_IN_MEMORY = 8,
    SGDMA_CAUSE_ABORTED = 9,
    SGDMA_CAUSE_TLB_ABORT = 10,
    SGDMA_CAUSE_TLB_PERMISSION = 11,
    SGDMA_CAUSE_NO_TRANSLATOR = 12,
    SGDMA_CAUSE_INTERNAL = 13,
};

struct sgdma;

struct sgdma_channel {
    struct sgdma *ch_sc;
    unsigned ch_index;
    volatile int ch_running;          /* started, completion not yet seen */
    /* What the interrupt handler saw when the chain stopped. */
    volatile uint32_t ch_status;
    volatile uint32_t ch_cause;
    volatile uint64_t ch_fault;
    volatile uint64_t ch_bytes;
    volatile uint32_t ch_descs;
    volatile uint32_t ch_interrupts;  /* handler runs for this channel */
};

struct sgdma {
    uintptr_t sc_base;
    unsigned sc_nchannels;
    bus_addr_t sc_window_low;         /* the addresses the engine drives: [low, high] */
    bus_addr_t sc_window_high;
    uint32_t sc_max_chain;
    struct sgdma_channel sc_chan[SGDMA_MAX_CHANNELS];
};

/* Checks the engine at base (ID) and reads its channels and window. 0 or ENXIO. */
int sgdma_attach(struct sgdma *sc, uintptr_t base);

/* A channel's interrupt handler (arg: its struct sgdma_channel). Records why the chain stopped
 * and clears DONE, ERROR and DESC_IRQ, which lowers the line. */
void sgdma_intr(void *arg);

/* Writes the descriptors that copy len bytes from src's segments to dst's (loaded maps; TRANSLATE
 * bits where the map is IOMMU-backed) into ring (its CPU pointer; ring_bus its bus address, which
 * the engine must reach untranslated), last one END|IRQ. 0 with *ndesc, EFBIG when more than
 * max_desc are needed, EINVAL (len 0 or beyond a map, a piece of 4 GiB or more). */
int sgdma_chain_copy(struct sgdma_desc *ring, bus_addr_t ring_bus, int max_desc,
                     bus_dmamap_t src, bus_dmamap_t dst, bus_size_t len, int *ndesc);

/* Starts channel ch at the chain at bus address chain, with its interrupt on. EBUSY while a chain
 * runs on it. */
int sgdma_start(struct sgdma_channel *ch, bus_addr_t chain);

/* Waits (interrupt-driven, kern_wait) until ch's chain stopped or timeout_ticks passed. 0: it
 * reached END; EIO: it stopped on an error (ch_cause, ch_fault); ETIMEDOUT: it was still running,
 * and has been aborted. Never waits longer than the timeout. */
int sgdma_wait(struct sgdma_channel *ch, uint64_t timeout_ticks);

/* Stops a running chain (ABORT). */
void sgdma_abort(struct sgdma_channel *ch);

const char *sgdma_cause_name(uint32_t cause);

#endif
