/*
 * framepool.c - see framepool.h.
 */
#include "framepool.h"

#include <errno.h>
#include <string.h>

#include "kern.h"

static uint32_t reg(const struct framepool *fp, uint32_t offset)
{
    return mmio_read32(fp->fp_base + offset);
}

static void set(const struct framepool *fp, uint32_t offset, uint32_t value)
{
    mmio_write32(fp->fp_base + offset, value);
}

uint32_t framepool_command(struct framepool *fp, uint32_t command)
{
    set(fp, FP_COMMAND, command);
    /* Commands complete inside the write (the device has no interrupt). */
    fp->fp_status = reg(fp, FP_STATUS);
    fp->fp_error = reg(fp, FP_ERROR);
    return fp->fp_error;
}

static int source_alloc(void *cookie, bus_size_t size, const struct frame_constraints *c,
                        bus_dma_segment_t *segs, int *rsegs)
{
    return framepool_borrow(cookie, size, c, 0, segs, rsegs);
}

static int source_free(void *cookie, const bus_dma_segment_t *segs, int nsegs)
{
    return framepool_return(cookie, segs, nsegs);
}

static const struct frame_source_ops framepool_source_ops = { source_alloc, source_free };

int framepool_attach(struct framepool *fp, uintptr_t base, bus_dma_segment_t *result_area,
                     bus_addr_t result_pa)
{
    if (fp == NULL || result_area == NULL)
        return EINVAL;
    memset(fp, 0, sizeof(*fp));
    fp->fp_base = base;
    if (reg(fp, FP_ID) != FP_DEVICE_ID || reg(fp, FP_VERSION) != 1)
        return ENXIO;
    fp->fp_result = result_area;
    fp->fp_result_pa = result_pa;
    fp->fp_source.fs_ops = &framepool_source_ops;
    fp->fp_source.fs_cookie = fp;
    /* The smallest page of the ranges: every frame the device hands out is a multiple of it. */
    uint32_t page = 0;
    for (unsigned i = 0; i < framepool_range_count(fp); i++) {
        set(fp, FP_STATS_SELECT, i);
        uint32_t p = reg(fp, FP_STATS + 4 * 4);
        if (page == 0 || p < page)
            page = p;
    }
    fp->fp_source.fs_page_size = page == 0 ? 4096 : page;
    framepool_command(fp, FP_CMD_CLEAR_STATUS);
    return 0;
}

/* errno for a device error: a request no frames satisfy is ENOMEM, a malformed one EINVAL. */
static int errno_of(uint32_t error)
{
    switch (error) {
    case FP_ERR_NONE:
        return 0;
    case FP_ERR_INVALID_WINDOW:        /* the driver never sends LOW >= HIGH: narrower than asked */
    case FP_ERR_NO_RANGE_IN_WINDOW:
    case FP_ERR_INSUFFICIENT_MEMORY:
    case FP_ERR_FRAGMENTED:
        return ENOMEM;
    default:
        return EINVAL;
    }
}

int framepool_borrow(struct framepool *fp, bus_size_t size, const struct frame_constraints *c,
                     unsigned preferred_range, bus_dma_segment_t *segs, int *rsegs)
{
    if (fp == NULL || c == NULL || segs == NULL || rsegs == NULL || c->fc_nsegs < 1
        || c->fc_low > c->fc_high)
        return EINVAL;
    int capacity = c->fc_nsegs < FRAMEPOOL_RESULT_MAX ? c->fc_nsegs : FRAMEPOOL_RESULT_MAX;
    /* The device's window end is exclusive; the very last byte of the bus cannot be named. */
    uint64_t high = c->fc_high == ~(bus_addr_t)0 ? ~(uint64_t)0 : c->fc_high + 1;
    mmio_write64(fp->fp_base + FP_SIZE, size);
    mmio_write64(fp->fp_base + FP_LOW, c->fc_low);
    mmio_write64(fp->fp_base + FP_HIGH, high);
    mmio_write64(fp->fp_base + FP_ALIGN, c->fc_alignment);
    mmio_write64(fp->fp_base + FP_BOUNDARY, c->fc_boundary);
    set(fp, FP_MAX_SEGMENTS, (uint32_t)capacity);
    set(fp, FP_PREFERRED_RANGE, preferred_range);
    mmio_write64(fp->fp_base + FP_MAX_SEGSIZE, c->fc_maxsegsz);
    mmio_write64(fp->fp_base + FP_RESULT, fp->fp_result_pa);
    set(fp, FP_RESULT_CAPACITY, (uint32_t)capacity);
    int error = errno_of(framepool_command(fp, FP_CMD_ALLOCATE));
    if (error != 0)
        return error;
    uint32_t n = reg(fp, FP_SEGMENT_COUNT);
    if (n < 1 || n > (uint32_t)capacity)
        return EINVAL;   /* a device that breaks its contract; nothing sensible to return */
    memcpy(segs, fp->fp_result, n * sizeof(bus_dma_segment_t));
    *rsegs = (int)n;
    return 0;
}

int framepool_return(struct framepool *fp, const bus_dma_segment_t *segs, int nsegs)
{
    if (fp == NULL || segs == NULL || nsegs < 1 || nsegs > FRAMEPOOL_RESULT_MAX)
        return EINVAL;
    memcpy(fp->fp_result, segs, (size_t)nsegs * sizeof(bus_dma_segment_t));
    mmio_write64(fp->fp_base + FP_RESULT, fp->fp_result_pa);
    set(fp, FP_SEGMENT_COUNT, (uint32_t)nsegs);
    return errno_of(framepool_command(fp, FP_CMD_FREE));
}

unsigned framepool_range_count(const struct framepool *fp)
{
    return reg(fp, FP_RANGE_COUNT);
}

int framepool_stats(struct framepool *fp, unsigned range, struct framepool_stats *st)
{
    if (range >= framepool_range_count(fp))
        return EINVAL;
    set(fp, FP_STATS_SELECT, range);
    st->base = mmio_read64(fp->fp_base + FP_STATS + 0x00);
    st->size = mmio_read64(fp->fp_base + FP_STATS + 0x08);
    st->page_size = reg(fp, FP_STATS + 0x10);
    st->pages = reg(fp, FP_STATS + 0x14);
    st->free = reg(fp, FP_STATS + 0x18);
    st->wired = reg(fp, FP_STATS + 0x1C);
    st->active = reg(fp, FP_STATS + 0x20);
    st->inactive = reg(fp, FP_STATS + 0x24);
    st->cache = reg(fp, FP_STATS + 0x28);
    st->allocations = reg(fp, FP_STATS + 0x2C);
    st->failures = reg(fp, FP_STATS + 0x30);
    st->reclaims = reg(fp, FP_STATS + 0x34);
    return 0;
}

uint32_t framepool_error(const struct framepool *fp)
{
    return fp->fp_error;
}

const struct frame_source *framepool_frame_source(struct framepool *fp)
{
    return &fp->fp_source;
}
