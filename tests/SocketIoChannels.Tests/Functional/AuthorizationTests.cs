using System.Net;
using System.Net.WebSockets;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Newtonsoft.Json.Linq;
using SocketIoChannels.Tests.Infrastructure;

namespace SocketIoChannels.Tests.Functional;

/// <summary>
/// Who may connect and what they may do: <c>MapSocketIoChannels().RequireAuthorization(policy)</c> on every
/// transport and every request of a session, <c>[Authorize]</c> on handlers, and private channels (an
/// <c>[Authorize]</c> OnSubscribe handler refuses the subscription). Real cookie authentication.
/// </summary>
public sealed class AuthorizationTests : IAsyncLifetime
{
    private TestApp app = null!;

    public async Task InitializeAsync()
    {
        app = await TestApp.StartAsync(
            h => h.AddEventHandler<SecuredHandlers>(),
            services: services =>
            {
                services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
                {
                    // An API answers 401/403 instead of redirecting to a login page.
                    o.Events.OnRedirectToLogin = c => { c.Response.StatusCode = StatusCodes.Status401Unauthorized; return Task.CompletedTask; };
                    o.Events.OnRedirectToAccessDenied = c => { c.Response.StatusCode = StatusCodes.Status403Forbidden; return Task.CompletedTask; };
                });
                services.AddAuthorizationBuilder()
                    .AddPolicy("members", p => p.RequireRole("member", "admin"))
                    .AddPolicy("admins", p => p.RequireRole("admin"));
            },
            useMiddleware: false,
            configureApp: web =>
            {
                web.UseAuthentication();
                web.UseAuthorization();
                web.MapGet("/login", (string name, string role, HttpContext context) => context.SignInAsync(new ClaimsPrincipal(new ClaimsIdentity(
                    [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, role)], CookieAuthenticationDefaults.AuthenticationScheme))));
                web.MapSocketIoChannels().RequireAuthorization("members");
            });
    }

    public async Task DisposeAsync() => await app.DisposeAsync();

    private async Task<CookieContainer> SignInAsync(string name, string role)
    {
        var cookies = new CookieContainer();
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = app.Address };
        (await http.GetAsync($"/login?name={name}&role={role}").DefaultTimeout()).EnsureSuccessStatusCode();
        return cookies;
    }

    private async Task<SocketIoTestClient> ConnectAsync(string transport, CookieContainer cookies)
    {
        SocketIoTestClient client;
        if (transport == "websocket")
        {
            var socket = new WebSocketTestClient(app.Address);
            socket.Options.Cookies = cookies;
            client = socket;
        }
        else
        {
            client = new PollingTestClient(app.Address, transport == "jsonp-polling", cookies);
        }

        await client.ConnectAsync().DefaultTimeout();
        return client;
    }

    private async Task<HttpStatusCode> HandshakeStatusAsync(string transport, CookieContainer? cookies)
    {
        if (transport == "websocket")
        {
            var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            socket.Options.Cookies = cookies;
            var uri = new UriBuilder(app.Address) { Scheme = "ws", Path = "/socket.io/websocket" }.Uri;
            await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, CancellationToken.None).WaitAsync(TaskTimeouts.Default));
            return socket.HttpStatusCode;
        }

        using var http = new HttpClient(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer() }) { BaseAddress = app.Address };
        var path = transport == "jsonp-polling" ? "/socket.io/jsonp-polling//1/0" : "/socket.io/xhr-polling//1";
        return (await http.GetAsync(path).DefaultTimeout()).StatusCode;
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("xhr-polling")]
    [InlineData("jsonp-polling")]
    public async Task RequireAuthorizationRefusesAnonymousWith401AndOthersWith403OnEveryTransport(string transport)
    {
        Assert.Equal(HttpStatusCode.Unauthorized, await HandshakeStatusAsync(transport, null));
        Assert.Equal(HttpStatusCode.Forbidden, await HandshakeStatusAsync(transport, await SignInAsync("eve", "guest")));
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("xhr-polling")]
    [InlineData("jsonp-polling")]
    public async Task AMemberConnectsOnEveryTransport(string transport)
    {
        await using var client = await ConnectAsync(transport, await SignInAsync("bob", "member"));

        await client.SendAsync("hi");

        Assert.Equal("everyone: hi from bob", await client.ReceiveTextAsync());
        await client.AssertNothingReceivedAsync(TimeSpan.FromMilliseconds(200)); // the admin-only handler did not run
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PollingRequestsAfterTheHandshakeAreAuthorizedToo(bool jsonp)
    {
        await using var member = (PollingTestClient)await ConnectAsync(jsonp ? "jsonp-polling" : "xhr-polling", await SignInAsync("bob", "member"));
        using var anonymous = new HttpClient { BaseAddress = app.Address };
        var path = jsonp ? $"/socket.io/jsonp-polling/{member.SessionId}/1/0" : $"/socket.io/xhr-polling/{member.SessionId}/send";

        using var post = await anonymous.PostAsync(path, new StringContent("data=" + Uri.EscapeDataString("~m~6~m~forged"))).DefaultTimeout();
        using var poll = await anonymous.GetAsync(jsonp ? $"/socket.io/jsonp-polling/{member.SessionId}/2/0" : $"/socket.io/xhr-polling/{member.SessionId}/2").DefaultTimeout();

        Assert.Equal(HttpStatusCode.Unauthorized, post.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, poll.StatusCode);
        await member.SendAsync("genuine");
        Assert.Equal("everyone: genuine from bob", await member.ReceiveTextAsync());
    }

    [Fact]
    public async Task AuthorizeOnAHandlerRunsItOnlyForAuthorizedUsers()
    {
        await using var admin = await ConnectAsync("websocket", await SignInAsync("ada", "admin"));

        await admin.SendAsync("hi");

        Assert.Equal(["admin: hi", "everyone: hi from ada"], new[] { await admin.ReceiveTextAsync(), await admin.ReceiveTextAsync() }.Order());
    }

    [Theory]
    [InlineData("websocket")]
    [InlineData("xhr-polling")]
    public async Task APrivateChannelRefusesSubscribersThePolicyRefusesAndTheyNeverGetItsBroadcasts(string transport)
    {
        await using var admin = await ConnectAsync(transport, await SignInAsync("ada", "admin"));
        await using var member = await ConnectAsync(transport, await SignInAsync("bob", "member"));
        await admin.SubscribeAsync("private-board");
        await member.SubscribeAsync("private-board");
        await member.SubscribeAsync("public-lobby");
        Assert.Equal("joined private-board", await admin.ReceiveTextAsync());
        Assert.Equal("joined public-lobby", await member.ReceiveTextAsync()); // the private one sent nothing

        Assert.Equal(1, app.Broadcaster.BroadcastChannel("board news", "private-board"));
        await member.SendAsync("channels?");

        Assert.Equal("board news", await admin.ReceiveTextAsync());
        Assert.Equal("channels: public-lobby", await member.ReceiveTextAsync());
        await member.AssertNothingReceivedAsync(TimeSpan.FromMilliseconds(300));
        Assert.Contains(app.Logs.Entries, e => e.EventId.Id == 230 && e.Message.Contains("private-board", StringComparison.Ordinal));
    }
}

