namespace Antmicro.Renode.Peripherals
{
    public interface IHasOwnLife
    {
        void Start();

        void Pause();

        void Resume();

        bool IsPaused { get; }
    }
}
