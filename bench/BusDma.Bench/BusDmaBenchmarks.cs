using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Devices.Memory;
using RenodeFrameAlloc.BusDma.Memory;

namespace RenodeFrameAlloc.BusDma.Bench
{
    // One 64 KiB transfer as a driver does it: Load + PREWRITE + POSTREAD + Unload, on the
    // isa/dma32/high layout with a device limited to isa [0, 16 MiB).
    // - "bounce": the buffer in high memory (16 bounce pages, 2 x 64 KiB copied) against a plain
    //   copy of the same 2 x 64 KiB through the same memory interface (the baseline).
    // - "checker": the buffer in isa memory (no bounce), with the checker off (baseline) and on.
    // - "device": the direct flow plus a device reading the buffer in 4 KiB accesses, from raw
    //   memory (baseline) and through the checker's device view.
    // Bounce pools keep their pages between loads, so every iteration is the steady state (no
    // allocator call); the first load of each layer happens in setup.
    [MemoryDiagnoser]
    [MedianColumn]
    [GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
    [CategoriesColumn]
    public class BusDmaBenchmarks
    {
        public const int BufferSize = 64 * 1024;
        public const int DeviceAccess = 4096;

        [GlobalSetup]
        public void Setup()
        {
            plain = new Setup(DmaCheckerMode.Off);
            checkedSetup = new Setup(DmaCheckerMode.Coherent);
            scratch = new byte[BufferSize];
            access = new byte[DeviceAccess];
            // Warm the bounce pools so the measured loads never grow them.
            plain.Flow(plain.HighBuffer);
            checkedSetup.Flow(checkedSetup.HighBuffer);
        }

        [Benchmark(Baseline = true), BenchmarkCategory("bounce")]
        public bool PlainCopyOfTheSameBytes()
        {
            var ram = plain.Ram;
            return ram.TryRead(plain.HighBuffer, scratch) && ram.TryWrite(plain.CopyTarget, scratch)
                && ram.TryRead(plain.CopyTarget, scratch) && ram.TryWrite(plain.HighBuffer, scratch);
        }

        [Benchmark, BenchmarkCategory("bounce")]
        public bool BouncedFlow()
        {
            return plain.Flow(plain.HighBuffer);
        }

        [Benchmark(Baseline = true), BenchmarkCategory("checker")]
        public bool DirectFlow()
        {
            return plain.Flow(plain.IsaBuffer);
        }

        [Benchmark, BenchmarkCategory("checker")]
        public bool DirectFlowChecked()
        {
            return checkedSetup.Flow(checkedSetup.IsaBuffer);
        }

        [Benchmark(Baseline = true), BenchmarkCategory("device")]
        public bool DirectFlowWithDeviceReads()
        {
            return plain.FlowWithDeviceReads(plain.IsaBuffer, plain.Ram, access);
        }

        [Benchmark, BenchmarkCategory("device")]
        public bool DirectFlowWithDeviceReadsChecked()
        {
            return checkedSetup.FlowWithDeviceReads(checkedSetup.IsaBuffer, checkedSetup.Layer.DeviceMemory, access);
        }

        internal Setup Plain => plain;
        internal Setup Checked => checkedSetup;

        private Setup plain;
        private Setup checkedSetup;
        private byte[] scratch;
        private byte[] access;
    }

    // One machine: allocator, RAM, layer, an isa-limited tag and map, and two buffers.
    internal sealed class Setup
    {
        public Setup(DmaCheckerMode checker)
        {
            const ulong MiB = 1UL << 20;
            const ulong GiB = 1UL << 30;
            var ranges = new[]
            {
                new BusRange("isa", 0, 16 * MiB),
                new BusRange("dma32", 16 * MiB, 4 * GiB - 16 * MiB),
                new BusRange("high", 4 * GiB, 4 * GiB)
            };
            var allocator = new FrameAllocator(ranges);
            Ram = new PhysicalRam(ranges);
            Layer = new BusDmaLayer(allocator, Ram, new BusDmaOptions { Checker = checker });
            var tag = Layer.CreateTag("isa-device", DmaTagLimits.Window(0, 16 * MiB)).Value;
            map = Layer.CreateMap(tag, BusDmaBenchmarks.BufferSize).Value;
            IsaBuffer = Take(allocator, 0, 16 * MiB);
            HighBuffer = Take(allocator, 4 * GiB, 8 * GiB);
            CopyTarget = Take(allocator, 0, 16 * MiB);
            var data = new byte[BusDmaBenchmarks.BufferSize];
            new Random(1).NextBytes(data);
            Ram.Write(IsaBuffer, data);
            Ram.Write(HighBuffer, data);
        }

        public PhysicalRam Ram { get; }
        public BusDmaLayer Layer { get; }
        public ulong IsaBuffer { get; }
        public ulong HighBuffer { get; }
        public ulong CopyTarget { get; }
        public DmaMap Map => map;

        public bool Flow(ulong buffer)
        {
            var ok = Layer.Load(map, buffer, BusDmaBenchmarks.BufferSize).Succeeded;
            ok &= Layer.Sync(map, 0, BusDmaBenchmarks.BufferSize, DmaSyncOperation.PreWrite).Succeeded;
            ok &= Layer.Sync(map, 0, BusDmaBenchmarks.BufferSize, DmaSyncOperation.PostRead).Succeeded;
            ok &= Layer.Unload(map).Succeeded;
            return ok;
        }

        public bool FlowWithDeviceReads(ulong buffer, IPhysicalMemory device, byte[] access)
        {
            var ok = Layer.Load(map, buffer, BusDmaBenchmarks.BufferSize).Succeeded;
            ok &= Layer.Sync(map, 0, BusDmaBenchmarks.BufferSize, DmaSyncOperation.PreWrite).Succeeded;
            foreach(var segment in map.Segments)
            {
                for(ulong offset = 0; offset < segment.Length; offset += (ulong)access.Length)
                {
                    ok &= device.TryRead(segment.Address + offset, access);
                }
            }
            ok &= Layer.Sync(map, 0, BusDmaBenchmarks.BufferSize, DmaSyncOperation.PostRead).Succeeded;
            ok &= Layer.Unload(map).Succeeded;
            return ok;
        }

        private static ulong Take(FrameAllocator allocator, ulong low, ulong high)
        {
            var result = allocator.Allocate(BusDmaBenchmarks.BufferSize, AllocationConstraints.Window(low, high));
            if(!result.Succeeded)
            {
                throw new InvalidOperationException(result.ToString());
            }
            return result.Segments[0].Address;
        }

        private readonly DmaMap map;
    }
}
