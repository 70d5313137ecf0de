using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace SocketIoChannels.Tests.Unit;

/// <summary>Every type a library's types use: base types, interfaces, fields, signatures, attributes, locals and
/// the members each method body calls, reads or creates (its IL).</summary>
internal static class ArchitectureScanner
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly OpCode[] OneByte = new OpCode[0x100];
    private static readonly OpCode[] TwoByte = new OpCode[0x100];

    static ArchitectureScanner()
    {
        foreach (var field in typeof(OpCodes).GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var code = (OpCode)field.GetValue(null)!;
            var value = (ushort)code.Value;
            (code.Size == 1 ? OneByte : TwoByte)[value & 0xff] = code;
        }
    }

    /// <summary>The library's own top-level types (not the compiler's helpers).</summary>
    public static IEnumerable<Type> SourceTypes(Assembly assembly) => assembly.GetTypes().Where(t =>
        !t.IsNested
        && !t.Name.StartsWith('<')
        && !t.IsDefined(typeof(CompilerGeneratedAttribute))
        && t.Namespace is { } ns
        && (ns == assembly.GetName().Name || ns.StartsWith(assembly.GetName().Name + ".", StringComparison.Ordinal)));

    /// <summary>Each (user, used, where) of every type of the assembly, nested and compiler-generated ones included
    /// (lambdas and async methods live in those).</summary>
    public static IEnumerable<(Type From, Type To, string Where)> References(Assembly assembly) =>
        assembly.GetTypes().SelectMany(type => Of(type).SelectMany(r => Flatten(r.To).Select(to => (type, to, r.Where))));

    private static IEnumerable<(Type To, string Where)> Of(Type type)
    {
        if (type.BaseType is { } baseType)
        {
            yield return (baseType, "base type");
        }

        foreach (var face in type.GetInterfaces())
        {
            yield return (face, "interfaces");
        }

        foreach (var attribute in type.CustomAttributes)
        {
            yield return (attribute.AttributeType, "attributes");
        }

        foreach (var field in type.GetFields(Declared))
        {
            yield return (field.FieldType, "field " + field.Name);
        }

        foreach (var property in type.GetProperties(Declared))
        {
            yield return (property.PropertyType, "property " + property.Name);
        }

        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            var where = method.Name + "()";
            foreach (var attribute in method.CustomAttributes)
            {
                yield return (attribute.AttributeType, where);
            }

            foreach (var parameter in method.GetParameters())
            {
                yield return (parameter.ParameterType, where);
            }

            if (method is MethodInfo info)
            {
                yield return (info.ReturnType, where);
            }

            foreach (var used in Body(type, method))
            {
                yield return (used, where + " body");
            }
        }
    }

    private static IEnumerable<Type> Body(Type type, MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null)
        {
            yield break;
        }

        foreach (var local in body.LocalVariables)
        {
            yield return local.LocalType;
        }

        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = type.IsGenericType ? type.GetGenericArguments() : null;
        var methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var code = il[at] == 0xfe ? TwoByte[il[at + 1]] : OneByte[il[at]];
            at += code.Size;
            switch (code.OperandType)
            {
                case OperandType.InlineField or OperandType.InlineMethod or OperandType.InlineType or OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                    foreach (var used in Types(member))
                    {
                        yield return used;
                    }

                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += Size(code.OperandType);
                    break;
            }
        }
    }

    private static IEnumerable<Type> Types(MemberInfo? member)
    {
        switch (member)
        {
            case Type type:
                yield return type;
                break;
            case MethodInfo { IsGenericMethod: true } generic:
                yield return generic.DeclaringType!;
                foreach (var argument in generic.GetGenericArguments())
                {
                    yield return argument;
                }

                break;
            case { DeclaringType: { } declaring }:
                yield return declaring;
                break;
        }
    }

    private static int Size(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };

    private static IEnumerable<Type> Flatten(Type type)
    {
        if (type.IsGenericParameter)
        {
            yield break;
        }

        yield return type;
        if (type.HasElementType)
        {
            foreach (var inner in Flatten(type.GetElementType()!))
            {
                yield return inner;
            }
        }

        if (type.IsGenericType)
        {
            foreach (var inner in type.GetGenericArguments().SelectMany(Flatten))
            {
                yield return inner;
            }
        }
    }
}
