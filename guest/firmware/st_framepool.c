/*
 * st_framepool.c - the frame-pool device through its driver and its registers: the ranges,
 * the firmware's reservation, borrowing and returning, and every documented error.
 */
#include <errno.h>
#include <string.h>

#include "../drivers/kern.h"
#include "selftest.h"

#define FP FRAMEPOOL_BASE
#define PAGE 0x1000ull
#define HIGH_TOP (RAM_HIGH_BASE + RAM_HIGH_SIZE)

/* A result area of the tests' own, for requests programmed register by register. */
static bus_dma_segment_t area[8];

struct request {
    uint64_t size, low, high, align, boundary, maxsegsz, result;
    uint32_t maxsegs, preferred, capacity;
};

static struct request plain(uint64_t size)
{
    struct request r = { size, 0, ~0ull, 0, 0, 0, (uintptr_t)area, 1, 0, 8 };
    return r;
}

/* Programs every register of an ALLOCATE and runs it; returns ERROR. */
static uint32_t allocate(const struct request *r)
{
    mmio_write64(FP + FP_SIZE, r->size);
    mmio_write64(FP + FP_LOW, r->low);
    mmio_write64(FP + FP_HIGH, r->high);
    mmio_write64(FP + FP_ALIGN, r->align);
    mmio_write64(FP + FP_BOUNDARY, r->boundary);
    mmio_write32(FP + FP_MAX_SEGMENTS, r->maxsegs);
    mmio_write32(FP + FP_PREFERRED_RANGE, r->preferred);
    mmio_write64(FP + FP_MAX_SEGSIZE, r->maxsegsz);
    mmio_write64(FP + FP_RESULT, r->result);
    mmio_write32(FP + FP_RESULT_CAPACITY, r->capacity);
    return framepool_command(&board_framepool, FP_CMD_ALLOCATE);
}

static uint64_t free_frames(void)
{
    uint64_t total = 0;
    struct framepool_stats st;
    for (unsigned i = 0; i < framepool_range_count(&board_framepool); i++)
        if (framepool_stats(&board_framepool, i, &st) == 0)
            total += st.free;
    return total;
}

/* One page exactly at pa (the window names it), or 0 on failure. */
static int borrow_page_at(bus_addr_t pa)
{
    return borrow_buffer(PAGE, pa, pa + PAGE - 1) == (void *)(uintptr_t)pa;
}

static int identity_and_ranges(void)
{
    static const struct { uint64_t base, size; } ranges[3] = {
        { RAM_LOW_BASE, RAM_LOW_SIZE }, { RAM_DMA32_BASE, RAM_DMA32_SIZE },
        { RAM_HIGH_BASE, RAM_HIGH_SIZE },
    };
    EXPECT(mmio_read32(FP + FP_ID) == FP_DEVICE_ID, "ID 0x%x", (unsigned)mmio_read32(FP + FP_ID));
    EXPECT(mmio_read32(FP + FP_VERSION) == 1, "VERSION %u", (unsigned)mmio_read32(FP + FP_VERSION));
    EXPECT(framepool_range_count(&board_framepool) == 3, "%u ranges",
           framepool_range_count(&board_framepool));
    for (unsigned i = 0; i < 3; i++) {
        struct framepool_stats st;
        EXPECT(framepool_stats(&board_framepool, i, &st) == 0, "stats of range %u", i);
        EXPECT(st.base == ranges[i].base && st.size == ranges[i].size,
               "range %u is [0x%lx, +0x%lx)", i, (unsigned long)st.base, (unsigned long)st.size);
        EXPECT(st.page_size == PAGE && st.pages == ranges[i].size / PAGE,
               "range %u: page size %u, %u pages", i, (unsigned)st.page_size, (unsigned)st.pages);
        EXPECT(st.free + st.wired + st.active + st.inactive + st.cache == st.pages,
               "range %u: the counts do not add up to its pages", i);
    }
    EXPECT(board_busdma.bm_frames->fs_page_size == PAGE, "frame source page size");
    return 0;
}

