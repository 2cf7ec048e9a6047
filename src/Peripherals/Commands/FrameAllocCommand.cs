using Antmicro.Renode.UserInterface;
using Antmicro.Renode.UserInterface.Commands;
using AntShell.Commands;

namespace RenodeFrameAlloc.Peripherals.Commands
{
    // Monitor command `framealloc`: which assembly this Renode process compiled the plugin into,
    // and whether snapshots saved by another process load here. The monitor creates it as soon as
    // `include @.../framealloc.resc` has compiled the plugin (an AutoLoadCommand), before any
    // `Load`, and that is what installs PluginAssemblyResolver.
    public class FrameAllocCommand : AutoLoadCommand
    {
        public FrameAllocCommand(Monitor monitor)
            : base(monitor, "framealloc", "renode-framealloc plugin: its assembly in this process and snapshot loading across processes.")
        {
            PluginAssemblyResolver.Install(typeof(FrameAllocCommand).Assembly);
        }

        [Runnable]
        public void Run(ICommandInteraction writer)
        {
            writer.WriteLine($"plugin assembly: {typeof(FrameAllocCommand).Assembly.GetName().Name}");
            writer.WriteLine(PluginAssemblyResolver.IsInstalled
                ? "snapshots: those saved by another Renode process that included the plugin load here"
                : "snapshots: only those saved by this process load here");
        }
    }
}
