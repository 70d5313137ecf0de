using Chat.Data;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using SocketIoChannels;

namespace Chat;

/// <summary>Builds the chat demo: rooms at <c>/</c>, a room at <c>/{slug}</c>, system messages at
/// <c>/system_message</c>. Program.cs runs it; tests build it with their own arguments and database.</summary>
public static class ChatApp
{
    /// <summary>The configuration key of the SQLite file, relative to the content root (default <c>chat.db</c>).</summary>
    public const string DatabaseKey = "Chat:Database";

    /// <summary>The configuration key of the Redis backplane (<c>--SocketIo:Redis=localhost:6379</c>): set it to run
    /// several instances of the chat, each with the same value and the same database.</summary>
    public const string RedisKey = "SocketIo:Redis";

    /// <summary>
    /// Builds the app from the program's arguments: an optional address as django's runserver_socketio
    /// (<c>8000</c>, <c>0.0.0.0:8000</c>, <c>[::1]:8000</c>; default 127.0.0.1:9000) and any configuration
    /// (<c>--Chat:Database=/tmp/chat.db</c>). Creates the database when it is missing and empties the user table
    /// (no session of an earlier run is alive).
    /// </summary>
    /// <param name="args">The program's arguments.</param>
    /// <param name="configure">Runs after the app's own services were added (tests replace logging here).</param>
    /// <exception cref="FormatException">The address is not valid.</exception>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(ChatApp).Assembly.GetName().Name, // its Razor Pages, also when a test hosts it
        });
        builder.UseSocketIoAddress(args); // runserver_socketio [addrport]

        // The socket server: the handlers of this assembly (ChatHandlers).
        var socketIo = builder.Services.AddSocketIoChannels().AddEventHandlersFrom(typeof(ChatApp).Assembly);

        // Several instances, one chat: --SocketIo:Redis=localhost:6379 on each (and one --Chat:Database for all).
        var redis = builder.Configuration[RedisKey];
        if (!string.IsNullOrWhiteSpace(redis))
        {
            socketIo.AddStackExchangeRedis(redis, options => options.ChannelPrefix = "chat:");
        }

        var database = Path.GetFullPath(builder.Configuration[DatabaseKey] ?? "chat.db", builder.Environment.ContentRootPath);
        builder.Services.AddDbContext<ChatDbContext>(options => options.UseSqlite($"Data Source={database}"));
        builder.Services.AddRazorPages();
        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(options =>
        {
            options.LoginPath = "/admin/signin";
            options.LogoutPath = "/admin/signout";
            options.Cookie.Name = "chat.admin";
            options.Cookie.SameSite = SameSiteMode.Strict;
        });
        builder.Services.AddAuthorization();
        builder.Services.AddOptions<ChatAdminOptions>().BindConfiguration(ChatAdminOptions.SectionName).PostConfigure(options =>
        {
            if (builder.Environment.IsDevelopment() && !options.IsConfigured)
            {
                options.User ??= ChatAdminOptions.DevelopmentDefault;
                options.Password ??= ChatAdminOptions.DevelopmentDefault;
            }
        });
        configure?.Invoke(builder);

        var app = builder.Build();
        using (var scope = app.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<ChatDbContext>();
            db.Database.EnsureCreated();
            // Left over from a run that was killed before its sessions ended (a clean stop removes them itself).
            // Not with Redis: the other instances sharing chat.db have live users.
            if (string.IsNullOrWhiteSpace(redis))
            {
                db.Users.ExecuteDelete();
            }
        }

        var admin = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ChatAdminOptions>>().Value;
        if (app.Environment.IsDevelopment() && admin.IsConfigured)
        {
            app.Lifetime.ApplicationStarted.Register(() => Console.WriteLine(
                $"Development sign-in for /system_message: user \"{admin.User}\", password \"{admin.Password}\" (set Chat:Admin:User and Chat:Admin:Password to change them)."));
        }

        app.UseSocketIoChannels(); // /socket.io/socket.io.js and the transports
        app.UseStaticFiles();
        app.UseStatusCodePages();
        app.UseRouting(); // after the static files: /chat.css must not be taken for the room page /{slug}
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapRazorPages();
        return app;
    }
}
