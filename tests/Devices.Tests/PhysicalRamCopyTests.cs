using System;
using CsCheck;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.BusDma.Memory;

namespace RenodeFrameAlloc.Devices.Tests
{
    // PhysicalRam.TryCopy, which the DMA engine uses for whole pieces, against a flat-array memmove.
    public class PhysicalRamCopyTests
    {
        [Test]
        public void CopyBehavesLikeMemmoveOnAFlatArray()
        {
            // Two regions with a hole between; some chunks never touched (they read as zero).
            const ulong regionSize = 4 * 65536;
            const ulong secondBase = regionSize + 65536;
            var generator =
                from sourceRegion in Gen.Int[0, 1]
                from destinationRegion in Gen.Int[0, 1]
                from length in Gen.OneOf(Gen.ULong[0, 200], Gen.ULong[0, 3 * 65536])
                from sourceOffset in Gen.ULong[0, regionSize - length]
                from destinationOffset in Gen.ULong[0, regionSize - length]
                from touched in Gen.Bool.Array[8]
                from seed in Gen.Int
                select (sourceRegion, destinationRegion, length, sourceOffset, destinationOffset, touched, seed);

            generator.Sample(c =>
            {
                var ram = new PhysicalRam(new[] { new BusRange("a", 0, regionSize), new BusRange("b", secondBase, regionSize) });
                var oracle = new[] { new byte[regionSize], new byte[regionSize] };
                var random = new Random(c.seed);
                for(var chunk = 0; chunk < 8; chunk++)
                {
                    if(c.touched[chunk])
                    {
                        var region = chunk / 4;
                        var bytes = new byte[65536];
                        random.NextBytes(bytes);
                        bytes.CopyTo(oracle[region], (chunk % 4) * 65536);
                        ram.Write((region == 0 ? 0 : secondBase) + (ulong)(chunk % 4) * 65536, bytes);
                    }
                }
                var source = (c.sourceRegion == 0 ? 0 : secondBase) + c.sourceOffset;
                var destination = (c.destinationRegion == 0 ? 0 : secondBase) + c.destinationOffset;

                Assert.That(ram.TryCopy(source, destination, c.length), Is.True);

                var moved = oracle[c.sourceRegion].AsSpan((int)c.sourceOffset, (int)c.length).ToArray();
                moved.CopyTo(oracle[c.destinationRegion], (int)c.destinationOffset);
                // SequenceEqual: NUnit's element-wise comparison is too slow for 256 KiB per sample.
                Assert.That(ram.Read(0, (int)regionSize).AsSpan().SequenceEqual(oracle[0]), Is.True, "region a");
                Assert.That(ram.Read(secondBase, (int)regionSize).AsSpan().SequenceEqual(oracle[1]), Is.True, "region b");
            }, iter: 300);
        }

        [Test]
        public void CopyTouchingAHoleWritesNothing()
        {
            var ram = new PhysicalRam(new[] { new BusRange("a", 0, 0x10000), new BusRange("b", 0x20000, 0x10000) });
            var data = new byte[0x100];
            new Random(3).NextBytes(data);
            ram.Write(0xFF00, data);

            Assert.That(ram.TryCopy(0xFF00, 0x20000, 0x200), Is.False, "source runs into the hole");
            Assert.That(ram.TryCopy(0x20000, 0xFF80, 0x100), Is.False, "destination runs into the hole");

            Assert.That(ram.Read(0x20000, 0x200), Is.All.EqualTo(0));
            Assert.That(ram.Read(0xFF00, 0x100), Is.EqualTo(data));
        }
    }
}
