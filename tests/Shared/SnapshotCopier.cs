using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;

namespace RenodeFrameAlloc.Tests
{
    // A stand-in for a Renode snapshot save/load: Antmicro.Migrant writes an object graph field by
    // field through reflection (every instance field, private ones too, arrays, nested objects,
    // collections as plain objects, shared references kept shared) and skips fields marked
    // [Transient]. Copying the graph the same way shows whether all of an object's state is in
    // capturable fields. What Migrant could not carry over fails loudly: delegates, pointers,
    // native handles, threads and tasks, reflection objects, and mutable static fields (statics
    // are not part of a snapshot). Static readonly arrays are lookup tables; the copier remembers
    // their contents so a test can check that nothing wrote to them.
    public sealed class SnapshotCopier
    {
        public SnapshotCopier()
        {
            copies = new Dictionary<object, object>(ReferenceEqualityComparer.Instance);
            checkedTypes = new HashSet<Type>();
            staticTables = new List<(FieldInfo Field, Array Contents)>();
        }

        public T Copy<T>(T root)
        {
            copies.Clear();
            return (T)CopyValue(root, typeof(T).Name);
        }

        // Throws when a static readonly array seen during a copy no longer holds what it held then.
        public void VerifyStaticTablesUnchanged()
        {
            foreach(var (field, contents) in staticTables)
            {
                var now = (Array)field.GetValue(null);
                if(now.Length != contents.Length || !now.Cast<object>().SequenceEqual(contents.Cast<object>()))
                {
                    throw new InvalidOperationException($"static table {field.DeclaringType.Name}.{field.Name} was modified: a snapshot would not carry that over");
                }
            }
        }

        private object CopyValue(object value, string path)
        {
            if(value == null)
            {
                return null;
            }
            var type = value.GetType();
            if(type == typeof(IntPtr) || type == typeof(UIntPtr) || value is Pointer)
            {
                throw Refuse(path, type, "a native pointer or handle");
            }
            if(type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal))
            {
                return value;
            }
            if(value is Delegate)
            {
                throw Refuse(path, type, "a delegate (mark the field [Transient] and rebuild it after load)");
            }
            if(value is Thread || value is Task || value is WaitHandle || value is CancellationTokenSource || value is Timer)
            {
                throw Refuse(path, type, "a thread, task or wait handle");
            }
            if(value is MemberInfo || value is Assembly || value is Module)
            {
                throw Refuse(path, type, "a reflection object");
            }
            if(!type.IsValueType && copies.TryGetValue(value, out var existing))
            {
                return existing;
            }
            if(type.IsArray)
            {
                return CopyArray((Array)value, type, path);
            }
            CheckStatics(type, path);
            var clone = RuntimeHelpers.GetUninitializedObject(type);
            if(!type.IsValueType)
            {
                copies[value] = clone;
            }
            for(var t = type; t != null && t != typeof(object); t = t.BaseType)
            {
                foreach(var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if(field.FieldType.IsPointer || field.FieldType.IsFunctionPointer)
                    {
                        throw Refuse($"{path}.{field.Name}", field.FieldType, "a pointer field");
                    }
                    if(IsTransient(field))
                    {
                        continue;
                    }
                    field.SetValue(clone, CopyValue(field.GetValue(value), $"{path}.{field.Name}"));
                }
            }
            return clone;
        }

        private Array CopyArray(Array array, Type type, string path)
        {
            var lengths = Enumerable.Range(0, array.Rank).Select(array.GetLength).ToArray();
            var element = type.GetElementType();
            if(element.IsPointer || element.IsFunctionPointer)
            {
                throw Refuse(path, type, "an array of pointers");
            }
            var copy = Array.CreateInstance(element, lengths);
            copies[array] = copy;
            if(element.IsPrimitive || element.IsEnum)
            {
                if(element == typeof(IntPtr) || element == typeof(UIntPtr))
                {
                    throw Refuse(path, type, "an array of native pointers");
                }
                Array.Copy(array, copy, array.Length);
                return copy;
            }
            var index = new int[array.Rank];
            for(var i = 0; i < array.Length; i++)
            {
                var rest = i;
                for(var d = array.Rank - 1; d >= 0; d--)
                {
                    index[d] = rest % lengths[d];
                    rest /= lengths[d];
                }
                copy.SetValue(CopyValue(array.GetValue(index), $"{path}[{string.Join(",", index)}]"), index);
            }
            return copy;
        }

        private void CheckStatics(Type type, string path)
        {
            if(!checkedTypes.Add(type) || IsFrameworkType(type))
            {
                return;
            }
            for(var t = type; t != null && t != typeof(object); t = t.BaseType)
            {
                foreach(var field in t.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
                {
                    if(field.IsLiteral)
                    {
                        continue;
                    }
                    if(!field.IsInitOnly)
                    {
                        throw Refuse($"{path} ({t.Name}.{field.Name})", field.FieldType, "a mutable static field, which no snapshot captures");
                    }
                    if(field.GetValue(null) is Array table)
                    {
                        staticTables.Add((field, (Array)table.Clone()));
                    }
                }
            }
        }

        private static bool IsFrameworkType(Type type)
        {
            var name = type.Assembly.GetName().Name;
            return name == "System.Private.CoreLib" || name.StartsWith("System.", StringComparison.Ordinal);
        }

        // Matches Antmicro.Migrant's [Transient] (and any attribute of that name) on a field or its type.
        private static bool IsTransient(FieldInfo field)
        {
            return field.GetCustomAttributes(false).Any(a => a.GetType().Name == "TransientAttribute")
                || field.FieldType.GetCustomAttributes(false).Any(a => a.GetType().Name == "TransientAttribute");
        }

        private static InvalidOperationException Refuse(string path, Type type, string what)
        {
            return new InvalidOperationException($"cannot snapshot {path}: {type.Name} is {what}");
        }

        private readonly Dictionary<object, object> copies;
        private readonly HashSet<Type> checkedTypes;
        private readonly List<(FieldInfo Field, Array Contents)> staticTables;
    }
}
