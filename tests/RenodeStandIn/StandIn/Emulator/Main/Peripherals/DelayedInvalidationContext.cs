using System;

namespace Antmicro.Renode.Peripherals
{
    public class DelayedInvalidationContext : IDisposable
    {
        public DelayedInvalidationContext(IHasDelayedInvalidationContext obj)
        {
            this.obj = obj;
            this.obj.SetDelayedInvalidation(true);
        }

        public void Dispose()
        {
            this.obj.SetDelayedInvalidation(false);
        }

        private readonly IHasDelayedInvalidationContext obj;
    }
}
