using System.Reflection;
using Microsoft.AspNetCore.Authorization;

namespace SocketIoChannels.Events;

/// <summary>Reads <c>[Authorize]</c> and <c>[AllowAnonymous]</c> from a handler method and its class.</summary>
internal static class HandlerAuthorization
{
    /// <summary>The authorization data that applies to <paramref name="method"/>, or <see langword="null"/> when
    /// anyone may run it: the method's and its class's <c>[Authorize]</c>, unless the method (or, without an
    /// <c>[Authorize]</c> on the method, the class) has <c>[AllowAnonymous]</c>.</summary>
    public static IAuthorizeData[]? For(MethodInfo method)
    {
        var onMethod = method.GetCustomAttributes(inherit: true);
        if (onMethod.OfType<IAllowAnonymous>().Any())
        {
            return null;
        }

        var onClass = method.DeclaringType?.GetCustomAttributes(inherit: true) ?? [];
        var data = onClass.OfType<IAuthorizeData>().Concat(onMethod.OfType<IAuthorizeData>()).ToArray();
        if (data.Length == 0 || (onClass.OfType<IAllowAnonymous>().Any() && !onMethod.OfType<IAuthorizeData>().Any()))
        {
            return null;
        }

        return data;
    }
}
