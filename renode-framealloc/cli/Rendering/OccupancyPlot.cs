using System.Collections.Generic;
using System.Linq;
using RenodeFrameAlloc.Cli.Steps;
using ScottPlot;

namespace RenodeFrameAlloc.Cli.Rendering
{
    // The buffer-cache step as a PNG: one panel per side (with the cap, without it), each range's
    // program pages (solid) and cache pages (dashed) as a share of the range over the copy.
    public static class OccupancyPlot
    {
        public const int Width = 1400;
        public const int Height = 720;

        public static void Save(BufferCacheResult result, string path)
        {
            var multiplot = new Multiplot();
            multiplot.AddPlots(2);
            multiplot.Layout = new ScottPlot.MultiplotLayouts.Columns();
            Draw(multiplot.GetPlot(0), result.Capped);
            Draw(multiplot.GetPlot(1), result.Uncapped);
            multiplot.SharedAxes.ShareY(multiplot.GetPlots());
            multiplot.SavePng(path, Width, Height);
        }

        private static void Draw(Plot plot, BufferCacheRun run)
        {
            var samples = run.Samples;
            var memories = samples.Select(s => (double)s.StreamedPages / run.TotalPages).ToArray();
            var ranges = samples[0].Ranges.Select(r => r.Range).ToArray();
            for(var i = 0; i < ranges.Length; i++)
            {
                var color = Palette[i % Palette.Length];
                var program = samples.Select(s => Share(s.Ranges[i].Program, s.Ranges[i].Pages)).ToArray();
                var cache = samples.Select(s => Share(s.Ranges[i].Cache, s.Ranges[i].Pages)).ToArray();
                AddLine(plot, memories, program, color, LinePattern.Solid, $"{ranges[i]} program");
                AddLine(plot, memories, cache, color, LinePattern.Dashed, $"{ranges[i]} cache");
            }
            var allCache = samples.Select(s => Share(s.Ranges.Sum(r => r.Cache), run.TotalPages)).ToArray();
            AddLine(plot, memories, allCache, Colors.Black, LinePattern.Dotted, "all memory: cache");
            if(run.CapPercent < 100)
            {
                var cap = plot.Add.HorizontalLine(run.CapPercent);
                cap.Color = Colors.Gray;
                cap.LinePattern = LinePattern.DenselyDashed;
                cap.LegendText = $"cache cap ({run.CapPercent}% of memory)";
            }
            plot.Title($"{run.Label}: program pages evicted {run.ProgramPagesEvicted}");
            plot.XLabel("copied so far (times physical memory)");
            plot.YLabel("share of the range's pages (%)");
            plot.Axes.SetLimits(0, memories.Last(), 0, 105);
            plot.ShowLegend(Edge.Bottom);
        }

        private static void AddLine(Plot plot, double[] xs, double[] ys, Color color, LinePattern pattern, string label)
        {
            var line = plot.Add.Scatter(xs, ys);
            line.Color = color;
            line.LinePattern = pattern;
            line.LineWidth = 2;
            line.MarkerSize = 0;
            line.LegendText = label;
        }

        private static double Share(long part, long whole)
        {
            return whole == 0 ? 0 : 100.0 * part / whole;
        }

        private static readonly Color[] Palette = { Colors.Blue, Colors.OrangeRed, Colors.Green, Colors.Purple };
    }
}
