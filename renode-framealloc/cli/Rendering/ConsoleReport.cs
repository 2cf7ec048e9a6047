using System.Collections.Generic;
using System.Linq;
using RenodeFrameAlloc.Cli.Drivers;
using RenodeFrameAlloc.Cli.Steps;
using Spectre.Console;

namespace RenodeFrameAlloc.Cli.Rendering
{
    // Shows step results on a console: each step's own tables, its checks, and the final summary.
    // Nothing here computes: every number comes from a result record.
    public sealed class ConsoleReport
    {
        public ConsoleReport(IAnsiConsole console)
        {
            this.console = console;
        }

        public void StepHeader(int number, int count, string title)
        {
            console.WriteLine();
            console.Write(new Rule($"[bold]{number}/{count}  {Markup.Escape(title)}[/]").LeftJustified());
        }

        public void Show(StepResult result)
        {
            switch(result)
            {
            case FrameBorrowingResult borrowing:
                ShowBorrowing(borrowing);
                break;
            case BufferCacheResult cache:
                ShowBufferCache(cache);
                break;
            case BounceCopyResult bounce:
                ShowBounceCopy(bounce);
                break;
            case TlbTransferResult tlb:
                ShowTlbTransfer(tlb);
                break;
            case MisuseCheckerResult checker:
                ShowMisuseChecker(checker);
                break;
            }
            ShowChecks(result);
        }

        public void Summary(IReadOnlyList<StepResult> results, IReadOnlyList<string> files)
        {
            console.WriteLine();
            var table = new Table().Border(TableBorder.Rounded).Title("[bold]Summary[/]");
            table.AddColumn("#");
            table.AddColumn("step");
            table.AddColumn("as expected");
            table.AddColumn("what it showed");
            for(var i = 0; i < results.Count; i++)
            {
                var r = results[i];
                table.AddRow(new Markup((i + 1).ToString()), new Markup(Markup.Escape(r.Title)),
                    new Markup(r.BehavedAsExpected ? "[green]yes[/]" : "[red]NO[/]"), new Markup(Markup.Escape(r.Summary ?? string.Empty)));
            }
            console.Write(table);
            foreach(var file in files)
            {
                console.MarkupLine($"[bold]wrote[/] {Markup.Escape(file)}");
            }
            var failed = results.Count(r => !r.BehavedAsExpected);
            console.MarkupLine(failed == 0
                ? $"[green]All {results.Count} steps behaved as expected.[/]"
                : $"[red]{failed} of {results.Count} steps did not behave as expected.[/]");
        }

        public void Message(string markup)
        {
            console.MarkupLine(markup);
        }

        private void ShowBorrowing(FrameBorrowingResult r)
        {
            var stats = new Table().Border(TableBorder.Simple).Title("per-range statistics (frame-pool STATS registers): before / frames out / after");
            stats.AddColumn("range");
            stats.AddColumn("window");
            stats.AddColumn(new TableColumn("pages").RightAligned());
            stats.AddColumn(new TableColumn("free").RightAligned());
            stats.AddColumn(new TableColumn("wired").RightAligned());
            stats.AddColumn(new TableColumn("allocations").RightAligned());
            stats.AddColumn(new TableColumn("failures").RightAligned());
            for(var i = 0; i < r.Before.Count; i++)
            {
                RangeCounters b = r.Before[i], d = r.Borrowed[i], a = r.After[i];
                stats.AddRow(Markup.Escape(b.Name), Markup.Escape($"[0x{b.Base:X}, 0x{b.Base + b.Size:X})"), b.Pages.ToString(),
                    $"{b.Free} / {d.Free} / {a.Free}", $"{b.Wired} / {d.Wired} / {a.Wired}",
                    $"{b.Allocations} / {d.Allocations} / {a.Allocations}", $"{b.Failures} / {d.Failures} / {a.Failures}");
            }
            console.Write(stats);

            var blocks = new Table().Border(TableBorder.Simple).Title("frames borrowed through the device's registers");
            blocks.AddColumn("range");
            blocks.AddColumn("request");
            blocks.AddColumn(new TableColumn("KiB").RightAligned());
            blocks.AddColumn("segments");
            blocks.AddColumn(new TableColumn("ERROR borrow/return").RightAligned());
            foreach(var block in r.Blocks)
            {
                blocks.AddRow(Markup.Escape(block.Range), Markup.Escape(block.Purpose), (block.Request.Size >> 10).ToString(),
                    Markup.Escape(FormatSegments(block)), $"{block.BorrowError} / {block.ReturnError}");
            }
            console.Write(blocks);
            console.MarkupLine($"a request one page over isa's free memory: ERROR [bold]{r.OversizeError}[/] (7 = INSUFFICIENT_MEMORY); "
                + $"a second return of the first block: ERROR [bold]{r.SecondReturnError}[/] (10 = NOT_ALLOCATED)");
        }

