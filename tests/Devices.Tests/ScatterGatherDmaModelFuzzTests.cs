using System;
using System.Collections.Generic;
using NUnit.Framework;
using RenodeFrameAlloc.Frames;
using RenodeFrameAlloc.Devices.Memory;
using RenodeFrameAlloc.BusDma.Memory;
using static RenodeFrameAlloc.Tests.DmaRegisterMap;
using RenodeFrameAlloc.Devices.Dma;

namespace RenodeFrameAlloc.Devices.Tests
{
    // A guest that writes anything: random values to random registers, random descriptors, random
    // TLB answers, resets and time steps. Nothing may throw, the channels' state must stay coherent,
    // and no byte outside the engine's window may change.
    public class ScatterGatherDmaModelFuzzTests
    {
        [TestCase(20260101, 100_000, false)]
        [TestCase(977, 100_000, true)]
        public void RandomGuestNeverBreaksTheEngineOrMemoryOutsideTheWindow(int seed, int steps, bool bounceThroughBuffer)
        {
            var random = new Random(seed);
            var ram = new PhysicalRam(new[]
            {
                new BusRange("below-registers", 0, RegistersBase),
                new BusRange("above-registers", RegistersBase + 0x1000, HoleBase - (RegistersBase + 0x1000)),
                new BusRange("above-hole", HoleBase + 0x1000, RamEnd - (HoleBase + 0x1000))
            });
            var guardedLow = Pattern(WindowBase, 11);
            var guardedHigh = Pattern((int)(RamEnd - WindowLast - 1), 12);
            ram.Write(0, guardedLow);
            ram.Write(WindowLast + 1, guardedHigh);

            var tlb = new FakeTranslator();
            var host = new DmaTestHost();
            IPhysicalMemory memory = bounceThroughBuffer ? new ReadWriteOnlyMemory(ram) : ram;
            var engine = new ScatterGatherDmaModel(memory, host, Channels, new DmaAddressWindow(WindowBase, WindowLast),
                bandwidthBytesPerSecond: 0, maxChainLength: 8, translator: tlb, initiatorId: 3);
            engine.SetOwnRegisterRanges(new[] { (RegistersBase, 0x1000UL) });
            host.Engine = engine;

            var causesSeen = new HashSet<DmaErrorCause>();
            var completions = 0;
            for(var step = 0; step < steps; step++)
            {
                try
                {
                    Step(random, engine, host, tlb, ram);
                    CheckCoherent(engine, host, causesSeen, ref completions);
                }
                catch(Exception e) when(e is not AssertionException)
                {
                    Assert.Fail($"seed {seed}, step {step}: {e}");
                }
                if(step % 20_000 == 0 || step == steps - 1)
                {
                    Assert.That(ram.Read(0, guardedLow.Length), Is.EqualTo(guardedLow), $"below the window, seed {seed}, step {step}");
                    Assert.That(ram.Read(WindowLast + 1, guardedHigh.Length), Is.EqualTo(guardedHigh), $"above the window, seed {seed}, step {step}");
                }
            }
            Assert.That(host.InternalErrors, Is.Empty, "the model never hits an unexpected condition");
            // The fuzzer must reach deep paths, not only reject garbage at the first check.
            Assert.That(completions, Is.GreaterThan(100), "chains completed");
            Assert.That(causesSeen, Has.Count.GreaterThanOrEqualTo(12), "distinct error causes reached: " + string.Join(", ", causesSeen));
            Assert.That(tlb.Lookups, Is.GreaterThan(100));
        }

