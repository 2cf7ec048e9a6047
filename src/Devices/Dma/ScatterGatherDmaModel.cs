using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using RenodeFrameAlloc.Devices.Memory;
using RenodeFrameAlloc.Devices.Registers;

namespace RenodeFrameAlloc.Devices.Dma
{
    // A scatter-gather DMA engine: N channels, each walking a chain of 32-byte descriptors in guest
    // memory and copying source to destination, optionally through an IOMMU (IIoTranslator). The
    // register map and descriptor format are in docs/dma-engine.md.
    //
    // Guarantees, whatever the guest writes:
    // - bad input never throws: it stops the channel with an ERROR_CAUSE, raises its interrupt when
    //   enabled and logs a line through the host (an exception is a bug: the host's entry point
    //   catches it and calls StopWithInternalError);
    // - no byte outside the address window is read or written at a bus address the engine drives
    //   (with translation the window bounds the device-virtual addresses; the TLB decides the rest);
    // - the engine never reads or writes its own registers as data.
    // State is in plain fields (snapshot-safe); time comes from the host (IDeviceHost.ScheduleWake).
    public sealed class ScatterGatherDmaModel
    {
        // channelCount 1..32; bandwidthBytesPerSecond 0 completes every copy within the register
        // write that starts it; maxChainLength >= 1 bounds a chain; translator may be null (no TLB).
        // Throws ArgumentException on a configuration error (a platform bug, not a guest one).
        public ScatterGatherDmaModel(IPhysicalMemory memory, IDeviceHost host, int channelCount, DmaAddressWindow window,
            ulong bandwidthBytesPerSecond = 0, int maxChainLength = DefaultMaxChainLength, IIoTranslator translator = null, int initiatorId = 0)
        {
            if(channelCount < 1 || channelCount > MaxChannels)
            {
                throw new ArgumentOutOfRangeException(nameof(channelCount), channelCount, $"A DMA engine has 1..{MaxChannels} channels");
            }
            if(maxChainLength < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(maxChainLength), maxChainLength, "The chain bound must be at least 1");
            }
            this.memory = memory ?? throw new ArgumentNullException(nameof(memory));
            this.host = host ?? throw new ArgumentNullException(nameof(host));
            Window = window;
            BandwidthBytesPerSecond = bandwidthBytesPerSecond;
            MaxChainLength = maxChainLength;
            Translator = translator;
            InitiatorId = initiatorId;
            channels = new DmaChannel[channelCount];
            for(var i = 0; i < channelCount; i++)
            {
                channels[i] = new DmaChannel(this, i);
            }
            ownRegisterBases = Array.Empty<ulong>();
            ownRegisterSizes = Array.Empty<ulong>();
        }

        // Size of the register space of an engine with channelCount channels.
        public static long RegisterSpaceSizeFor(int channelCount)
        {
            return ChannelBlockBase + (long)channelCount * ChannelStride;
        }

        // Replaces memory and host, e.g. after the adapter rebuilt them once a snapshot was loaded.
        public void Rebind(IPhysicalMemory memory, IDeviceHost host)
        {
            this.memory = memory ?? throw new ArgumentNullException(nameof(memory));
            this.host = host ?? throw new ArgumentNullException(nameof(host));
        }

        // Tells the engine where its registers are on the bus, so a descriptor, source or destination
        // that overlaps them fails with RegisterOverlap instead of re-entering the device. Sizes of 0
        // are skipped. Replaces what was set before.
        public void SetOwnRegisterRanges(IEnumerable<(ulong Base, ulong Size)> ranges)
        {
            var bases = new List<ulong>();
            var sizes = new List<ulong>();
            foreach(var (baseAddress, size) in ranges)
            {
                if(size != 0)
                {
                    bases.Add(baseAddress);
                    sizes.Add(size);
                }
            }
            ownRegisterBases = bases.ToArray();
            ownRegisterSizes = sizes.ToArray();
        }

        public DmaChannel GetChannel(int index)
        {
            return channels[index];
        }

        // Virtual time a copy of length bytes takes at the configured bandwidth, rounded up; 0 when instant.
        public ulong TransferTimeNanoseconds(ulong length)
        {
            var bandwidth = BandwidthBytesPerSecond;
            if(bandwidth == 0)
            {
                return 0;
            }
            var nanoseconds = ((UInt128)length * NanosecondsPerSecond + bandwidth - 1) / bandwidth;
            return nanoseconds > ulong.MaxValue ? ulong.MaxValue : (ulong)nanoseconds;
        }

        // Returns the register at offset; unknown offsets read 0 and are logged.
        public uint ReadRegister(long offset)
        {
            return RegisterMap.Read(this, offset);
        }

