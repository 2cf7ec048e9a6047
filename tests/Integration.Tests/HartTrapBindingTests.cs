using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;

namespace RenodeFrameAlloc.Integration.Tests
{
    // HartSoftwareTlb binds TranslationCPU.RaiseException(uint) by reflection (it is on no
    // interface), which neither the stand-in nor the fidelity check sees. Where a Renode build is
    // at hand, this checks the method and that the RISC-V harts have the external MMU.
    [TestFixture]
    public class HartTrapBindingTests
    {
        [Test]
        public void RenodesHartsHaveThePublicRaiseExceptionTheHartTlbBinds()
        {
            if(!RenodeBuild.TryLocate(out var renode, out var where))
            {
                Assert.Ignore($"No Renode build at hand ({where}): the binding was not checked.");
            }
            var real = CSharpCompilation.Create("renode", references: renode.References(out _),
                options: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, assemblyIdentityComparer: DesktopAssemblyIdentityComparer.Default));
            var cpu = real.GetTypeByMetadataName("Antmicro.Renode.Peripherals.CPU.TranslationCPU");
            Assert.That(cpu, Is.Not.Null);
            var raise = cpu.GetMembers(Antmicro.Renode.Peripherals.Miscellaneous.HartSoftwareTlb.RaiseExceptionMethod).OfType<IMethodSymbol>()
                .SingleOrDefault(m => m.Parameters.Length == 1 && m.Parameters[0].Type.SpecialType == SpecialType.System_UInt32);
            Assert.That(raise, Is.Not.Null, "TranslationCPU.RaiseException(uint)");
            Assert.That(raise.DeclaredAccessibility, Is.EqualTo(Accessibility.Public));
            Assert.That(raise.ReturnsVoid && !raise.IsStatic, Is.True);
            var riscV = real.GetTypeByMetadataName("Antmicro.Renode.Peripherals.CPU.RiscV64");
            Assert.That(riscV, Is.Not.Null);
            Assert.That(riscV.AllInterfaces.Select(i => i.ToDisplayString()), Does.Contain("Antmicro.Renode.Peripherals.CPU.ICPUWithExternalMmu"));
        }
    }
}
