using System.Collections.Generic;
using NUnit.Framework;
using RenodeFrameAlloc.Devices.Registers;

namespace RenodeFrameAlloc.Devices.Tests.Registers
{
    // The declarative register table the three device models are written in: what each field
    // mode, a 64-bit pair, a per-channel block, Reset and the unknown-offset policy do.
    public class RegisterTableTests
    {
        [Test]
        public void AQuadPairIsWrittenHalfByHalfAndReadBack()
        {
            var device = new Device();
            Table.Write(device, 0x10, 0x89AB_CDEF);
            Assert.That(device.Quad, Is.EqualTo(0x0000_0000_89AB_CDEFUL));
            Table.Write(device, 0x14, 0x0123_4567);

            Assert.That(device.Quad, Is.EqualTo(0x0123_4567_89AB_CDEFUL));
            Assert.That(Table.Read(device, 0x10), Is.EqualTo(0x89AB_CDEFu));
            Assert.That(Table.Read(device, 0x14), Is.EqualTo(0x0123_4567u));
        }

        [Test]
        public void WritableBitsLimitWhatAWriteChanges()
        {
            var device = new Device();
            Table.Write(device, 0x18, 0xFFFF_FFFF);
            Table.Write(device, 0x1C, 0x1);

            Assert.That(device.Page, Is.EqualTo(0x1_FFFF_F000UL), "bits 11:0 are not writable");
        }

        [Test]
        public void WriteOneToClearGetsOnlyTheOnesAndReadOnlyBitsIgnoreWrites()
        {
            var device = new Device { Status = 0b111 };
            Table.Write(device, 0x04, 0b010);
            Assert.That(device.Status, Is.EqualTo(0b101u));
            Table.Write(device, 0x04, 0);
            Assert.That(device.Cleared, Is.EqualTo(1), "no callback for a write of no ones");

            Table.Write(device, 0x04, 0b001);
            Assert.That(device.Status, Is.EqualTo(0b101u), "bit 0 is read-only");
            Assert.That(device.Reports, Is.Empty, "a read-only bit of a writable register is silently ignored");
        }

        [Test]
        public void AWriteOnlyRegisterReadsZeroAndItsWriteCallbackSeesTheWholeValue()
        {
            var device = new Device();
            Table.Write(device, 0x08, 0x1234);

            Assert.That(device.Commands, Is.EqualTo(new[] { 0x1234u }));
            Assert.That(Table.Read(device, 0x08), Is.Zero);
            Assert.That(device.Reports, Is.Empty);
        }

        [Test]
        public void RefusedAccessesGoToThePolicyAndChangeNothing()
        {
            var device = new Device { Status = 0b111 };
            Assert.That(Table.Read(device, 0x40), Is.Zero);
            Assert.That(Table.Read(device, 0x11), Is.Zero, "unaligned");
            Table.Write(device, 0x00, 5);
            Table.Write(device, 0x44, 6);
            Table.Write(device, 0x200, 7);

            Assert.That(device.Reports, Is.EqualTo(new[]
            {
                "read from unknown register 0x40",
                "read from unknown register 0x11",
                "write of 0x5 to read-only register ID ignored",
                "write of 0x6 to unknown register 0x44 ignored",
                "write of 0x7 to unknown register 0x200 ignored"
            }));
            Assert.That(device.Status, Is.EqualTo(0b111u));
        }

        [Test]
        public void APerChannelBlockPassesTheChannelAndStopsAtTheDevicesSize()
        {
            var device = new Device { ChannelCount = 2 };
            Table.Write(device, 0x100, 10);
            Table.Write(device, 0x110, 11);
            Assert.That(device.ChannelValues, Is.EqualTo(new uint[] { 10, 11, 0, 0 }));
            Assert.That(Table.Read(device, 0x110), Is.EqualTo(11u));

            Table.Write(device, 0x120, 12);
            Assert.That(device.ChannelValues[2], Is.Zero, "channel 2 does not exist in this device");
            Assert.That(device.Reports, Is.EqualTo(new[] { "write of 0xC to unknown register 0x120 ignored" }));
        }

        [Test]
        public void ResetStoresResetValuesOnlyWhereDeclared()
        {
            var device = new Device { ChannelCount = 2, Quad = 5, Page = 0x5000, Status = 1 };
            device.ChannelValues[0] = 3;
            device.ChannelValues[1] = 4;

            Table.Reset(device);

            Assert.That(device.Quad, Is.EqualTo(0xFFFF_FFFF_0000_0000UL));
            Assert.That(device.Page, Is.EqualTo(0x5000UL), "declared without a reset value");
            Assert.That(device.Status, Is.EqualTo(1u), "write-1-to-clear holds no state of its own");
            Assert.That(device.ChannelValues, Is.EqualTo(new uint[] { 7, 7, 0, 0 }));
            Assert.That(device.Commands, Is.Empty, "a write-only action is not a reset");
        }

        private static readonly RegisterTable<Device> Table = Define();

        private static RegisterTable<Device> Define()
        {
            var table = new RegisterTable<Device>(0x140, new UnknownOffsetPolicy<Device>(static (d, message) => d.Reports.Add(message)),
                static d => 0x100 + 0x10L * d.ChannelCount);
            table.Define(0x00, "ID").WithValueField(0, 32, FieldMode.Read, static (_, _) => 0x1D);
            table.Define(0x04, "STATUS")
                .WithFlag(0, FieldMode.Read, static (d, _) => (d.Status & 1) != 0)
                .WithValueField(1, 2, FieldMode.Read | FieldMode.WriteOneToClear, static (d, _) => d.Status >> 1,
                    static (d, _, ones) => { d.Status &= ~((uint)ones << 1); d.Cleared++; });
            table.Define(0x08, "COMMAND").WithValueField(0, 32, FieldMode.Write, write: static (d, _, v) => d.Commands.Add((uint)v));
            table.DefineQuad(0x10, "QUAD", resetValue: 0xFFFF_FFFF_0000_0000)
                .WithValueField(0, 64, FieldMode.ReadWrite, static (d, _) => d.Quad, static (d, _, v) => d.Quad = v);
            table.DefineQuad(0x18, "PAGE")
                .WithValueField(0, 64, FieldMode.ReadWrite, static (d, _) => d.Page, static (d, _, v) => d.Page = v, writableBits: ~0xFFFUL);
            table.DefineMany(0x100, 0x10, 4, "CHANNEL", static r => r.WithValueField(0, 32, FieldMode.ReadWrite,
                static (d, i) => d.ChannelValues[i], static (d, i, v) => d.ChannelValues[i] = (uint)v), resetValue: 7);
            return table;
        }

        private sealed class Device
        {
            public ulong Quad;
            public ulong Page;
            public uint Status;
            public int Cleared;
            public int ChannelCount = 4;
            public readonly uint[] ChannelValues = new uint[4];
            public readonly List<uint> Commands = new List<uint>();
            public readonly List<string> Reports = new List<string>();
        }
    }
}