        // Writes the register at offset; writes to unknown or read-only registers are logged and dropped.
        public void WriteRegister(long offset, uint value)
        {
            RegisterMap.Write(this, offset, value);
            UpdateInterrupts();
        }

        // Stops every channel and returns every register to its reset value. Pending wakes and TLB
        // callbacks for the old transfers are ignored when they arrive.
        public void Reset()
        {
            foreach(var channel in channels)
            {
                var ticket = channel.WakeTicket + 1;
                StopWaitingForTranslation(channel);
                channel.Phase = DmaChannelPhase.Idle;
                channel.LatchedStatus = DmaChannelStatus.None;
                channel.ErrorCause = DmaErrorCause.None;
                channel.BytesDone = 0;
                channel.DescriptorsDone = 0;
                channel.CurrentDescriptor = 0;
                channel.FaultAddress = 0;
                channel.DescriptorOffset = 0;
                channel.Descriptor = default;
                channel.WakeTicket = ticket;
                channel.InsideTranslate = false;
            }
            // After the loop: DESC_PTR takes its reset value only from an idle channel.
            RegisterMap.Reset(this);
            UpdateInterrupts();
        }

        // The host's timer for (channel, ticket) expired: the bandwidth time of the current
        // descriptor has passed, so its bytes move now. Stale or out-of-range wakes are ignored.
        public void OnWake(int channel, ulong ticket)
        {
            if(channel < 0 || channel >= channels.Length)
            {
                return;
            }
            var target = channels[channel];
            if(target.Phase != DmaChannelPhase.WaitingForTimer || target.WakeTicket != ticket)
            {
                return;
            }
            target.Phase = DmaChannelPhase.Copying;
            Advance(target);
            UpdateInterrupts();
        }

        // Asks the host again for the wake of every channel waiting on its bandwidth time, with a
        // new ticket so any wake that survived (e.g. restored with a snapshot) is ignored. After a
        // snapshot load the wait restarts from the full descriptor time.
        public void ReissueWakes()
        {
            foreach(var channel in channels)
            {
                if(channel.Phase == DmaChannelPhase.WaitingForTimer)
                {
                    channel.WakeTicket++;
                    host.ScheduleWake(channel.Index, TransferTimeNanoseconds(channel.Descriptor.Length), channel.WakeTicket);
                }
            }
        }

        // The channel whose register block holds offset, or -1 for global or unknown offsets.
        public int ChannelOfRegister(long offset)
        {
            return offset >= ChannelBlockBase && offset < RegisterSpaceSize ? (int)((offset - ChannelBlockBase) / ChannelStride) : -1;
        }

        // For a host that caught an exception at one of its entry points (and logged it): stops
        // channel (if busy) with InternalError, raising its interrupt, so software sees the failure
        // rather than a hang. Logs nothing more.
        public void StopWithInternalError(int channel)
        {
            if(channel < 0 || channel >= channels.Length || !channels[channel].Busy)
            {
                return;
            }
            Stop(channels[channel], DmaErrorCause.InternalError, channels[channel].CurrentDescriptor);
            UpdateInterrupts();
        }

        public int ChannelCount => channels.Length;

        public DmaAddressWindow Window { get; }

        // Bytes per second; 0 = instant. A change applies from the next descriptor on.
        public ulong BandwidthBytesPerSecond { get; set; }

        public int MaxChainLength { get; }

        // Bound on the work of one step with bandwidth 0: once a step (a START write, a wake, a
        // TLB resume) has copied this many bytes or descriptors, the next descriptor waits for a
        // wake of no virtual time (IDeviceHost.ScheduleWake with 0), so a long chain of large
        // descriptors cannot hold the emulator inside one register write. The first descriptor
        // of a step is always copied whole. At least 1; ulong.MaxValue / int.MaxValue lift it.
        public ulong ChainStepBytes
        {
            get => chainStepBytes;
            set => chainStepBytes = Math.Max(1, value);
        }

        public int ChainStepDescriptors
        {
            get => chainStepDescriptors;
            set => chainStepDescriptors = Math.Max(1, value);
        }

        // The IOMMU descriptors with a TRANSLATE bit go through; null = none.
        public IIoTranslator Translator { get; set; }

        // The initiator id this engine presents to the translator.
        public int InitiatorId { get; }

        public long RegisterSpaceSize => RegisterSpaceSizeFor(channels.Length);

        public const int MaxChannels = 32;
        public const int DefaultMaxChainLength = 1024;
        public const ulong DefaultChainStepBytes = 16UL * 1024 * 1024;
        public const int DefaultChainStepDescriptors = 4096;
        public const uint IdentifierValue = 0x5347444D; // "SGDM"
        public const uint VersionValue = 0x00010000;
        public const long ChannelBlockBase = 0x100;
        public const long ChannelStride = 0x40;

