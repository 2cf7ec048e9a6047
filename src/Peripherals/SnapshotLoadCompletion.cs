using System;
using Antmicro.Renode.Core;

namespace RenodeFrameAlloc.Peripherals
{
    // Work an adapter must leave until a snapshot load has finished. A TranslationCPU sets itself
    // up again (tlib, and Renode's default MaximumBlockSize) in its own [LatePostDeserialization]
    // hook, and Migrant promises no order among late hooks: before the CPU's has run, asking the CPU
    // its block size throws, and a size set then is overwritten. Renode makes the loaded emulation
    // current only after deserialization, every hook included, and says so with
    // EmulationManager.EmulationChanged: that is when the work runs.
    public static class SnapshotLoadCompletion
    {
        // Runs work once, when the emulation being loaded becomes current. Called from a
        // [LatePostDeserialization] hook; work runs on the thread that loads (the monitor's, with
        // the emulation paused) and must contain its own exceptions (EntryPointBoundary).
        public static void Then(Action work)
        {
            Action once = null;
            once = () =>
            {
                EmulationManager.Instance.EmulationChanged -= once;
                work();
            };
            EmulationManager.Instance.EmulationChanged += once;
        }
    }
}
