using System.Collections.Generic;

namespace RenodeFrameAlloc.Devices.Tlb
{
    // The faults waiting for software, in arrival order: the first is the latched one (the one
    // software sees in FAULT_VA/FAULT_INFO), the others keep their requesters stalled behind it.
    // A fault without a requester (an initiator that could not wait) is only ever the latched one.
    // Holds no policy: SoftwareManagedTlbModel decides what is queued, dropped or resolved.
    internal sealed class TlbFaultQueue
    {
        internal TlbFaultQueue()
        {
            pending = new List<PendingFault>();
        }

        internal int Count => pending.Count;

        internal bool HasLatched => pending.Count > 0;

        // Default (cause None) when none is latched.
        internal TlbFault Latched => pending.Count > 0 ? pending[0].Fault : default;

        internal ITranslationRequester LatchedRequester => pending[0].Requester;

        internal bool Contains(ITranslationRequester requester)
        {
            foreach(var queued in pending)
            {
                if(queued.Requester == requester)
                {
                    return true;
                }
            }
            return false;
        }

        internal void Add(TlbFault fault, ITranslationRequester requester)
        {
            pending.Add(new PendingFault(fault, requester));
        }

        // Removes the latched fault; the next one, if any, becomes the latched one.
        internal void RemoveLatched()
        {
            pending.RemoveAt(0);
        }

        // The requesters still stalled, in order; then empties the queue.
        internal List<ITranslationRequester> Clear()
        {
            var stalled = new List<ITranslationRequester>();
            foreach(var fault in pending)
            {
                if(fault.Requester != null)
                {
                    stalled.Add(fault.Requester);
                }
            }
            pending.Clear();
            return stalled;
        }

        // Forgets waiter: a queued fault of it goes; the latched one stays latched for software,
        // with nobody to call back.
        internal void Cancel(ITranslationRequester waiter)
        {
            for(var i = pending.Count - 1; i >= 0; i--)
            {
                if(pending[i].Requester != waiter)
                {
                    continue;
                }
                if(i == 0)
                {
                    pending[0] = new PendingFault(pending[0].Fault.WithoutRequester(), null);
                }
                else
                {
                    pending.RemoveAt(i);
                }
            }
        }

        private readonly List<PendingFault> pending;

        private readonly struct PendingFault
        {
            public PendingFault(TlbFault fault, ITranslationRequester requester)
            {
                Fault = fault;
                Requester = requester;
            }

            public readonly TlbFault Fault;
            public readonly ITranslationRequester Requester;
        }
    }
}