        internal void OnTranslationResolved(DmaChannel channel)
        {
            if(channel.InsideTranslate)
            {
                channel.ResolvedWhileTranslating = true;
                return;
            }
            if(channel.Phase != DmaChannelPhase.WaitingForTranslation)
            {
                return;
            }
            channel.Phase = DmaChannelPhase.Copying;
            Advance(channel);
            UpdateInterrupts();
        }

        internal void OnTranslationAborted(DmaChannel channel)
        {
            if(channel.InsideTranslate)
            {
                channel.AbortedWhileTranslating = true;
                return;
            }
            if(channel.Phase != DmaChannelPhase.WaitingForTranslation)
            {
                return;
            }
            if(channel.StalledOnPermission)
            {
                Fail(channel, DmaErrorCause.TlbPermissionFault, channel.StalledAddress, "software aborted the transfer after a TLB permission fault");
            }
            else
            {
                Fail(channel, DmaErrorCause.TlbAbort, channel.StalledAddress, "the TLB aborted the stalled transfer");
            }
            UpdateInterrupts();
        }

        // The register map of docs/dma-engine.md: global registers, then one block of channel
        // registers per channel. Unknown offsets and writes to read-only registers are logged as
        // guest errors and change nothing.
        private static RegisterTable<ScatterGatherDmaModel> DefineRegisters()
        {
            var table = new RegisterTable<ScatterGatherDmaModel>(RegisterSpaceSizeFor(MaxChannels),
                new UnknownOffsetPolicy<ScatterGatherDmaModel>(static (engine, message) => engine.host.LogGuestError(message)),
                static engine => engine.RegisterSpaceSize);
            table.Define((long)Register.Identifier, "ID")
                .WithValueField(0, 32, FieldMode.Read, static (_, _) => IdentifierValue);
            table.Define((long)Register.Version, "VERSION")
                .WithValueField(0, 32, FieldMode.Read, static (_, _) => VersionValue);
            table.Define((long)Register.ChannelCount, "CHANNELS")
                .WithValueField(0, 32, FieldMode.Read, static (engine, _) => (ulong)engine.channels.Length);
            table.Define((long)Register.MaxChainLength, "MAX_CHAIN")
                .WithValueField(0, 32, FieldMode.Read, static (engine, _) => (ulong)engine.MaxChainLength);
            table.DefineQuad((long)Register.WindowBase, "WINDOW_BASE")
                .WithValueField(0, 64, FieldMode.Read, static (engine, _) => engine.Window.Base);
            table.DefineQuad((long)Register.WindowLast, "WINDOW_LAST")
                .WithValueField(0, 64, FieldMode.Read, static (engine, _) => engine.Window.Last);
            table.Define((long)Register.InterruptStatus, "IRQ_STATUS")
                .WithValueField(0, 32, FieldMode.Read, static (engine, _) => engine.InterruptLines());
            table.DefineQuad((long)Register.Bandwidth, "BANDWIDTH")
                .WithValueField(0, 64, FieldMode.Read, static (engine, _) => engine.BandwidthBytesPerSecond);

            table.DefineManyQuads(ChannelBlockBase + (long)ChannelRegister.DescriptorPointer, ChannelStride, MaxChannels, "DESC_PTR", static register => register
                .WithValueField(0, 64, FieldMode.ReadWrite, static (engine, channel) => engine.channels[channel].DescriptorPointer,
                    static (engine, channel, value) => engine.WriteDescriptorPointer(engine.channels[channel], value)), resetValue: 0);
            table.DefineMany(ChannelBlockBase + (long)ChannelRegister.Control, ChannelStride, MaxChannels, "CONTROL", static register => register
                .WithFlag(0, FieldMode.Write, name: "START")
                .WithFlag(1, FieldMode.Write, name: "ABORT")
                .WithFlag(2, FieldMode.ReadWrite, static (engine, channel) => engine.channels[channel].InterruptEnabled,
                    static (engine, channel, value) => engine.channels[channel].InterruptEnabled = value, "IRQ_EN")
                .WithReservedBits(3, 29)
                // After IRQ_EN took the write: START and ABORT act together.
                .WithWriteCallback(static (engine, channel, value) => engine.StartOrAbort(engine.channels[channel], value)), resetValue: 0);
            table.DefineMany(ChannelBlockBase + (long)ChannelRegister.Status, ChannelStride, MaxChannels, "STATUS", static register => register
                .WithFlag(0, FieldMode.Read, static (engine, channel) => engine.channels[channel].Busy, name: "BUSY")
                .WithFlag(1, FieldMode.Read | FieldMode.WriteOneToClear, static (engine, channel) => engine.HasStatus(channel, DmaChannelStatus.Done),
                    static (engine, channel, _) => engine.channels[channel].LatchedStatus &= ~DmaChannelStatus.Done, "DONE")
                .WithFlag(2, FieldMode.Read | FieldMode.WriteOneToClear, static (engine, channel) => engine.HasStatus(channel, DmaChannelStatus.Error),
                    static (engine, channel, _) => engine.channels[channel].LatchedStatus &= ~DmaChannelStatus.Error, "ERROR")
                .WithFlag(3, FieldMode.Read, static (engine, channel) => engine.HasStatus(channel, DmaChannelStatus.WaitingOnTlb), name: "TLB_WAIT")
                .WithFlag(4, FieldMode.Read | FieldMode.WriteOneToClear, static (engine, channel) => engine.HasStatus(channel, DmaChannelStatus.DescriptorInterrupt),
                    static (engine, channel, _) => engine.channels[channel].LatchedStatus &= ~DmaChannelStatus.DescriptorInterrupt, "DESC_IRQ")
                .WithFlag(5, FieldMode.Read, static (engine, channel) => engine.HasStatus(channel, DmaChannelStatus.InterruptAsserted), name: "IRQ")
                .WithReservedBits(6, 26));
            table.DefineMany(ChannelBlockBase + (long)ChannelRegister.ErrorCause, ChannelStride, MaxChannels, "ERROR_CAUSE", static register => register
                .WithValueField(0, 32, FieldMode.Read, static (engine, channel) => (ulong)engine.channels[channel].ErrorCause));
            table.DefineManyQuads(ChannelBlockBase + (long)ChannelRegister.BytesDone, ChannelStride, MaxChannels, "BYTES_DONE", static register => register
                .WithValueField(0, 64, FieldMode.Read, static (engine, channel) => engine.channels[channel].BytesDone));
            table.DefineManyQuads(ChannelBlockBase + (long)ChannelRegister.CurrentDescriptor, ChannelStride, MaxChannels, "CUR_DESC", static register => register
                .WithValueField(0, 64, FieldMode.Read, static (engine, channel) => engine.channels[channel].CurrentDescriptor));
            table.DefineMany(ChannelBlockBase + (long)ChannelRegister.DescriptorsDone, ChannelStride, MaxChannels, "DESCS_DONE", static register => register
                .WithValueField(0, 32, FieldMode.Read, static (engine, channel) => engine.channels[channel].DescriptorsDone));
            table.DefineManyQuads(ChannelBlockBase + (long)ChannelRegister.FaultAddress, ChannelStride, MaxChannels, "FAULT_ADDR", static register => register
                .WithValueField(0, 64, FieldMode.Read, static (engine, channel) => engine.channels[channel].FaultAddress));
            return table;
        }