static int image_is_reserved(void)
{
    bus_addr_t start = (uintptr_t)__image_start, end = (uintptr_t)__image_end;
    struct framepool_stats st;
    framepool_stats(&board_framepool, 1, &st);
    EXPECT(st.wired >= (end - start) / PAGE, "ram_dma32 has %u wired frames, the image is %lu",
           (unsigned)st.wired, (unsigned long)((end - start) / PAGE));
    struct frame_constraints c = { start, end - 1, 0, 0, 0, 1 };
    bus_dma_segment_t seg;
    int n;
    int error = framepool_borrow(&board_framepool, PAGE, &c, 0, &seg, &n);
    EXPECT(error == ENOMEM && framepool_error(&board_framepool) == FP_ERR_INSUFFICIENT_MEMORY,
           "a frame of the image was offered (error %d, device %u)", error,
           (unsigned)framepool_error(&board_framepool));
    snprintf(test_detail, sizeof(test_detail), "[0x%lx, 0x%lx), %lu frames",
             (unsigned long)start, (unsigned long)end, (unsigned long)((end - start) / PAGE));
    return 0;
}

static int borrow_and_return_in_each_range(void)
{
    static const uint64_t bases[3] = { RAM_LOW_BASE, RAM_DMA32_BASE, RAM_HIGH_BASE };
    static const uint64_t sizes[3] = { RAM_LOW_SIZE, RAM_DMA32_SIZE, RAM_HIGH_SIZE };
    for (unsigned i = 0; i < 3; i++) {
        struct framepool_stats before, during, after;
        framepool_stats(&board_framepool, i, &before);
        uint8_t *buf = borrow_buffer(3 * PAGE, bases[i], bases[i] + sizes[i] - 1);
        EXPECT(buf != NULL, "range %u: borrow failed, device error %u", i,
               (unsigned)framepool_error(&board_framepool));
        bus_addr_t pa = (uintptr_t)buf;
        EXPECT(pa >= bases[i] && pa + 3 * PAGE <= bases[i] + sizes[i] && (pa & (PAGE - 1)) == 0,
               "range %u: got 0x%lx", i, (unsigned long)pa);
        framepool_stats(&board_framepool, i, &during);
        EXPECT(during.free == before.free - 3 && during.wired == before.wired + 3
               && during.allocations == before.allocations + 1,
               "range %u: free %u -> %u, wired %u -> %u", i, (unsigned)before.free,
               (unsigned)during.free, (unsigned)before.wired, (unsigned)during.wired);
        /* Unmapped frames, but plain RAM to the CPU in machine mode. */
        pattern_fill(buf, 3 * PAGE, i);
        EXPECT(pattern_mismatch(buf, 3 * PAGE, i) < 0, "range %u: the frames do not hold data", i);
        bus_dma_segment_t seg = { pa, 3 * PAGE };
        EXPECT(framepool_return(&board_framepool, &seg, 1) == 0, "range %u: return failed (%u)", i,
               (unsigned)framepool_error(&board_framepool));
        framepool_stats(&board_framepool, i, &after);
        EXPECT(after.free == before.free && after.wired == before.wired,
               "range %u: free %u after return, %u before", i, (unsigned)after.free,
               (unsigned)before.free);
    }
    return 0;
}

static int aligned_bounded_and_scattered(void)
{
    /* 64 KiB aligned to 64 KiB below 16 MiB. */
    struct frame_constraints c = { 0, RAM_LOW_SIZE - 1, 0x10000, 0, 0, 1 };
    bus_dma_segment_t segs[4];
    int n;
    EXPECT(framepool_borrow(&board_framepool, 0x10000, &c, 0, segs, &n) == 0, "aligned borrow: %u",
           (unsigned)framepool_error(&board_framepool));
    EXPECT(n == 1 && (segs[0].ds_addr & 0xFFFF) == 0 && segs[0].ds_len == 0x10000,
           "aligned borrow gave 0x%lx+0x%lx", (unsigned long)segs[0].ds_addr,
           (unsigned long)segs[0].ds_len);
    EXPECT(framepool_return(&board_framepool, segs, n) == 0, "return");
    /* 12 KiB crossing no 16 KiB boundary. */
    struct frame_constraints b = { RAM_DMA32_BASE, RAM_DMA32_BASE + RAM_DMA32_SIZE - 1, 0, 0x4000, 0, 1 };
    EXPECT(framepool_borrow(&board_framepool, 0x3000, &b, 0, segs, &n) == 0, "bounded borrow: %u",
           (unsigned)framepool_error(&board_framepool));
    EXPECT(segs[0].ds_addr / 0x4000 == (segs[0].ds_addr + 0x2FFF) / 0x4000,
           "0x%lx+0x3000 crosses a 16 KiB boundary", (unsigned long)segs[0].ds_addr);
    EXPECT(framepool_return(&board_framepool, segs, n) == 0, "return");
    /* Four free pages with holes between them: four segments. */
    bus_addr_t w = HIGH_TOP - 8 * PAGE;
    for (int i = 1; i < 8; i += 2)
        EXPECT(borrow_page_at(w + (bus_addr_t)i * PAGE), "hole page %d", i);
    struct frame_constraints s = { w, HIGH_TOP - 1, 0, 0, 0, 4 };
    EXPECT(framepool_borrow(&board_framepool, 4 * PAGE, &s, 0, segs, &n) == 0, "scattered borrow: %u",
           (unsigned)framepool_error(&board_framepool));
    EXPECT(n == 4, "%d segments", n);
    for (int i = 0; i < 4; i++)
        EXPECT(segs[i].ds_addr == w + 2 * (bus_addr_t)i * PAGE && segs[i].ds_len == PAGE,
               "segment %d at 0x%lx", i, (unsigned long)segs[i].ds_addr);
    EXPECT(framepool_return(&board_framepool, segs, n) == 0, "return");
    for (int i = 1; i < 8; i += 2)
        return_buffer((void *)(uintptr_t)(w + (bus_addr_t)i * PAGE), PAGE);
    return 0;
}

