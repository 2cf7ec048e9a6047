using System;
using System.Linq;
using Antmicro.Renode.Peripherals.Bus;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.BusDma.Memory;
using RenodeFrameAlloc.StandIn.Testing;

namespace RenodeFrameAlloc.Peripherals.Tests.Memory
{
    // What the device models reach through a Renode bus: memory only, and an access fails as a
    // whole unless all of it is memory. Renode's onlyMemory bulk accesses refuse a register in
    // the way but skip an unmapped gap silently, so the gap case is the one SystemBusMemory must
    // catch itself.
    public class SystemBusMemoryTests
    {
        [SetUp]
        public void SetUp()
        {
            // RAM: [A, A + 128 KiB) from two adjacent ranges, registers at A + 128 KiB, a gap to
            // C, RAM [C, C + 64 KiB), a gap, RAM [D, D + 64 KiB).
            ram = new PhysicalRam(new[]
            {
                new BusRange("a0", A, 0x1_0000),
                new BusRange("a1", A + 0x1_0000, 0x1_0000),
                new BusRange("c", C, 0x1_0000),
                new BusRange("d", D, 0x1_0000)
            });
            bus = new InMemoryBus(ram);
            registers = new ScratchRegisters();
            bus.Register(registers, new BusRangeRegistration(Registers, 0x100));
            memory = new SystemBusMemory(bus);
        }

        [Test]
        public void AnAccessInsideOneStretchOfRamWorksAcrossRangeSeams()
        {
            var data = Pattern(0x2000, 1);
            Assert.That(memory.TryWrite(A + 0xF000, data), Is.True);
            var back = new byte[data.Length];
            Assert.That(memory.TryRead(A + 0xF000, back), Is.True);
            Assert.That(back, Is.EqualTo(data));
            Assert.That(memory.IsMemory(C, 0x1_0000), Is.True, "a whole range, to its last byte");
        }

        [Test]
        public void AnAccessWithAGapInTheMiddleFailsAsAWholeAndWritesNothing()
        {
            // Both ends are RAM (in C and in D), the gap between them is not.
            var data = Pattern(0x1_2000, 2);
            Assert.That(memory.IsMemory(C + 0xF000, (ulong)data.Length), Is.False);
            Assert.That(memory.TryWrite(C + 0xF000, data), Is.False);
            Assert.That(ram.Read(C + 0xF000, 0x1000), Is.All.EqualTo(0), "nothing written before the gap");
            Assert.That(ram.Read(D, 0x1000), Is.All.EqualTo(0), "nothing written after the gap");
            Assert.That(memory.TryRead(C + 0xF000, new byte[data.Length]), Is.False);
        }

        [Test]
        public void AnAccessThatReachesRegistersFailsAndNeverTouchesThem()
        {
            Assert.That(memory.TryRead(A + 0x1_F000, new byte[0x1100]), Is.False);
            Assert.That(memory.TryWrite(A + 0x1_F000, Pattern(0x1100, 3)), Is.False);
            Assert.That(registers.Accesses, Is.Zero);
        }

        [Test]
        public void AnAccessPastTheEndOrWrappingFails()
        {
            Assert.That(memory.IsMemory(D + 0xF000, 0x1001), Is.False, "one byte past the last range");
            Assert.That(memory.IsMemory(ulong.MaxValue - 0xF, 0x20), Is.False, "wraps around");
            Assert.That(memory.IsMemory(A, 0), Is.True, "nothing to check");
        }

        private static byte[] Pattern(int length, int seed)
        {
            var data = new byte[length];
            new Random(seed).NextBytes(data);
            return data;
        }

        private const ulong A = 0x8000_0000;
        private const ulong Registers = A + 0x2_0000;
        private const ulong C = 0x8004_0000;
        private const ulong D = 0x8006_0000;

        private PhysicalRam ram;
        private InMemoryBus bus;
        private ScratchRegisters registers;
        private SystemBusMemory memory;
    }
}