        private uint InterruptLines()
        {
            var lines = 0u;
            foreach(var channel in channels)
            {
                if(channel.InterruptAsserted)
                {
                    lines |= 1u << channel.Index;
                }
            }
            return lines;
        }

        private bool HasStatus(int channel, DmaChannelStatus bit)
        {
            return (channels[channel].Status & bit) != 0;
        }

        private void WriteDescriptorPointer(DmaChannel channel, ulong value)
        {
            if(channel.Busy)
            {
                host.LogGuestError($"Channel {channel.Index}: DESC_PTR written while busy, ignored");
                return;
            }
            channel.DescriptorPointer = value;
        }

        private void StartOrAbort(DmaChannel channel, uint value)
        {
            var start = (value & ControlStart) != 0;
            var abort = (value & ControlAbort) != 0;
            if(abort)
            {
                if(start)
                {
                    host.LogGuestError($"Channel {channel.Index}: START and ABORT written together; ABORT wins");
                }
                if(channel.Busy)
                {
                    Fail(channel, DmaErrorCause.Aborted, channel.CurrentDescriptor, "aborted by software");
                }
                return;
            }
            if(start)
            {
                Start(channel);
            }
        }

        private void Start(DmaChannel channel)
        {
            if(channel.Busy)
            {
                host.LogGuestError($"Channel {channel.Index}: START while busy ignored");
                return;
            }
            channel.LatchedStatus = DmaChannelStatus.None;
            channel.ErrorCause = DmaErrorCause.None;
            channel.BytesDone = 0;
            channel.DescriptorsDone = 0;
            channel.FaultAddress = 0;
            channel.CurrentDescriptor = channel.DescriptorPointer;
            channel.Fetched = 0;
            channel.Tortoise = channel.DescriptorPointer;
            channel.TortoisePower = 1;
            channel.TortoiseSteps = 0;
            channel.WakeTicket++;
            channel.Phase = DmaChannelPhase.Fetching;
            Advance(channel);
        }