/* The device's STATUS right after the command that failed (the undoing runs more commands). */
static uint32_t status_seen;

static uint32_t seen(uint32_t error)
{
    status_seen = board_framepool.fp_status;
    return error;
}

/* Sets up the situation for device error `code`, runs the command, and undoes the setup. */
static uint32_t provoke(int code, uint32_t *extra)
{
    struct request r = plain(PAGE);
    uint32_t error;
    *extra = 0;
    status_seen = 0;
    switch (code) {
    case FP_ERR_INVALID_SIZE:
        r.size = 0;
        return seen(allocate(&r));
    case FP_ERR_INVALID_ALIGNMENT:
        r.align = 0x3000;
        return seen(allocate(&r));
    case FP_ERR_INVALID_BOUNDARY:
        r.boundary = 0x800;
        return seen(allocate(&r));
    case FP_ERR_INVALID_WINDOW:
        r.low = 0x2000;
        r.high = 0x2000;
        return seen(allocate(&r));
    case FP_ERR_INVALID_SEGMENT_LIMITS:
        r.maxsegs = 0;
        return seen(allocate(&r));
    case FP_ERR_NO_RANGE_IN_WINDOW:
        r.low = 0x40000000;
        r.high = 0x50000000;
        return seen(allocate(&r));
    case FP_ERR_INSUFFICIENT_MEMORY: {
        /* All of ram_low while one of its frames is out. */
        void *one = borrow_buffer(PAGE, 0, RAM_LOW_SIZE - 1);
        r.size = RAM_LOW_SIZE;
        r.high = RAM_LOW_SIZE;
        error = one != NULL ? seen(allocate(&r)) : 0xFFFF;
        if (one != NULL)
            return_buffer(one, PAGE);
        return error;
    }
    case FP_ERR_FRAGMENTED: {
        /* Eight pages, every other one out: four free, no two together. */
        bus_addr_t w = HIGH_TOP - 8 * PAGE;
        int ok = 1;
        for (int i = 1; i < 8; i += 2)
            ok &= borrow_page_at(w + (bus_addr_t)i * PAGE);
        r.size = 2 * PAGE;
        r.low = w;
        r.high = HIGH_TOP;
        error = ok ? seen(allocate(&r)) : 0xFFFF;
        for (int i = 1; i < 8; i += 2)
            return_buffer((void *)(uintptr_t)(w + (bus_addr_t)i * PAGE), PAGE);
        return error;
    }
    case FP_ERR_NOT_ALLOCATED: {
        /* A double free: the second return finds nothing borrowed. */
        void *page = borrow_buffer(PAGE, RAM_HIGH_BASE, HIGH_TOP - 1);
        if (page == NULL)
            return 0xFFFF;
        return_buffer(page, PAGE);
        bus_dma_segment_t seg = { (uintptr_t)page, PAGE };
        framepool_return(&board_framepool, &seg, 1);
        return seen(framepool_error(&board_framepool));
    }
    case FP_ERR_PARTIAL_FREE: {
        uint8_t *two = borrow_buffer(2 * PAGE, RAM_HIGH_BASE, HIGH_TOP - 1);
        if (two == NULL)
            return 0xFFFF;
        bus_dma_segment_t half = { (uintptr_t)two, PAGE };
        framepool_return(&board_framepool, &half, 1);
        error = seen(framepool_error(&board_framepool));
        return_buffer(two, 2 * PAGE);
        return error;
    }
    case FP_ERR_RESULT_NOT_IN_MEMORY:
        r.result = 0x40000000;
        return seen(allocate(&r));
    case FP_ERR_BAD_SEGMENT_COUNT:
        r.capacity = 0;
        return seen(allocate(&r));
    case FP_ERR_UNKNOWN_COMMAND:
        return seen(framepool_command(&board_framepool, 99));
    case FP_ERR_UNKNOWN_RANGE_INDEX:
        mmio_write32(FP + FP_STATS_SELECT, 3);
        *extra = mmio_read32(FP + FP_STATS + 0x18);   /* FREE of a range that does not exist */
        board_framepool.fp_status = mmio_read32(FP + FP_STATUS);
        board_framepool.fp_error = mmio_read32(FP + FP_ERROR);
        mmio_write32(FP + FP_STATS_SELECT, 0);
        return seen(board_framepool.fp_error);
    case FP_ERR_UNKNOWN_PREFERRED_RANGE:
        r.preferred = 4;
        return seen(allocate(&r));
    }
    return 0xFFFF;
}

