using System;
using BenchmarkDotNet.Attributes;

namespace RenodeFrameAlloc.Tlb.Bench
{
    // Bytes per second of one DMA descriptor of Size bytes, with and without the TLB, against a
    // plain copy of the same bytes between the same RAM areas (read into a buffer, write back:
    // what the engine does per piece, without descriptors, channels or translation).
    [MemoryDiagnoser]
    public class DmaThroughputBenchmarks
    {
        [Params(4 << 10, 64 << 10, 1 << 20, 16 << 20)]
        public int Size { get; set; }

        [GlobalSetup]
        public void Setup()
        {
            plain = new DmaRig(Size, TlbSetup.None);
            small = new DmaRig(Size, TlbSetup.SmallPages);
            large = new DmaRig(Size, TlbSetup.LargePages);
            buffer = new byte[Size];
            hostSource = new byte[Size];
            hostDestination = new byte[Size];
            foreach(var rig in new[] { plain, small, large })
            {
                rig.Run();
                rig.Check();
            }
            PlainCopy();
            if(!plain.Ram.Read(DmaRig.DestinationBase, Size).AsSpan().SequenceEqual(plain.Source))
            {
                throw new InvalidOperationException("the plain copy copied the wrong bytes");
            }
        }

        [Benchmark(Baseline = true)]
        public void PlainCopy()
        {
            plain.Ram.TryRead(DmaRig.SourceBase, buffer);
            plain.Ram.TryWrite(DmaRig.DestinationBase, buffer);
        }

        // Host memcpy of the same amount, for scale only.
        [Benchmark]
        public void HostMemoryCopy()
        {
            hostSource.AsSpan().CopyTo(hostDestination);
        }

        [Benchmark]
        public void DmaWithoutTlb()
        {
            plain.Run();
        }

        [Benchmark]
        public void DmaTlb4KiBPages()
        {
            small.Run();
        }

        [Benchmark]
        public void DmaTlb2MiBPages()
        {
            large.Run();
        }

        private DmaRig plain;
        private DmaRig small;
        private DmaRig large;
        private byte[] buffer;
        private byte[] hostSource;
        private byte[] hostDestination;
    }
}