        private static void Step(Random random, ScatterGatherDmaModel engine, DmaTestHost host, FakeTranslator tlb, PhysicalRam ram)
        {
            var dice = random.Next(100);
            if(dice < 35)
            {
                var channel = random.Next(Channels + 1);
                var register = random.Next(16) * 4L;
                uint value;
                switch(random.Next(4))
                {
                case 0:
                    register = Control;
                    value = (uint)random.Next(8) | (random.Next(4) == 0 ? (uint)random.Next() : 0);
                    break;
                case 1:
                    register = random.Next(2) == 0 ? DescriptorPointerLow : DescriptorPointerHigh;
                    value = register == DescriptorPointerLow ? (uint)SomeDescriptorAddress(random) : (random.Next(8) == 0 ? (uint)random.Next() : 0);
                    break;
                default:
                    value = (uint)random.NextInt64(0, 1L << 32);
                    break;
                }
                engine.WriteRegister(ChannelBase + channel * ChannelStride + register, value);
            }
            else if(dice < 40)
            {
                var offset = random.NextInt64(-8, 0x1000);
                if(random.Next(2) == 0)
                {
                    engine.WriteRegister(offset, (uint)random.NextInt64(0, 1L << 32));
                }
                else
                {
                    engine.ReadRegister(offset);
                }
            }
            else if(dice < 43)
            {
                BuildChain(random, engine, ram);
            }
            else if(dice < 70)
            {
                var at = DescriptorSlot(random.Next(Slots));
                var control = (random.Next(6) == 0 ? DmaDescriptorControl.EndOfChain : 0)
                    | (random.Next(2) == 0 ? DmaDescriptorControl.InterruptOnCompletion : 0)
                    | (random.Next(6) == 0 ? DmaDescriptorControl.TranslateSource : 0)
                    | (random.Next(6) == 0 ? DmaDescriptorControl.TranslateDestination : 0)
                    | (random.Next(20) == 0 ? (DmaDescriptorControl)random.Next() : 0);
                var next = random.Next(10) == 0 ? (ulong)random.NextInt64() : SomeDescriptorAddress(random);
                var descriptor = new DmaDescriptor(SomeDataAddress(random), SomeDataAddress(random), SomeLength(random), control, next);
                ram.Write(at, descriptor.ToBytes());
            }
            else if(dice < 82)
            {
                host.Advance((ulong)random.Next(200_000));
            }
            else if(dice < 90)
            {
                switch(random.Next(4))
                {
                case 0:
                    tlb.ResolveAll();
                    break;
                case 1:
                    tlb.AbortAll();
                    break;
                case 2:
                    tlb.Map(SomeDataAddress(random), SomePhysicalPage(random), random.Next(4) != 0, random.Next(4) != 0);
                    break;
                default:
                    tlb.Unmap(SomeDataAddress(random));
                    break;
                }
            }
            else if(dice < 98)
            {
                var channel = random.Next(Channels);
                engine.ReadRegister(ChannelBase + channel * ChannelStride + random.Next(16) * 4L);
            }
            else if(dice < 99)
            {
                if(random.Next(2) == 0)
                {
                    engine.BandwidthBytesPerSecond = random.Next(2) == 0 ? 0 : (ulong)random.Next(1_000_000, 100_000_000);
                }
                else
                {
                    engine.Translator = random.Next(4) == 0 ? null : tlb;
                }
            }
            else if(random.Next(10) == 0)
            {
                engine.Reset();
            }
        }

        // A driver-like chain of good descriptors in consecutive slots that ends, loops back or runs
        // on into whatever is in the next slot; then a random channel starts it.
        private static void BuildChain(Random random, ScatterGatherDmaModel engine, PhysicalRam ram)
        {
            var first = random.Next(Slots - 16);
            var count = random.Next(1, 14);
            for(var i = 0; i < count; i++)
            {
                var control = random.Next(4) == 0 ? DmaDescriptorControl.InterruptOnCompletion : DmaDescriptorControl.None;
                var next = DescriptorSlot(first + i + 1);
                if(i == count - 1)
                {
                    switch(random.Next(3))
                    {
                    case 0:
                        control |= DmaDescriptorControl.EndOfChain;
                        break;
                    case 1:
                        next = DescriptorSlot(first + random.Next(count));
                        break;
                    }
                }
                var length = (uint)random.Next(1, 0x1000);
                var source = DataBase + (ulong)random.NextInt64(0, (long)(WindowLast - DataBase - length));
                var destination = DataBase + (ulong)random.NextInt64(0, (long)(WindowLast - DataBase - length));
                ram.Write(DescriptorSlot(first + i), new DmaDescriptor(source, destination, length, control, next).ToBytes());
            }
            var channel = random.Next(Channels);
            engine.WriteRegister(ChannelBase + channel * ChannelStride + DescriptorPointerLow, (uint)DescriptorSlot(first));
            engine.WriteRegister(ChannelBase + channel * ChannelStride + DescriptorPointerHigh, 0);
            engine.WriteRegister(ChannelBase + channel * ChannelStride + Control, ControlStart | ControlInterruptEnable);
        }

