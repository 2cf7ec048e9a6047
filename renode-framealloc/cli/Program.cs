using System.CommandLine;
using Spectre.Console;

namespace RenodeFrameAlloc.Cli
{
    // renode-framealloc: `demo` shows the allocator, the bus_dma layer and the device models at
    // work on an embedded host, or with --renode runs the Robot suites in Renode.
    public static class Program
    {
        public static int Main(string[] args)
        {
            var console = AnsiConsole.Console;
            if(System.Console.IsOutputRedirected)
            {
                // Spectre assumes 80 columns when it cannot ask a terminal; the tables need more.
                console.Profile.Width = RedirectedWidth;
            }
            return Run(args, console);
        }

        // The entry point with the console to write to, so tests can capture it.
        public static int Run(string[] args, IAnsiConsole console)
        {
            var seed = new Option<int>("--seed")
            {
                Description = "Seed of everything random in the demo (same seed, same run)",
                DefaultValueFactory = _ => DefaultSeed
            };
            var output = new Option<string>("--out")
            {
                Description = $"Directory for the plot ({DemoRunner.PlotFileName}) and the JSON report ({DemoRunner.ReportFileName}); default: {DemoRunner.DefaultOutputDirectory}"
            };
            var quick = new Option<bool>("--quick")
            {
                Description = "Small sizes for CI and tests: the whole demo in seconds"
            };
            var renode = new Option<bool>("--renode")
            {
                Description = "Run the Renode platform and the Robot suites (robot-tests/) with renode-test instead; needs Renode on PATH"
            };
            var demo = new Command("demo", "Run the demo: frame borrowing, the buffer-cache cap, bounce buffers, the software TLB, the misuse checker");
            demo.Options.Add(seed);
            demo.Options.Add(output);
            demo.Options.Add(quick);
            demo.Options.Add(renode);
            demo.SetAction(parsed => new DemoRunner(console).Run(new DemoOptions(parsed.GetValue(seed), parsed.GetValue(output),
                parsed.GetValue(quick), parsed.GetValue(renode))));

            var root = new RootCommand("renode-framealloc: a bus_dma-style DMA framework for Renode's RISC-V platforms");
            root.Subcommands.Add(demo);
            return root.Parse(args).Invoke();
        }

        public const int DefaultSeed = 1;
        private const int RedirectedWidth = 140;
    }
}