        // Runs the channel until it has to wait (bandwidth time, TLB refill), finishes or fails.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private void Advance(DmaChannel channel)
        {
            // Work done in this call (not state: a step never outlives the call).
            var stepBytes = 0UL;
            var stepDescriptors = 0;
            while(true)
            {
                switch(channel.Phase)
                {
                case DmaChannelPhase.Fetching:
                    if(!TryFetch(channel))
                    {
                        return;
                    }
                    if(BandwidthBytesPerSecond != 0)
                    {
                        channel.Phase = DmaChannelPhase.WaitingForTimer;
                        channel.WakeTicket++;
                        host.ScheduleWake(channel.Index, TransferTimeNanoseconds(channel.Descriptor.Length), channel.WakeTicket);
                        return;
                    }
                    if(stepBytes >= ChainStepBytes || stepDescriptors >= ChainStepDescriptors)
                    {
                        // Step bound reached: the fetched descriptor is copied after a wake of no
                        // virtual time, so the emulator runs in between.
                        channel.Phase = DmaChannelPhase.WaitingForTimer;
                        channel.WakeTicket++;
                        host.ScheduleWake(channel.Index, 0, channel.WakeTicket);
                        return;
                    }
                    channel.Phase = DmaChannelPhase.Copying;
                    break;
                case DmaChannelPhase.Copying:
                    var offsetBefore = channel.DescriptorOffset;
                    if(!TryCopy(channel))
                    {
                        return;
                    }
                    stepBytes += channel.DescriptorOffset - offsetBefore;
                    stepDescriptors++;
                    Complete(channel);
                    break;
                default:
                    return;
                }
            }
        }

        // Fetches and checks the descriptor at channel.CurrentDescriptor; false after failing the channel.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryFetch(DmaChannel channel)
        {
            var address = channel.CurrentDescriptor;
            channel.Fetched++;
            if(channel.Fetched > MaxChainLength)
            {
                return Fail(channel, DmaErrorCause.ChainTooLong, address, $"no end of chain within {MaxChainLength} descriptors");
            }
            // Brent's cycle detection: O(1) state, finds any loop within a few laps of it.
            if(channel.Fetched > 1 && address == channel.Tortoise)
            {
                return Fail(channel, DmaErrorCause.ChainLoop, address, $"descriptor 0x{address:X} was already visited");
            }
            channel.TortoiseSteps++;
            if(channel.TortoiseSteps == channel.TortoisePower)
            {
                channel.Tortoise = address;
                channel.TortoisePower *= 2;
                channel.TortoiseSteps = 0;
            }
            if(address % DmaDescriptor.Alignment != 0)
            {
                return Fail(channel, DmaErrorCause.DescriptorMisaligned, address, $"descriptor 0x{address:X} is not {DmaDescriptor.Alignment}-byte aligned");
            }
            if(!Window.Contains(address, DmaDescriptor.Size))
            {
                return Fail(channel, DmaErrorCause.AddressOutsideWindow, address, $"descriptor 0x{address:X} is outside the window {Window}");
            }
            if(OverlapsOwnRegisters(address, DmaDescriptor.Size))
            {
                return Fail(channel, DmaErrorCause.RegisterOverlap, address, $"descriptor 0x{address:X} overlaps the engine's registers");
            }
            Span<byte> raw = stackalloc byte[DmaDescriptor.Size];
            if(!memory.TryRead(address, raw))
            {
                return Fail(channel, DmaErrorCause.DescriptorNotInMemory, address, $"descriptor 0x{address:X} is not in memory");
            }
            var descriptor = DmaDescriptor.Decode(raw);
            channel.Descriptor = descriptor;
            channel.DescriptorOffset = 0;
            if(descriptor.Length == 0)
            {
                return Fail(channel, DmaErrorCause.ZeroLength, address, $"descriptor 0x{address:X} has length 0");
            }
            var translateSource = (descriptor.Control & DmaDescriptorControl.TranslateSource) != 0;
            var translateDestination = (descriptor.Control & DmaDescriptorControl.TranslateDestination) != 0;
            if((translateSource || translateDestination) && Translator == null)
            {
                return Fail(channel, DmaErrorCause.TranslationUnavailable, address, $"descriptor 0x{address:X} asks for translation but the engine has no TLB");
            }
            return CheckRange(channel, descriptor.Source, descriptor.Length, translateSource, "source")
                && CheckRange(channel, descriptor.Destination, descriptor.Length, translateDestination, "destination");
        }

        // Checks a whole data range before any byte moves. A translated range is device-virtual, so
        // only the window applies here; its physical pieces are checked as they are translated.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool CheckRange(DmaChannel channel, ulong address, ulong length, bool translated, string what)
        {
            if(!Window.Contains(address, length))
            {
                return Fail(channel, DmaErrorCause.AddressOutsideWindow, address, $"{what} [0x{address:X}, +0x{length:X}) is outside the window {Window}");
            }
            if(translated)
            {
                return true;
            }
            if(OverlapsOwnRegisters(address, length))
            {
                return Fail(channel, DmaErrorCause.RegisterOverlap, address, $"{what} [0x{address:X}, +0x{length:X}) overlaps the engine's registers");
            }
            if(!memory.IsMemory(address, length))
            {
                return Fail(channel, DmaErrorCause.DataNotInMemory, address, $"{what} [0x{address:X}, +0x{length:X}) is not all memory");
            }
            return true;
        }

