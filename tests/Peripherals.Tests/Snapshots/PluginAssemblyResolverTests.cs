using System;
using System.Linq;
using Antmicro.Renode.Peripherals.DMA;
using AntShell.Commands;
using NUnit.Framework;
using RenodeFrameAlloc.Peripherals;
using RenodeFrameAlloc.Peripherals.Commands;

namespace RenodeFrameAlloc.Peripherals.Tests.Snapshots
{
    // A snapshot names every plugin type with the assembly name Renode gave the plugin in the
    // process that saved it; another process compiled the plugin under another name.
    public class PluginAssemblyResolverTests
    {
        private const string AdHocName = "0f8fad5b-d9cb-469f-a165-70867728950e.dll";

        [TestCase("0f8fad5b-d9cb-469f-a165-70867728950e.dll", true)]
        [TestCase("0F8FAD5B-D9CB-469F-A165-70867728950E.DLL", true)]
        [TestCase("0f8fad5b-d9cb-469f-a165-70867728950e", false)]
        [TestCase("0f8fad5b-d9cb-469f-a165-70867728950e.tmp", false)]
        [TestCase("Infrastructure", false)]
        [TestCase("plugin.dll", false)]
        [TestCase("", false)]
        public void AdHocNamesAreRenodesTemporaryFileNames(string simpleName, bool expected)
        {
            Assert.That(PluginAssemblyResolver.IsAdHocName(simpleName), Is.EqualTo(expected));
        }

        [Test]
        public void AnAdHocNameOfAnotherProcessResolvesToThePluginOfThisOne()
        {
            var plugin = typeof(ScatterGatherDma).Assembly;
            Assert.That(PluginAssemblyResolver.Resolve($"{AdHocName}, Version=0.0.0.0, Culture=neutral, PublicKeyToken=null", plugin), Is.SameAs(plugin));
            Assert.That(PluginAssemblyResolver.Resolve(plugin.FullName, plugin), Is.SameAs(plugin));
        }

        [TestCase("Infrastructure, Version=1.16.1.0, Culture=neutral, PublicKeyToken=null")]
        [TestCase("UserPeripherals.dll, Version=0.0.0.0, Culture=neutral, PublicKeyToken=null")]
        [TestCase("not an assembly name, =,")]
        [TestCase("")]
        public void OtherNamesAreLeftToOtherResolvers(string requested)
        {
            Assert.That(PluginAssemblyResolver.Resolve(requested, typeof(ScatterGatherDma).Assembly), Is.Null);
        }

        [Test]
        public void TheMonitorCommandInstallsTheResolverSoASnapshotsTypeNamesResolve()
        {
            // What Migrant does for each type of a snapshot: Type.GetType on its assembly-qualified
            // name, here as another process would have written it.
            var foreignName = typeof(ScatterGatherDma).AssemblyQualifiedName.Replace(typeof(ScatterGatherDma).Assembly.FullName,
                $"{AdHocName}, Version=0.0.0.0, Culture=neutral, PublicKeyToken=null");
            var writer = new RecordingInteraction();

            new FrameAllocCommand(null).Run(writer);

            Assert.That(PluginAssemblyResolver.IsInstalled, Is.True);
            Assert.That(Type.GetType(foreignName), Is.SameAs(typeof(ScatterGatherDma)));
            var missing = foreignName.Replace(nameof(ScatterGatherDma), "NoSuchPeripheral");
            Assert.That(Type.GetType(missing), Is.Null, "a type the plugin lacks still fails");
            Assert.That(writer.Text, Does.Contain(typeof(ScatterGatherDma).Assembly.GetName().Name));
        }

        private sealed class RecordingInteraction : ICommandInteraction
        {
            public string Text => new string(written.ToArray());

            public System.IO.Stream GetRawInputStream() => System.IO.Stream.Null;

            public string ReadLine() => null;

            public void Write(char c, ConsoleColor? color = null) => written.Add(c);

            public void WriteError(string error) => written.AddRange(error);

            public string CommandToExecute { get; set; }

            public bool QuitEnvironment { get; set; }

            private readonly System.Collections.Generic.List<char> written = new System.Collections.Generic.List<char>();
        }
    }
}