        private void ShowBufferCache(BufferCacheResult r)
        {
            var table = new Table().Border(TableBorder.Simple)
                .Title($"{r.Capped.WorkingSetPages} program pages in use; {r.Capped.StreamedPages} pages copied ({r.Capped.StreamedPages / r.Capped.TotalPages}x memory)");
            table.AddColumn("");
            table.AddColumn(new TableColumn(Markup.Escape(r.Capped.Label)).RightAligned());
            table.AddColumn(new TableColumn(Markup.Escape(r.Uncapped.Label)).RightAligned());
            void Row(string what, long capped, long uncapped)
            {
                table.AddRow(what, capped.ToString("N0"), uncapped.ToString("N0"));
            }
            Row("physical memory (pages)", r.Capped.TotalPages, r.Uncapped.TotalPages);
            Row("cache cap (pages)", r.Capped.CapPages, r.Uncapped.CapPages);
            Row("[bold]program pages evicted[/]", r.Capped.ProgramPagesEvicted, r.Uncapped.ProgramPagesEvicted);
            Row("program page faults", r.Capped.ProgramFaults, r.Uncapped.ProgramFaults);
            Row("peak cache pages", r.Capped.PeakCachePages, r.Uncapped.PeakCachePages);
            Row("cache pages at the end", r.Capped.CachePagesAtEnd, r.Uncapped.CachePagesAtEnd);
            Row("cache pages recycled or evicted", r.Capped.CachePagesEvicted, r.Uncapped.CachePagesEvicted);
            Row("pager passes (memory short)", r.Capped.PagerPasses, r.Uncapped.PagerPasses);
            Row("pages the pager reclaimed", r.Capped.PagerReclaimed, r.Uncapped.PagerReclaimed);
            console.Write(table);
        }

        private void ShowBounceCopy(BounceCopyResult r)
        {
            if(r.Engine24 == null)
            {
                return;
            }
            var table = new Table().Border(TableBorder.Simple)
                .Title(Markup.Escape($"{r.Bytes >> 10} KiB from 0x{r.SourcePhysical:X} to 0x{r.DestinationPhysical:X}, through bus_dma"));
            table.AddColumn("");
            table.AddColumn(new TableColumn(Markup.Escape(r.Engine24.Engine)).RightAligned());
            table.AddColumn(new TableColumn(Markup.Escape(r.Engine32.Engine)).RightAligned());
            void Row(string what, string a, string b)
            {
                table.AddRow(Markup.Escape(what), Markup.Escape(a), Markup.Escape(b));
            }
            Row("address window", r.Engine24.Window, r.Engine32.Window);
            Row("bus addresses programmed", Span(r.Engine24), Span(r.Engine32));
            Row("descriptors", r.Engine24.Descriptors.ToString(), r.Engine32.Descriptors.ToString());
            Row("loads", r.Engine24.Loads.ToString(), r.Engine32.Loads.ToString());
            Row("bounced loads", r.Engine24.BouncedLoads.ToString(), r.Engine32.BouncedLoads.ToString());
            Row("bounce pages in use", r.Engine24.BouncePagesInUse.ToString(), r.Engine32.BouncePagesInUse.ToString());
            Row("bytes copied by syncs", r.Engine24.BytesCopiedByBounce.ToString("N0"), r.Engine32.BytesCopiedByBounce.ToString("N0"));
            Row("bytes moved by the engine", r.Engine24.BytesDone.ToString("N0"), r.Engine32.BytesDone.ToString("N0"));
            Row("destination equals source", r.Engine24.DestinationMatchesSource ? "yes" : "NO", r.Engine32.DestinationMatchesSource ? "yes" : "NO");
            console.Write(table);
        }

