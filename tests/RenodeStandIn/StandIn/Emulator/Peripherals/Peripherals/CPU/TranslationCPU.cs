namespace Antmicro.Renode.Peripherals.CPU
{
    // Renode's TranslationCPU: the block size the DMA checker sets while StopOnFinding is on.
    public abstract partial class TranslationCPU : BaseCPU
    {
        // Renode's setter also flushes the translation cache; here it only keeps the value.
        public int MaximumBlockSize
        {
            get
            {
                return maximumBlockSize;
            }

            set
            {
                maximumBlockSize = value;
            }
        }

        private int maximumBlockSize = DefaultMaximumBlockSize;

        private const int DefaultMaximumBlockSize = 0x7FF;
    }
}
