/*
 * framepool.h - driver of the frame-pool device (Miscellaneous.FramePoolDevice,
 * docs/frame-pool.md): borrow and return unmapped page frames, read each range's statistics,
 * and serve libbusdma as its frame source. One command at a time: not for interrupt handlers
 * (callers serialise, as libbusdma's callers do).
 */
#ifndef DRIVERS_FRAMEPOOL_H
#define DRIVERS_FRAMEPOOL_H

#include <busdma/frame_source.h>
#include <stdint.h>

/* Device ERROR values (docs/frame-pool.md). */
enum framepool_error {
    FP_ERR_NONE = 0,
    FP_ERR_INVALID_SIZE = 1,
    FP_ERR_INVALID_ALIGNMENT = 2,
    FP_ERR_INVALID_BOUNDARY = 3,
    FP_ERR_INVALID_WINDOW = 4,
    FP_ERR_INVALID_SEGMENT_LIMITS = 5,
    FP_ERR_NO_RANGE_IN_WINDOW = 6,
    FP_ERR_INSUFFICIENT_MEMORY = 7,
    FP_ERR_FRAGMENTED = 8,
    FP_ERR_NOT_ALLOCATED = 10,
    FP_ERR_PARTIAL_FREE = 11,
    FP_ERR_RESULT_NOT_IN_MEMORY = 32,
    FP_ERR_BAD_SEGMENT_COUNT = 33,
    FP_ERR_UNKNOWN_COMMAND = 34,
    FP_ERR_UNKNOWN_RANGE_INDEX = 35,
    FP_ERR_UNKNOWN_PREFERRED_RANGE = 36,
};

/* Registers (offsets). */
#define FP_ID               0x00
#define FP_VERSION          0x04
#define FP_COMMAND          0x08
#define FP_STATUS           0x0C
#define FP_ERROR            0x10
#define FP_SIZE             0x18
#define FP_LOW              0x20
#define FP_HIGH             0x28
#define FP_ALIGN            0x30
#define FP_BOUNDARY         0x38
#define FP_MAX_SEGMENTS     0x40
#define FP_PREFERRED_RANGE  0x44
#define FP_MAX_SEGSIZE      0x48
#define FP_RESULT           0x50
#define FP_RESULT_CAPACITY  0x58
#define FP_SEGMENT_COUNT    0x5C
#define FP_RANGE_COUNT      0x60
#define FP_STATS_SELECT     0x64
#define FP_STATS            0x80

#define FP_CMD_ALLOCATE     1
#define FP_CMD_FREE         2
#define FP_CMD_CLEAR_STATUS 3
#define FP_STATUS_DONE      0x1
#define FP_STATUS_ERROR     0x2
#define FP_DEVICE_ID        0x46504F4Cu   /* "FPOL" */

/* Segments one command can carry through the driver's result area. */
#define FRAMEPOOL_RESULT_MAX 64

struct framepool_stats {
    uint64_t base, size;
    uint32_t page_size, pages, free, wired, active, inactive, cache;
    uint32_t allocations, failures, reclaims;
};

struct framepool {
    uintptr_t fp_base;
    bus_dma_segment_t *fp_result;   /* the result area: FRAMEPOOL_RESULT_MAX entries in RAM */
    bus_addr_t fp_result_pa;        /* its physical address, as the device writes it */
    uint32_t fp_status;             /* STATUS and ERROR after the last command */
    uint32_t fp_error;
    struct frame_source fp_source;
};

/* Checks the device at base (ID, VERSION 1) and keeps result_area (FRAMEPOOL_RESULT_MAX
 * entries, at physical address result_pa) for its commands. 0, ENXIO (no frame pool there),
 * EINVAL. */
int framepool_attach(struct framepool *fp, uintptr_t base, bus_dma_segment_t *result_area,
                     bus_addr_t result_pa);

/* Borrows size bytes of frames satisfying c (preferred_range: 1-based range to try first, 0
 * the device's order) as at most c->fc_nsegs (and FRAMEPOOL_RESULT_MAX) segments into segs.
 * 0; EINVAL (a malformed request), ENOMEM (no frames satisfy it). framepool_error() names the
 * device's reason. */
int framepool_borrow(struct framepool *fp, bus_size_t size, const struct frame_constraints *c,
                     unsigned preferred_range, bus_dma_segment_t *segs, int *rsegs);

/* Returns exactly the segments of one borrow. 0, or EINVAL (NOT_ALLOCATED, PARTIAL_FREE...). */
int framepool_return(struct framepool *fp, const bus_dma_segment_t *segs, int nsegs);

/* The number of bus ranges, and one range's statistics (EINVAL beyond the last range). */
unsigned framepool_range_count(const struct framepool *fp);
int framepool_stats(struct framepool *fp, unsigned range, struct framepool_stats *st);

/* The device's ERROR after the driver's last command. */
uint32_t framepool_error(const struct framepool *fp);

/* Writes COMMAND as it is (the registers set before stay) and returns ERROR; STATUS is kept in
 * fp_status. For drivers and tests that program the registers themselves. */
uint32_t framepool_command(struct framepool *fp, uint32_t command);

/* The frame source libbusdma borrows through (valid as long as fp). */
const struct frame_source *framepool_frame_source(struct framepool *fp);

#endif
