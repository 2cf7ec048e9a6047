using System;

namespace RenodeFrameAlloc.Bench
{
    // The summary of a paired comparison: the median of the per-pair ratios (candidate time over
    // baseline time, the two measured back to back) with a percentile bootstrap interval. A drift
    // of the machine's speed that is slow against one pair moves both halves of the pair and
    // cancels in its ratio; the median keeps a pair that was interrupted from moving the result.
    public readonly struct PairedRatio
    {
        public PairedRatio(double median, double low, double high, int pairs)
        {
            Median = median;
            Low = low;
            High = high;
            Pairs = pairs;
        }

        public double Median { get; }
        public double Low { get; }
        public double High { get; }
        public int Pairs { get; }

        // Median of ratios[i] with its bootstrap interval at the given confidence (0.95: the
        // 2.5th and 97.5th percentiles of the medians of `resamples` resamples). Deterministic for a
        // seed. Requires at least one ratio, every one positive and finite.
        public static PairedRatio Of(ReadOnlySpan<double> ratios, double confidence = 0.95, int resamples = 2000, int seed = 1)
        {
            if(ratios.IsEmpty)
            {
                throw new ArgumentException("no pairs", nameof(ratios));
            }
            foreach(var r in ratios)
            {
                if(!(r > 0) || double.IsInfinity(r))
                {
                    throw new ArgumentException($"ratio {r} is not a positive finite number", nameof(ratios));
                }
            }
            if(!(confidence > 0 && confidence < 1) || resamples < 1)
            {
                throw new ArgumentOutOfRangeException(nameof(confidence), $"confidence {confidence} must be in (0, 1), resamples {resamples} at least 1");
            }
            var sample = ratios.ToArray();
            var median = MedianOf(sample);
            var random = new Random(seed);
            var medians = new double[resamples];
            var resample = new double[sample.Length];
            for(var k = 0; k < resamples; k++)
            {
                for(var i = 0; i < resample.Length; i++)
                {
                    resample[i] = sample[random.Next(sample.Length)];
                }
                medians[k] = MedianOf(resample);
            }
            Array.Sort(medians);
            var tail = (1 - confidence) / 2;
            var low = medians[(int)Math.Floor(tail * (resamples - 1))];
            var high = medians[(int)Math.Ceiling((1 - tail) * (resamples - 1))];
            return new PairedRatio(median, low, high, sample.Length);
        }

        // Sorts values in place.
        public static double MedianOf(double[] values)
        {
            Array.Sort(values);
            var n = values.Length;
            return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
        }

        public override string ToString()
        {
            return $"{Median:0.000} [{Low:0.000}, {High:0.000}]";
        }
    }
}
