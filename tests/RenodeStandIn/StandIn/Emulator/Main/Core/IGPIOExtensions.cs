namespace Antmicro.Renode.Core
{
    // Renode keeps this class in IGPIO.cs; Set() and Unset() are extensions, not interface members.
    public static class IGPIOExtensions
    {
        public static void Set(this IGPIO gpio)
        {
            gpio.Set(true);
        }

        public static void Unset(this IGPIO gpio)
        {
            gpio.Set(false);
        }

        public static void Blink(this IGPIO gpio)
        {
            gpio.Set();
            gpio.Unset();
        }
    }
}
