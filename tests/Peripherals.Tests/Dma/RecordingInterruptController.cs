using System.Collections.Generic;
using Antmicro.Renode.Core;

namespace RenodeFrameAlloc.Peripherals.Tests.Dma
{
    // Stands where a PLIC would: records the level of each input a GPIO drives.
    public sealed class RecordingInterruptController : IGPIOReceiver
    {
        public void OnGPIO(int number, bool value)
        {
            Levels[number] = value;
            Changes.Add((number, value));
        }

        public void Reset()
        {
            Levels.Clear();
        }

        public bool Level(int number)
        {
            return Levels.TryGetValue(number, out var level) && level;
        }

        public Dictionary<int, bool> Levels { get; } = new Dictionary<int, bool>();

        public List<(int Number, bool Value)> Changes { get; } = new List<(int, bool)>();
    }
}