        // Copies the rest of the current descriptor; false when the channel stalled or failed.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryCopy(DmaChannel channel)
        {
            var descriptor = channel.Descriptor;
            var translateSource = (descriptor.Control & DmaDescriptorControl.TranslateSource) != 0;
            var translateDestination = (descriptor.Control & DmaDescriptorControl.TranslateDestination) != 0;
            // Memory that copies within itself takes whole pieces in one copy; other memory
            // goes through a bounce buffer.
            var bulk = memory as IBulkPhysicalMemory;
            if(bulk == null)
            {
                scratch ??= new byte[ScratchSize];
            }
            else if(translateSource || translateDestination)
            {
                return TryCopyTranslatedRuns(channel, bulk, translateSource, translateDestination);
            }
            var pieceLimit = bulk != null ? ulong.MaxValue : (ulong)scratch.Length;
            while(channel.DescriptorOffset < descriptor.Length)
            {
                var piece = Math.Min((ulong)descriptor.Length - channel.DescriptorOffset, pieceLimit);
                var source = descriptor.Source + channel.DescriptorOffset;
                var destination = descriptor.Destination + channel.DescriptorOffset;
                if(translateSource && !TryTranslate(channel, ref source, ref piece, DmaAccess.Read))
                {
                    return false;
                }
                if(translateDestination && !TryTranslate(channel, ref destination, ref piece, DmaAccess.Write))
                {
                    return false;
                }
                if(bulk != null)
                {
                    if(!TryCopyPiece(channel, bulk, source, destination, piece))
                    {
                        return false;
                    }
                }
                else
                {
                    var buffer = scratch.AsSpan(0, (int)piece);
                    if(!memory.TryRead(source, buffer))
                    {
                        return Fail(channel, DmaErrorCause.DataNotInMemory, source, $"source [0x{source:X}, +0x{piece:X}) is not memory");
                    }
                    if(!memory.TryWrite(destination, buffer))
                    {
                        return Fail(channel, DmaErrorCause.DataNotInMemory, destination, $"destination [0x{destination:X}, +0x{piece:X}) is not memory");
                    }
                }
                channel.DescriptorOffset += piece;
                channel.BytesDone += piece;
            }
            return true;
        }

        // The translated copy over bulk memory: pieces are translated one page at a time as before
        // (source, then destination, each with all of the TLB's effects), but pieces that continue
        // a run that is physically contiguous on both sides are copied with it in one bulk copy.
        // A piece joins a run only once both its physical ranges are known to be memory, so a run
        // always copies whole; the first piece that is not memory, or whose translation stalls or
        // fails, is handled after the run before it has been copied, as when every page was copied
        // on its own. The checker sees a run as one access per side.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryCopyTranslatedRuns(DmaChannel channel, IBulkPhysicalMemory bulk, bool translateSource, bool translateDestination)
        {
            var descriptor = channel.Descriptor;
            var runSource = 0UL;
            var runDestination = 0UL;
            var runLength = 0UL;
            while(true)
            {
                var offset = channel.DescriptorOffset + runLength;
                if(offset >= descriptor.Length)
                {
                    return FlushRun(channel, bulk, runSource, runDestination, runLength);
                }
                var piece = (ulong)descriptor.Length - offset;
                var source = descriptor.Source + offset;
                var destination = descriptor.Destination + offset;
                var translated = (!translateSource || TryTranslate(channel, ref source, ref piece, DmaAccess.Read, deferFailure: true))
                    && (!translateDestination || TryTranslate(channel, ref destination, ref piece, DmaAccess.Write, deferFailure: true));
                if(!translated)
                {
                    // Stalled (the channel waits for the TLB) or failed (deferred until the run
                    // before it has moved, so BYTES_DONE and the log count it).
                    var cause = channel.DeferredFailure;
                    var detail = channel.DeferredFailureDetail;
                    channel.DeferredFailure = DmaErrorCause.None;
                    channel.DeferredFailureDetail = null;
                    if(!FlushRun(channel, bulk, runSource, runDestination, runLength) || cause == DmaErrorCause.None)
                    {
                        return false;
                    }
                    return Fail(channel, cause, channel.DeferredFailureAddress, detail);
                }
                var isMemory = bulk.IsMemoryUnreported(source, piece) && bulk.IsMemoryUnreported(destination, piece);
                var continues = runLength != 0 && source == runSource + runLength && destination == runDestination + runLength;
                if(continues && isMemory)
                {
                    runLength += piece;
                    continue;
                }
                if(!FlushRun(channel, bulk, runSource, runDestination, runLength))
                {
                    return false;
                }
                if(!isMemory)
                {
                    // Not memory: fails as it always did, with this piece's own copy attempt.
                    if(!TryCopyPiece(channel, bulk, source, destination, piece))
                    {
                        return false;
                    }
                    channel.DescriptorOffset += piece;
                    channel.BytesDone += piece;
                    continue;
                }
                runSource = source;
                runDestination = destination;
                runLength = piece;
            }
        }

