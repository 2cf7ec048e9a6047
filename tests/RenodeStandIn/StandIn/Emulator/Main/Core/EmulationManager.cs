using System;

namespace Antmicro.Renode.Core
{
    // The process's emulation manager: its instance, the current emulation and the event raised
    // when a new one replaces it (after a snapshot load's deserialization, hooks included).
    public sealed class EmulationManager
    {
        static EmulationManager()
        {
            Instance = new EmulationManager();
        }

        public static EmulationManager Instance { get; private set; }

        public Emulation CurrentEmulation
        {
            get
            {
                return currentEmulation;
            }

            set
            {
                lock(currentEmulationLock)
                {
                    currentEmulation.Dispose();
                    currentEmulation = value;
                    EmulationChanged?.Invoke();
                }
            }
        }

        public event Action EmulationChanged;

        private EmulationManager()
        {
            currentEmulation = new Emulation();
            currentEmulationLock = new object();
        }

        private Emulation currentEmulation;
        private readonly object currentEmulationLock;
    }
}
