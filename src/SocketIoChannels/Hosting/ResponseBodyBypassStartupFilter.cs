using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using SocketIoChannels.Transports;

namespace SocketIoChannels.Hosting;

/// <summary>Puts a middleware at the very start of the pipeline that remembers the server's response body for
/// requests under <c>/{Resource}/</c>, so the HTTP transports can write past compression or buffering middleware
/// that an app adds later (<see cref="ResponseBodyBypass"/>).</summary>
internal sealed class ResponseBodyBypassStartupFilter : IStartupFilter
{
    private readonly PathString resource;

    public ResponseBodyBypassStartupFilter(IOptions<SocketIoOptions> options)
    {
        resource = "/" + options.Value.Resource.Trim('/');
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use((context, nextMiddleware) =>
        {
            if (context.Request.Path.StartsWithSegments(resource))
            {
                ResponseBodyBypass.Remember(context);
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
