using System;
using RenodeFrameAlloc.Devices;
using RenodeFrameAlloc.Devices.Memory;

namespace RenodeFrameAlloc.Devices.Tests.Tlb
{
    // A minimal DMA channel behind a TLB: copies length bytes from device-virtual source to
    // device-virtual destination, at most one page (as the TLB reports it) per step. On a fault
    // it stalls and continues when the TLB calls back, exactly where it stopped.
    public sealed class PagedCopier : ITranslationRequester
    {
        public PagedCopier(IIoTranslator translator, IPhysicalMemory memory, int initiatorId)
        {
            this.translator = translator;
            this.memory = memory;
            this.initiatorId = initiatorId;
        }

        public void Start(ulong source, ulong destination, ulong length)
        {
            this.source = source;
            this.destination = destination;
            this.length = length;
            Done = 0;
            Finished = false;
            WasAborted = false;
            Run();
        }

        public void TranslationResolved()
        {
            Stalled = false;
            Run();
        }

        public void TranslationAborted()
        {
            Stalled = false;
            WasAborted = true;
        }

        public ulong Done { get; private set; }

        public bool Finished { get; private set; }

        public bool Stalled { get; private set; }

        public bool WasAborted { get; private set; }

        public int Stalls { get; private set; }

        private void Run()
        {
            while(Done < length)
            {
                var read = translator.Translate(source + Done, initiatorId, DmaAccess.Read, this, out var from, out var readRoom);
                if(read != TranslationStatus.Ok)
                {
                    Stall();
                    return;
                }
                var write = translator.Translate(destination + Done, initiatorId, DmaAccess.Write, this, out var to, out var writeRoom);
                if(write != TranslationStatus.Ok)
                {
                    Stall();
                    return;
                }
                var chunk = (int)Math.Min(length - Done, Math.Min(readRoom, writeRoom));
                var buffer = new byte[chunk];
                if(!memory.TryRead(from, buffer) || !memory.TryWrite(to, buffer))
                {
                    throw new InvalidOperationException("the TLB produced an address outside RAM");
                }
                Done += (ulong)chunk;
            }
            Finished = true;
        }

        private void Stall()
        {
            Stalled = true;
            Stalls++;
        }

        private ulong source;
        private ulong destination;
        private ulong length;

        private readonly IIoTranslator translator;
        private readonly IPhysicalMemory memory;
        private readonly int initiatorId;
    }
}