        private static string Span(EngineCopy copy)
        {
            return copy.Error != null ? "-" : $"0x{copy.LowestBusAddress:X}..0x{copy.HighestBusAddress:X}";
        }

        private void ShowMisuseChecker(MisuseCheckerResult r)
        {
            var table = new Table().Border(TableBorder.Simple).Title(Markup.Escape($"the same {r.Bytes >> 10} KiB copy, checker in non-coherent mode"));
            table.AddColumn("driver");
            table.AddColumn(new TableColumn("findings").RightAligned());
            table.AddColumn("kinds");
            table.AddColumn(new TableColumn("bytes wrong").RightAligned());
            foreach(var run in r.Runs)
            {
                table.AddRow(Markup.Escape(run.Driver), run.Findings.Count.ToString(), Markup.Escape(string.Join(", ", run.FindingKinds.DefaultIfEmpty("-"))),
                    run.Error != null ? Markup.Escape(run.Error) : run.DifferingBytes.ToString());
            }
            console.Write(table);
            foreach(var run in r.Runs.Where(x => x.Findings.Count > 0))
            {
                console.MarkupLine($"[bold]the driver that {Markup.Escape(run.Driver)} is told:[/]");
                foreach(var finding in run.Findings.Take(MaxFindingsShown))
                {
                    console.MarkupLine($"  [yellow]{Markup.Escape(finding)}[/]");
                }
            }
        }

        private void ShowTlbTransfer(TlbTransferResult r)
        {
            if(r.Counters == null)
            {
                return;
            }
            var layout = new Table().Border(TableBorder.Simple).Title("where things are");
            layout.AddColumn("");
            layout.AddColumn("device-virtual");
            layout.AddColumn("physical");
            layout.AddRow("source buffer", $"0x{r.SourceVirtual:X}", $"0x{r.SourcePhysical:X} ({r.Pages} pages, TSB preloaded)");
            layout.AddRow("destination buffer", $"0x{r.DestinationVirtual:X}", $"0x{r.DestinationPhysical:X} (refilled on miss interrupts)");
            layout.AddRow("I/O page table", "-", $"0x{r.PageTableBase:X} (borrowed frames, never mapped)");
            layout.AddRow("TSB", "-", $"0x{r.TsbBase:X} ({r.TsbEntries} entries, borrowed frames)");
            console.Write(layout);

            var counters = new Table().Border(TableBorder.Simple).Title($"TLB of {r.TlbEntries} entries; {r.Descriptors} descriptors, {r.Bytes >> 10} KiB");
            counters.AddColumn("HITS");
            counters.AddColumn("MISSES");
            counters.AddColumn("TSB_REFILLS");
            counters.AddColumn("FAULTS");
            counters.AddColumn("REFILLS");
            counters.AddColumn("handled by the driver");
            counters.AddColumn("aborted");
            counters.AddColumn("virtual time");
            counters.AddRow(r.Counters.Hits.ToString(), r.Counters.Misses.ToString(), r.Counters.TsbRefills.ToString(), r.Counters.Faults.ToString(),
                r.Counters.Refills.ToString(), r.MissesHandled.ToString(), r.Aborted.ToString(), $"{r.VirtualTimeNanoseconds / 1000.0:0.0} us");
            console.Write(counters);
        }

        private void ShowChecks(StepResult result)
        {
            foreach(var check in result.Checks)
            {
                var mark = check.Held ? "[green]ok[/]  " : "[red]FAIL[/]";
                console.MarkupLine($"  {mark} {Markup.Escape(check.Expectation)} [grey]({Markup.Escape(check.Observed ?? string.Empty)})[/]");
            }
        }

        private static string FormatSegments(BorrowedBlock block)
        {
            if(block.Segments.Length == 0)
            {
                return "-";
            }
            var shown = string.Join(" ", block.Segments.Take(3).Select(s => $"0x{s.Address:X}+{s.Length >> 10}K"));
            return block.Segments.Length > 3 ? $"{shown} ... ({block.Segments.Length})" : shown;
        }

        private readonly IAnsiConsole console;

        private const int MaxFindingsShown = 5;
    }
}