        // Plain checks rather than Assert.That: this runs for every channel at every step.
        private static void CheckCoherent(ScatterGatherDmaModel engine, DmaTestHost host, HashSet<DmaErrorCause> causesSeen, ref int completions)
        {
            for(var i = 0; i < engine.ChannelCount; i++)
            {
                var channel = engine.GetChannel(i);
                var status = channel.Status;
                if(((status & DmaChannelStatus.Busy) != 0) != (channel.Phase != DmaChannelPhase.Idle))
                {
                    Assert.Fail($"channel {i}: BUSY disagrees with phase {channel.Phase}");
                }
                if(channel.Phase == DmaChannelPhase.Fetching || channel.Phase == DmaChannelPhase.Copying)
                {
                    Assert.Fail($"channel {i}: a call returned half-way through {channel.Phase}");
                }
                if((status & DmaChannelStatus.Error) != 0)
                {
                    if(channel.ErrorCause == DmaErrorCause.None)
                    {
                        Assert.Fail($"channel {i}: ERROR without a cause");
                    }
                    causesSeen.Add(channel.ErrorCause);
                }
                if((status & DmaChannelStatus.Done) != 0)
                {
                    completions++;
                }
                if(host.Line(i) != channel.InterruptAsserted)
                {
                    Assert.Fail($"channel {i}: the host missed a line change");
                }
            }
        }

        private static ulong SomeDescriptorAddress(Random random)
        {
            switch(random.Next(20))
            {
            case 0:
                return (ulong)random.NextInt64(0, (long)RamEnd);
            case 1:
                return RegistersBase + (ulong)random.Next(0x1000);
            case 2:
                return HoleBase + (ulong)random.Next(0x1000) * 8 % 0x1000;
            case 3:
            case 4:
            case 5:
                // A few popular slots make chains meet and loop.
                return DescriptorSlot(random.Next(8));
            default:
                return DescriptorSlot(random.Next(Slots)) + (random.Next(30) == 0 ? 4UL : 0);
            }
        }

        private static ulong SomeDataAddress(Random random)
        {
            switch(random.Next(12))
            {
            case 0:
                return (ulong)random.NextInt64();
            case 1:
                return WindowBase - (ulong)random.Next(1, 0x2000);
            case 2:
                return WindowLast - (ulong)random.Next(0x2000);
            case 3:
                return RegistersBase - 0x800 + (ulong)random.Next(0x1800);
            case 4:
                return HoleBase - 0x800 + (ulong)random.Next(0x1800);
            default:
                return DataBase + (ulong)random.NextInt64(0, (long)(WindowLast - DataBase));
            }
        }

        private static ulong SomePhysicalPage(Random random)
        {
            return (ulong)random.NextInt64((long)WindowBase, (long)WindowLast) & ~0xFFFUL;
        }

        private static uint SomeLength(Random random)
        {
            switch(random.Next(20))
            {
            case 0:
                return 0;
            case 1:
                return (uint)random.Next(0x1_0000, 0x2_0000);
            case 2:
                return (uint)random.NextInt64(0, 1L << 32);
            default:
                return (uint)random.Next(1, 0x2000);
            }
        }

        private static ulong DescriptorSlot(int index)
        {
            return WindowBase + (ulong)index * DmaDescriptor.Size;
        }

        private static byte[] Pattern(ulong length, int seed)
        {
            var bytes = new byte[length];
            new Random(seed).NextBytes(bytes);
            return bytes;
        }

        private const int Channels = 4;
        private const int Slots = 256;
        private const ulong RamEnd = 0x20_0000;
        private const ulong WindowBase = 0x4_0000;
        private const ulong WindowLast = 0x1B_FFFF;
        // The engine's registers sit inside the window, in a hole of RAM.
        private const ulong RegistersBase = 0x10_0000;
        // And a plain hole in RAM, also inside the window.
        private const ulong HoleBase = 0x18_0000;
        private const ulong DataBase = WindowBase + Slots * DmaDescriptor.Size;
    }
}