static int device_error(int code)
{
    uint64_t before = free_frames();
    uint32_t extra;
    uint32_t error = provoke(code, &extra);
    EXPECT(error == (uint32_t)code, "ERROR is %u, expected %d", (unsigned)error, code);
    EXPECT((status_seen & FP_STATUS_ERROR) != 0, "STATUS 0x%x has no ERROR bit", (unsigned)status_seen);
    EXPECT(extra == 0, "the statistic read 0x%x", (unsigned)extra);
    EXPECT(free_frames() == before, "%lu free frames after the error, %lu before",
           (unsigned long)free_frames(), (unsigned long)before);
    framepool_command(&board_framepool, FP_CMD_CLEAR_STATUS);
    EXPECT(mmio_read32(FP + FP_STATUS) == 0 && mmio_read32(FP + FP_ERROR) == 0,
           "CLEAR_STATUS left STATUS 0x%x ERROR %u", (unsigned)mmio_read32(FP + FP_STATUS),
           (unsigned)mmio_read32(FP + FP_ERROR));
    /* The device goes on: a plain request works. */
    void *page = borrow_buffer(PAGE, 0, ~0ull);
    EXPECT(page != NULL, "a plain borrow after the error failed (%u)",
           (unsigned)framepool_error(&board_framepool));
    return_buffer(page, PAGE);
    return 0;
}

void framepool_tests(void)
{
    static const struct { int code; const char *name; } errors[] = {
        { FP_ERR_INVALID_SIZE, "frame pool error 1 INVALID_SIZE" },
        { FP_ERR_INVALID_ALIGNMENT, "frame pool error 2 INVALID_ALIGNMENT" },
        { FP_ERR_INVALID_BOUNDARY, "frame pool error 3 INVALID_BOUNDARY" },
        { FP_ERR_INVALID_WINDOW, "frame pool error 4 INVALID_WINDOW" },
        { FP_ERR_INVALID_SEGMENT_LIMITS, "frame pool error 5 INVALID_SEGMENT_LIMITS" },
        { FP_ERR_NO_RANGE_IN_WINDOW, "frame pool error 6 NO_RANGE_IN_WINDOW" },
        { FP_ERR_INSUFFICIENT_MEMORY, "frame pool error 7 INSUFFICIENT_MEMORY" },
        { FP_ERR_FRAGMENTED, "frame pool error 8 FRAGMENTED" },
        { FP_ERR_NOT_ALLOCATED, "frame pool error 10 NOT_ALLOCATED" },
        { FP_ERR_PARTIAL_FREE, "frame pool error 11 PARTIAL_FREE" },
        { FP_ERR_RESULT_NOT_IN_MEMORY, "frame pool error 32 RESULT_NOT_IN_MEMORY" },
        { FP_ERR_BAD_SEGMENT_COUNT, "frame pool error 33 BAD_SEGMENT_COUNT" },
        { FP_ERR_UNKNOWN_COMMAND, "frame pool error 34 UNKNOWN_COMMAND" },
        { FP_ERR_UNKNOWN_RANGE_INDEX, "frame pool error 35 UNKNOWN_RANGE_INDEX" },
        { FP_ERR_UNKNOWN_PREFERRED_RANGE, "frame pool error 36 UNKNOWN_PREFERRED_RANGE" },
    };
    run_test("frame pool: identity and the board's three ranges", identity_and_ranges);
    run_test("frame pool: the firmware image is reserved", image_is_reserved);
    run_test("frame pool: borrow and return in each range", borrow_and_return_in_each_range);
    run_test("frame pool: aligned, bounded and scattered borrowing", aligned_bounded_and_scattered);
    for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
        run_test_arg(errors[i].name, device_error, errors[i].code);
}
