using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.Playwright;
using Newtonsoft.Json.Linq;

namespace SocketIoChannels.BrowserTests.Infrastructure;

/// <summary>
/// One test's page in its own browser context. Records what the browser saw (console, page errors, HTTP
/// responses and failures, WebSocket frames) and adds it, with the server's log lines of the same time, to the
/// message of any failure raised inside <see cref="RunAsync"/>.
/// </summary>
public sealed class BrowserPage : IAsyncDisposable
{
    private const int MaxEventLines = 400;
    private readonly IBrowserContext context;
    private readonly KestrelTestServer server;
    private readonly long serverLogMark;
    private readonly ConcurrentQueue<string> browserEvents = new();
    private readonly Stopwatch clock = Stopwatch.StartNew();

    static BrowserPage()
    {
        // Expect(...) retries until this limit (Playwright's default is 5 s, too short on 2 loaded CI cores).
        Assertions.SetDefaultExpectTimeout(15_000);
    }

    private BrowserPage(IBrowserContext context, IPage page, KestrelTestServer server)
    {
        this.context = context;
        Page = page;
        this.server = server;
        serverLogMark = server.Logs.Mark;
        page.Console += (_, m) => Record($"console.{m.Type}: {m.Text}");
        page.PageError += (_, e) => Record($"page error: {e}");
        page.RequestFailed += (_, r) => Record($"request failed: {r.Method} {r.Url}: {r.Failure}");
        page.Response += (_, r) =>
        {
            var post = r.Request.Method == "POST" ? $" body={Shorten(r.Request.PostData)}" : "";
            Record($"{r.Request.Method} {r.Url} -> {r.Status}{post}");
        };
        page.WebSocket += (_, ws) =>
        {
            Record($"websocket opened: {ws.Url}");
            ws.FrameSent += (_, f) => Record($"ws sent: {Shorten(f.Text)}");
            ws.FrameReceived += (_, f) => Record($"ws received: {Shorten(f.Text)}");
            ws.SocketError += (_, e) => Record($"ws error: {e}");
            ws.Close += (_, _) => Record("websocket closed");
        };
    }

    public IPage Page { get; }

    public static async Task<BrowserPage> CreateAsync(IBrowser browser, KestrelTestServer server)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString() }).WithTimeout();
        context.SetDefaultTimeout(15_000);
        context.SetDefaultNavigationTimeout(15_000);
        var page = await context.NewPageAsync().WithTimeout();
        return new BrowserPage(context, page, server);
    }

    public async Task GotoAsync(string path)
    {
        var response = await Page.GotoAsync(path, new PageGotoOptions { WaitUntil = WaitUntilState.Load, Timeout = 15_000 }).WithTimeout();
        if (response is null || response.Status != 200)
        {
            throw new InvalidOperationException($"GET {path} answered {response?.Status.ToString() ?? "nothing"}.");
        }
    }

    public Task<T> EvaluateAsync<T>(string expression, object? arg = null) =>
        Page.EvaluateAsync<T>(expression, arg).WithTimeout(TimeSpan.FromSeconds(15), $"evaluate {expression}");

    /// <summary>Evaluates an expression whose value is serialised with JSON.stringify in the page.</summary>
    public async Task<JToken> EvaluateJsonAsync(string expression, object? arg = null)
    {
        var json = await EvaluateAsync<string>($"(arg) => JSON.stringify(({expression})(arg))", arg);
        return JToken.Parse(json ?? "null");
    }

    /// <summary>Waits until a JavaScript predicate (a function of <paramref name="arg"/>) is truthy.</summary>
    public async Task WaitForAsync(string predicate, string what, object? arg = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        try
        {
            await Page.WaitForFunctionAsync(predicate, arg,
                    new PageWaitForFunctionOptions { Timeout = (float)limit.TotalMilliseconds, PollingInterval = 25 })
                .WithTimeout(limit + TimeSpan.FromSeconds(5), what);
        }
        catch (Exception e) when (e is TimeoutException or PlaywrightException)
        {
            throw new TimeoutException($"Timed out after {limit.TotalSeconds:0.#} s waiting for {what}.", e);
        }
    }

    /// <summary>Runs a test body; a failure gets what the browser and the server did attached to its message.</summary>
    public async Task RunAsync(Func<Task> body)
    {
        try
        {
            await body();
        }
        catch (Exception e)
        {
            throw new BrowserTestFailedException(e.Message + Environment.NewLine + await DiagnosticsAsync(), e);
        }
    }

    public async Task<string> DiagnosticsAsync()
    {
        var text = new StringBuilder();
        text.AppendLine($"---- page state (window.h) at {clock.Elapsed.TotalSeconds:0.000} s ----");
        try
        {
            var state = await Page.EvaluateAsync<string>(
                    "() => { try { return JSON.stringify({ h: window.h, connected: window.socket && window.socket.connected, " +
                    "transport: window.socket && window.socket.transport && { type: window.socket.transport.type, sessionid: window.socket.transport.sessionid } }); } " +
                    "catch (e) { return 'unavailable: ' + e; } }")
                .WaitAsync(TimeSpan.FromSeconds(3));
            text.AppendLine(state);
        }
        catch (Exception e)
        {
            text.AppendLine("unavailable: " + e.Message);
        }

        text.AppendLine("---- what the browser saw (seconds since the page was opened) ----");
        foreach (var line in browserEvents)
        {
            text.AppendLine(line);
        }

        text.AppendLine("---- server log during this test (seconds since the server started) ----");
        foreach (var line in server.Logs.LinesSince(serverLogMark))
        {
            text.AppendLine(line);
        }

        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await context.CloseAsync().WithTimeout(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // The browser is shared and closed by the fixture; a stuck context must not hang the run.
        }
    }

    private void Record(string line)
    {
        if (browserEvents.Count < MaxEventLines)
        {
            browserEvents.Enqueue($"{clock.Elapsed.TotalSeconds,8:0.000} {line}");
        }
    }

    private static string Shorten(string? text) =>
        text is null ? "(none)" : text.Length <= 300 ? text : text[..300] + $"... ({text.Length} chars)";
}

public sealed class BrowserTestFailedException(string message, Exception inner) : Exception(message, inner);