        // Copies a run of pieces already known to be memory (length 0: nothing to do).
        private bool FlushRun(DmaChannel channel, IBulkPhysicalMemory bulk, ulong source, ulong destination, ulong length)
        {
            if(length == 0)
            {
                return true;
            }
            if(!TryCopyPiece(channel, bulk, source, destination, length))
            {
                return false;
            }
            channel.DescriptorOffset += length;
            channel.BytesDone += length;
            return true;
        }

        private bool TryCopyPiece(DmaChannel channel, IBulkPhysicalMemory bulk, ulong source, ulong destination, ulong piece)
        {
            if(bulk.TryCopy(source, destination, piece))
            {
                return true;
            }
            var missing = memory.IsMemory(source, piece) ? destination : source;
            return Fail(channel, DmaErrorCause.DataNotInMemory, missing, $"[0x{missing:X}, +0x{piece:X}) is not memory");
        }

        // Translates address in place and shortens piece to what stays in the page; false when the
        // channel stalled on a miss or failed. With deferFailure a failure is only recorded on the
        // channel (DeferredFailure), for the caller to report once it has moved what came before.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool TryTranslate(DmaChannel channel, ref ulong address, ref ulong piece, DmaAccess access, bool deferFailure = false)
        {
            var virtualAddress = address;
            var translator = Translator;
            if(translator == null)
            {
                // Checked at fetch too; the platform may have detached the TLB since.
                return FailOrDefer(deferFailure, channel, DmaErrorCause.TranslationUnavailable, virtualAddress, "the engine has no TLB any more");
            }
            for(var attempt = 0; ; attempt++)
            {
                channel.InsideTranslate = true;
                channel.ResolvedWhileTranslating = false;
                channel.AbortedWhileTranslating = false;
                TranslationStatus status;
                ulong physical;
                ulong inPage;
                try
                {
                    status = translator.Translate(virtualAddress, InitiatorId, access, channel, out physical, out inPage);
                }
                finally
                {
                    channel.InsideTranslate = false;
                }
                switch(status)
                {
                case TranslationStatus.Ok:
                    if(inPage == 0)
                    {
                        return FailOrDefer(deferFailure, channel, DmaErrorCause.InternalError, virtualAddress, "the translator returned an empty page");
                    }
                    piece = Math.Min(piece, inPage);
                    if(OverlapsOwnRegisters(physical, piece))
                    {
                        return FailOrDefer(deferFailure, channel, DmaErrorCause.RegisterOverlap, physical, $"0x{virtualAddress:X} translates to 0x{physical:X}, the engine's registers");
                    }
                    address = physical;
                    return true;
                case TranslationStatus.Miss:
                case TranslationStatus.PermissionFault:
                    // Both stall the channel (IIoTranslator contract): software refills or fixes
                    // the entry and resumes, or aborts; the abort's cause says which it was.
                    var permission = status == TranslationStatus.PermissionFault;
                    if(channel.AbortedWhileTranslating)
                    {
                        return FailOrDefer(deferFailure, channel, permission ? DmaErrorCause.TlbPermissionFault : DmaErrorCause.TlbAbort, virtualAddress,
                            permission ? $"the TLB forbids {access} at 0x{virtualAddress:X}" : "the TLB aborted the transfer");
                    }
                    if(channel.ResolvedWhileTranslating && attempt < MaxImmediateRetries)
                    {
                        continue;
                    }
                    channel.StalledAddress = virtualAddress;
                    channel.StalledOnPermission = permission;
                    channel.Phase = DmaChannelPhase.WaitingForTranslation;
                    return false;
                default:
                    return FailOrDefer(deferFailure, channel, DmaErrorCause.TlbAbort, virtualAddress, $"the TLB aborted {access} at 0x{virtualAddress:X}");
                }
            }
        }

        private bool FailOrDefer(bool defer, DmaChannel channel, DmaErrorCause cause, ulong faultAddress, string detail)
        {
            if(!defer)
            {
                return Fail(channel, cause, faultAddress, detail);
            }
            channel.DeferredFailure = cause;
            channel.DeferredFailureAddress = faultAddress;
            channel.DeferredFailureDetail = detail;
            return false;
        }

