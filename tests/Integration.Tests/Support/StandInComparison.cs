using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace RenodeFrameAlloc.Integration.Tests
{
    // Compares the stand-in's Renode types with a Renode build's: every stand-in type must exist
    // there with the same kind, modifiers, base type, attributes and a subset of its interfaces,
    // and every public or protected member the stand-in declares must have a member of exactly the
    // same signature there (names, parameter names and defaults, modifiers, accessors, constraints).
    // A Renode interface the plugin implements must be complete in the stand-in.
    public static class StandInComparison
    {
        // One line per difference; empty when the stand-in agrees with Renode.
        public static IReadOnlyList<string> Differences(IEnumerable<INamedTypeSymbol> standInTypes, Compilation renode, IEnumerable<INamedTypeSymbol> implementedByPlugin)
        {
            var differences = new List<string>();
            foreach(var type in standInTypes)
            {
                var name = MetadataName(type);
                var real = renode.GetTypeByMetadataName(name);
                if(real == null)
                {
                    differences.Add($"{name}: no such type in Renode");
                    continue;
                }
                CompareType(type, real, differences);
            }
            foreach(var type in implementedByPlugin.Distinct<INamedTypeSymbol>(SymbolEqualityComparer.Default))
            {
                var real = renode.GetTypeByMetadataName(MetadataName(type));
                if(real == null)
                {
                    continue;
                }
                var ours = new HashSet<string>(Members(type).Select(Signature));
                foreach(var member in Members(real).Where(m => !ours.Contains(Signature(m))))
                {
                    differences.Add($"{MetadataName(type)}: the plugin implements it, but the stand-in lacks {Signature(member)}");
                }
            }
            return differences;
        }

        // Types in the Renode and Migrant namespaces (Antmicro.*) under root.
        public static IEnumerable<INamedTypeSymbol> RenodeTypes(INamespaceSymbol root)
        {
            foreach(var member in root.GetMembers())
            {
                if(member is INamespaceSymbol ns)
                {
                    foreach(var type in RenodeTypes(ns))
                    {
                        yield return type;
                    }
                }
                else if(member is INamedTypeSymbol type && (type.ContainingNamespace.ToDisplayString().StartsWith("Antmicro.") || type.ContainingNamespace.ToDisplayString().StartsWith("AntShell.")))
                {
                    yield return type;
                }
            }
        }

        public static string MetadataName(INamedTypeSymbol type)
        {
            return type.ContainingNamespace.IsGlobalNamespace ? type.MetadataName : $"{type.ContainingNamespace.ToDisplayString()}.{type.MetadataName}";
        }

        private static void CompareType(INamedTypeSymbol ours, INamedTypeSymbol real, List<string> differences)
        {
            var name = MetadataName(ours);
            if(ours.TypeKind != real.TypeKind || ours.IsAbstract != real.IsAbstract || ours.IsSealed != real.IsSealed || ours.IsStatic != real.IsStatic
                || ours.DeclaredAccessibility != real.DeclaredAccessibility || ours.IsReadOnly != real.IsReadOnly)
            {
                differences.Add($"{name}: declared as {Describe(ours)}, Renode has {Describe(real)}");
            }
            if(ours.TypeKind == TypeKind.Class && Display(ours.BaseType) != Display(real.BaseType))
            {
                differences.Add($"{name}: base {Display(ours.BaseType)}, Renode has {Display(real.BaseType)}");
            }
            if(ours.TypeKind == TypeKind.Enum && Display(ours.EnumUnderlyingType) != Display(real.EnumUnderlyingType))
            {
                differences.Add($"{name}: underlying type {Display(ours.EnumUnderlyingType)}, Renode has {Display(real.EnumUnderlyingType)}");
            }
            var realInterfaces = new HashSet<string>(real.Interfaces.Select(Display));
            foreach(var extra in ours.Interfaces.Select(Display).Where(i => !realInterfaces.Contains(i)))
            {
                differences.Add($"{name}: implements {extra}, Renode's does not");
            }
            var realTypeParameters = string.Join(", ", real.TypeParameters.Select(TypeParameter));
            if(string.Join(", ", ours.TypeParameters.Select(TypeParameter)) != realTypeParameters)
            {
                differences.Add($"{name}: type parameters differ from Renode's <{realTypeParameters}>");
            }
            var realAttributes = new HashSet<string>(real.GetAttributes().Select(Attribute));
            foreach(var extra in ours.GetAttributes().Select(Attribute).Where(a => !realAttributes.Contains(a)))
            {
                differences.Add($"{name}: [{extra}] is not on Renode's");
            }
            var realMembers = new HashSet<string>(Members(real).Select(Signature));
            foreach(var member in Members(ours))
            {
                var signature = Signature(member);
                if(!realMembers.Contains(signature))
                {
                    var candidates = Members(real).Where(m => m.Name == member.Name).Select(Signature).ToList();
                    differences.Add($"{name}: {signature} is not in Renode" + (candidates.Count > 0 ? $" (Renode: {string.Join(" | ", candidates)})" : string.Empty));
                }
            }
        }

        // The members a user of the type sees: public or protected, declared in source (no
        // accessors, which their property or event carries, no static constructors).
        private static IEnumerable<ISymbol> Members(INamedTypeSymbol type)
        {
            return type.GetMembers().Where(m => !m.IsImplicitlyDeclared
                && (m.DeclaredAccessibility == Accessibility.Public || m.DeclaredAccessibility == Accessibility.Protected
                    || m.DeclaredAccessibility == Accessibility.ProtectedOrInternal)
                && !(m is IMethodSymbol method && (method.MethodKind == MethodKind.PropertyGet || method.MethodKind == MethodKind.PropertySet
                    || method.MethodKind == MethodKind.EventAdd || method.MethodKind == MethodKind.EventRemove || method.MethodKind == MethodKind.StaticConstructor)));
        }

        private static string Signature(ISymbol member)
        {
            var signature = member.ToDisplayString(SignatureFormat);
            var attributes = string.Join(", ", member.GetAttributes().Select(Attribute).OrderBy(a => a));
            switch(member)
            {
            case IPropertySymbol property:
                // The compiler marks a struct's auto-property getter readonly in metadata.
                signature = signature.Replace(" readonly ", " ");
                return $"{signature} {{ {Accessor("get", property.GetMethod, property)} {Accessor("set", property.SetMethod, property)} }} [{attributes}]";
            case IFieldSymbol field:
                return $"{(field.IsReadOnly ? "readonly " : string.Empty)}{(field.IsConst ? "const " : string.Empty)}{signature} [{attributes}]";
            case IMethodSymbol method:
                var constraints = string.Join(", ", method.TypeParameters.Select(TypeParameter));
                return $"{signature} <{constraints}> [{attributes}]";
            default:
                return $"{signature} [{attributes}]";
            }
        }

        private static string Accessor(string kind, IMethodSymbol accessor, IPropertySymbol property)
        {
            if(accessor == null)
            {
                return "-";
            }
            return accessor.DeclaredAccessibility == property.DeclaredAccessibility ? kind : $"{accessor.DeclaredAccessibility} {kind}";
        }

        private static string TypeParameter(ITypeParameterSymbol parameter)
        {
            var constraints = new List<string>();
            if(parameter.HasReferenceTypeConstraint)
            {
                constraints.Add("class");
            }
            if(parameter.HasValueTypeConstraint)
            {
                constraints.Add("struct");
            }
            if(parameter.HasUnmanagedTypeConstraint)
            {
                constraints.Add("unmanaged");
            }
            constraints.AddRange(parameter.ConstraintTypes.Select(Display));
            if(parameter.HasConstructorConstraint)
            {
                constraints.Add("new()");
            }
            return $"{parameter.Variance} {parameter.Name}: {string.Join(" ", constraints)}";
        }

        private static string Attribute(AttributeData attribute)
        {
            var arguments = attribute.ConstructorArguments.Select(a => a.ToCSharpString())
                .Concat(attribute.NamedArguments.Select(a => $"{a.Key} = {a.Value.ToCSharpString()}"));
            return $"{Display(attribute.AttributeClass)}({string.Join(", ", arguments)})";
        }

        private static string Describe(INamedTypeSymbol type)
        {
            return $"{type.DeclaredAccessibility} {(type.IsStatic ? "static " : string.Empty)}{(type.IsAbstract && type.TypeKind == TypeKind.Class ? "abstract " : string.Empty)}"
                + $"{(type.IsSealed && type.TypeKind == TypeKind.Class ? "sealed " : string.Empty)}{(type.IsReadOnly ? "readonly " : string.Empty)}{type.TypeKind}";
        }

        private static string Display(ITypeSymbol type)
        {
            return type?.ToDisplayString(TypeFormat) ?? "-";
        }

        private static readonly SymbolDisplayFormat TypeFormat = new SymbolDisplayFormat(
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters | SymbolDisplayGenericsOptions.IncludeVariance,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.ExpandNullable);

        private static readonly SymbolDisplayFormat SignatureFormat = new SymbolDisplayFormat(
            typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
            genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters | SymbolDisplayGenericsOptions.IncludeVariance,
            memberOptions: SymbolDisplayMemberOptions.IncludeAccessibility | SymbolDisplayMemberOptions.IncludeModifiers
                | SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeRef
                | SymbolDisplayMemberOptions.IncludeExplicitInterface | SymbolDisplayMemberOptions.IncludeConstantValue,
            parameterOptions: SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName
                | SymbolDisplayParameterOptions.IncludeDefaultValue | SymbolDisplayParameterOptions.IncludeParamsRefOut
                | SymbolDisplayParameterOptions.IncludeExtensionThis | SymbolDisplayParameterOptions.IncludeOptionalBrackets,
            propertyStyle: SymbolDisplayPropertyStyle.NameOnly,
            miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.ExpandNullable);
    }
}
