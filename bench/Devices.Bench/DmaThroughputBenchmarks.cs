using System;
using BenchmarkDotNet.Attributes;
using RenodeFrameAlloc.Devices.Dma;

namespace RenodeFrameAlloc.Devices.Bench
{
    // DMA copy throughput against a plain copy of the same number of bytes, in the same run.
    // To add a variant (e.g. through the TLB, all hits), add a [Benchmark] method that runs a
    // DmaBenchRig built with a translator in GlobalSetup; the ratio column compares it to PlainCopy.
    [MemoryDiagnoser]
    public class DmaThroughputBenchmarks
    {
        [Params(4 * 1024, 64 * 1024, 1024 * 1024, 16 * 1024 * 1024)]
        public int Size { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            source = new byte[Size];
            destination = new byte[Size];
            new Random(1).NextBytes(source);
            dma = new DmaBenchRig(Size);
            dma.Run();
            dma.Verify();
            const DmaDescriptorControl both = DmaDescriptorControl.TranslateSource | DmaDescriptorControl.TranslateDestination;
            dmaTlbSmall = new DmaBenchRig(Size, translateBits: both);
            dmaTlbSmall.Engine.Translator = TlbBenchMappings.SmallPages(dmaTlbSmall);
            dmaTlbSmall.Run();
            dmaTlbSmall.Verify();
            dmaTlbLarge = new DmaBenchRig(Size, translateBits: both);
            dmaTlbLarge.Engine.Translator = TlbBenchMappings.LargePages(dmaTlbLarge);
            dmaTlbLarge.Run();
            dmaTlbLarge.Verify();
        }

        // The baseline: one memcpy of Size bytes between two arrays.
        [Benchmark(Baseline = true)]
        public void PlainCopy()
        {
            source.AsSpan().CopyTo(destination);
        }

        // One descriptor of Size bytes, physical addresses, no TLB: START to DONE.
        [Benchmark]
        public void Dma()
        {
            dma.Run();
        }

        // The same descriptor with both addresses through the SoftwareManagedTlbModel, 4 KiB pages: a
        // translation per page and side (all hits up to 8 MiB; 16 MiB refills from the TSB).
        [Benchmark]
        public void DmaTlb4KiBPages()
        {
            dmaTlbSmall.Run();
        }

        // The same through 2 MiB pages (all hits).
        [Benchmark]
        public void DmaTlb2MiBPages()
        {
            dmaTlbLarge.Run();
        }

        private byte[] source;
        private byte[] destination;
        private DmaBenchRig dma;
        private DmaBenchRig dmaTlbSmall;
        private DmaBenchRig dmaTlbLarge;
    }
}