        private void Complete(DmaChannel channel)
        {
            var descriptor = channel.Descriptor;
            channel.DescriptorsDone++;
            if((descriptor.Control & DmaDescriptorControl.InterruptOnCompletion) != 0)
            {
                channel.LatchedStatus |= DmaChannelStatus.DescriptorInterrupt;
            }
            if((descriptor.Control & DmaDescriptorControl.EndOfChain) != 0)
            {
                channel.Phase = DmaChannelPhase.Idle;
                channel.LatchedStatus |= DmaChannelStatus.Done;
                return;
            }
            channel.CurrentDescriptor = descriptor.Next;
            channel.Phase = DmaChannelPhase.Fetching;
        }

        // Stops the channel with cause; always returns false so callers can `return Fail(...)`.
        private bool Fail(DmaChannel channel, DmaErrorCause cause, ulong faultAddress, string detail)
        {
            Stop(channel, cause, faultAddress);
            var message = $"Channel {channel.Index} stopped: {cause}: {detail}; descriptor 0x{channel.CurrentDescriptor:X}, {channel.BytesDone} bytes moved";
            if(cause == DmaErrorCause.InternalError)
            {
                host.LogInternalError(message);
            }
            else
            {
                host.LogGuestError(message);
            }
            return false;
        }

        private void Stop(DmaChannel channel, DmaErrorCause cause, ulong faultAddress)
        {
            StopWaitingForTranslation(channel);
            channel.Phase = DmaChannelPhase.Idle;
            channel.WakeTicket++;
            channel.ErrorCause = cause;
            channel.FaultAddress = faultAddress;
            channel.LatchedStatus |= DmaChannelStatus.Error;
        }

        // A channel leaving a TLB stall other than by the TLB's call back (an abort, a reset) takes
        // its request back, or the TLB would keep it queued and skip the channel's next miss.
        private void StopWaitingForTranslation(DmaChannel channel)
        {
            if(channel.Phase == DmaChannelPhase.WaitingForTranslation)
            {
                Translator?.Cancel(channel);
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        private bool OverlapsOwnRegisters(ulong address, ulong length)
        {
            // Callers pass ranges already inside the window or returned by the translator; clamp the
            // end so a range running to the top of the address space cannot wrap.
            var last = length == 0 ? address : (address > ulong.MaxValue - (length - 1) ? ulong.MaxValue : address + (length - 1));
            for(var i = 0; i < ownRegisterBases.Length; i++)
            {
                var registerLast = ownRegisterBases[i] + (ownRegisterSizes[i] - 1);
                if(address <= registerLast && ownRegisterBases[i] <= last)
                {
                    return true;
                }
            }
            return false;
        }

        private void UpdateInterrupts()
        {
            foreach(var channel in channels)
            {
                var level = channel.InterruptAsserted;
                if(level != channel.ReportedInterrupt)
                {
                    channel.ReportedInterrupt = level;
                    host.SetLine(channel.Index, level);
                }
            }
        }

        private IPhysicalMemory memory;
        private IDeviceHost host;
        private ulong chainStepBytes = DefaultChainStepBytes;
        private int chainStepDescriptors = DefaultChainStepDescriptors;
        private byte[] scratch;
        private ulong[] ownRegisterBases;
        private ulong[] ownRegisterSizes;
        private readonly DmaChannel[] channels;

        private static readonly RegisterTable<ScatterGatherDmaModel> RegisterMap = DefineRegisters();

        // Large enough to amortise per-piece work, small enough to stay in the L1/L2 cache between
        // the read and the write of a piece.
        private const int ScratchSize = 32 * 1024;
        // A TLB that refills from inside Translate (the TSB assist) gets this many immediate retries.
        private const int MaxImmediateRetries = 4;
        private const ulong NanosecondsPerSecond = 1_000_000_000;
        private const uint ControlStart = 1u << 0;
        private const uint ControlAbort = 1u << 1;

        // Offsets of docs/dma-engine.md; a 64-bit pair is named by its LO half.
        private enum Register : long
        {
            Identifier = 0x00,
            Version = 0x04,
            ChannelCount = 0x08,
            MaxChainLength = 0x0C,
            WindowBase = 0x10,
            WindowLast = 0x18,
            InterruptStatus = 0x20,
            Bandwidth = 0x24
        }

        // Offsets within a channel's block (ChannelBlockBase + channel * ChannelStride).
        private enum ChannelRegister : long
        {
            DescriptorPointer = 0x00,
            Control = 0x08,
            Status = 0x0C,
            ErrorCause = 0x10,
            BytesDone = 0x14,
            CurrentDescriptor = 0x1C,
            DescriptorsDone = 0x24,
            FaultAddress = 0x28
        }
    }
}
