using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace SocketIoChannels.Hosting;

/// <summary>Puts the WebSockets middleware at the start of the pipeline, so both <c>UseSocketIoChannels</c> and
/// <c>MapSocketIoChannels</c> can accept upgrades without the app remembering <c>UseWebSockets()</c>.</summary>
internal sealed class WebSocketsStartupFilter : IStartupFilter
{
    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.UseWebSockets();
        next(app);
    };
}
