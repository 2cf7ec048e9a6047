using System;
using System.Linq;
using System.Reflection;
using Antmicro.Migrant;
using Antmicro.Migrant.Hooks;

namespace RenodeFrameAlloc.Peripherals.Tests.Snapshots
{
    // What Migrant does to a peripheral on a snapshot load, as far as the adapters' snapshot policy
    // is concerned: [Transient] fields come back as defaults, then the [LatePostDeserialization]
    // hook runs.
    public static class SimulatedSnapshotLoad
    {
        public static void Apply(object peripheral)
        {
            foreach(var field in TransientFields(peripheral.GetType()))
            {
                field.SetValue(peripheral, field.FieldType.IsValueType ? Activator.CreateInstance(field.FieldType) : null);
            }
            LateHook(peripheral.GetType()).Invoke(peripheral, null);
        }

        public static FieldInfo[] TransientFields(Type type)
        {
            return InstanceFields(type).Where(f => f.GetCustomAttribute<TransientAttribute>() != null).ToArray();
        }

        public static FieldInfo[] InstanceFields(Type type)
        {
            return type.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
        }

        public static MethodInfo LateHook(Type type)
        {
            return Methods(type).Single(m => m.GetCustomAttribute<LatePostDeserializationAttribute>() != null);
        }

        public static MethodInfo[] EarlyHooks(Type type)
        {
            return Methods(type).Where(m => m.GetCustomAttribute<PostDeserializationAttribute>() != null).ToArray();
        }

        private static MethodInfo[] Methods(Type type)
        {
            return type.GetMethods(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public);
        }
    }
}
