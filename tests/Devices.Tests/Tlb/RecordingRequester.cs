using System;
using RenodeFrameAlloc.Devices;

namespace RenodeFrameAlloc.Devices.Tests.Tlb
{
    // A stalled initiator that only counts the TLB's call-backs (and may run an action on resume).
    public sealed class RecordingRequester : ITranslationRequester
    {
        public void TranslationResolved()
        {
            Resolved++;
            OnResolved?.Invoke();
        }

        public void TranslationAborted()
        {
            Aborted++;
        }

        public int Resolved { get; private set; }

        public int Aborted { get; private set; }

        public Action OnResolved { get; set; }
    }
}
