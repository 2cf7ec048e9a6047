using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.InteropServices;
using Antmicro.Renode.Core;
using Antmicro.Renode.Peripherals.Bus;
using Antmicro.Renode.Peripherals.Memory;
using Antmicro.Renode.Time;
using Antmicro.Renode.UserInterface;
using Antmicro.Renode.UserInterface.Commands;
using AntShell.Commands;

namespace RenodeFrameAlloc.Bench.Renode
{
    // Monitor command `dmabench`: DMA throughput inside this Renode process, on the project's board
    // (platforms/framealloc-riscv64.repl) plus robot-tests/stock-dma.repl, loaded by
    // bench/renode/dma-bench.resc. Copies size bytes from 0x8000_0000 to 0x8400_0000 with
    //   ours     dma32 channel 0, bandwidth 0: the copy happens inside the START write;
    //   ours+TLB the same through the software-managed TLB (4 KiB pages, every page in a preloaded
    //            TSB: TSB refills, no miss interrupts; checked);
    //   PDMA     the copy Renode's MPFS_PDMA makes (DmaEngine.IssueCopy with its request), alone;
    //   memcpy   Buffer.MemoryCopy between two host buffers of the size, in this process.
    // Every copy's destination is zeroed before and compared with the source after. Then where the
    // time of a START and of a translated page goes (DmaBenchBreakdown), the engine's step bound
    // (a chain longer than it, bounded against lifted) and the DMA checker's cost.
    // Environment: DMABENCH_REPS (default 7), DMABENCH_MAX_KIB (default 65536); DMABENCH_PROFILE=tlb
    // or plain only repeats that copy for 10 s, for a sampling profiler (bench/README.md).
    // Not part of the plugin: this file is only compiled by dma-bench.resc.
    public class DmaBenchCommand : AutoLoadCommand
    {
        public DmaBenchCommand(Monitor monitor)
            : base(monitor, "dmabench", "renode-framealloc: DMA throughput of dma32 (plain and through the TLB), MPFS_PDMA and memcpy.")
        {
        }

        [Runnable]
        public void Run(ICommandInteraction writer)
        {
            try
            {
                new DmaBenchRun(monitor.Machine, writer, EnvironmentInt("DMABENCH_REPS", 7), (ulong)EnvironmentInt("DMABENCH_MAX_KIB", 65536) * 1024).Execute();
            }
            catch(Exception e)
            {
                writer.WriteError($"dmabench failed: {e}");
            }
        }

        private static int EnvironmentInt(string name, int fallback)
        {
            return int.TryParse(Environment.GetEnvironmentVariable(name), out var value) && value > 0 ? value : fallback;
        }
    }
}