/// <summary>Handlers of the authorization tests.</summary>
public sealed class SecuredHandlers
{
    [OnMessage]
    public static void Everyone(ISocket socket, SocketIoRequest request, JToken message)
    {
        if ((string?)message == "channels?")
        {
            socket.Send("channels: " + string.Join(",", socket.Channels));
            return;
        }

        socket.Send($"everyone: {message} from {request.User.Identity?.Name}");
    }

    [OnMessage]
    [Authorize(Roles = "admin")]
    public static void AdminsOnly(ISocket socket, JToken message) => socket.Send($"admin: {message}");

    [OnSubscribe(channel: "^private-")]
    [Authorize(Policy = "admins")]
    public static void JoinedPrivate(ISocket socket, string channel) => socket.Send("joined " + channel);

    [OnSubscribe(channel: "^public-")]
    public static void JoinedPublic(ISocket socket, string channel) => socket.Send("joined " + channel);
}

public sealed class AuthorizeWithoutAuthorizationServicesTests
{
    [Fact]
    public async Task AuthorizeOnAHandlerWithoutAddAuthorizationFailsTheStartupNamingIt()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(h => h.AddEventHandler<SecuredHandlers>()));

        Assert.Contains("SecuredHandlers.AdminsOnly has [Authorize]", error.Message, StringComparison.Ordinal);
        Assert.Contains("AddAuthorization()", error.Message, StringComparison.Ordinal);
    }
}

public sealed class UnknownPolicyHandlers
{
    [OnMessage]
    [Authorize(Policy = "no-such-policy")]
    public static void Guarded(ISocket socket) => socket.Send("guarded");
}

public sealed class AuthorizeWithAnUnknownPolicyTests
{
    [Fact]
    public async Task AnUnknownPolicyFailsTheStartupNamingTheHandler()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => TestApp.StartAsync(
            h => h.AddEventHandler<UnknownPolicyHandlers>(), services: s => s.AddAuthorization()));

        Assert.Contains("UnknownPolicyHandlers.Guarded", error.Message, StringComparison.Ordinal);
        Assert.Contains("no-such-policy", error.Message, StringComparison.Ordinal);
    }
}
