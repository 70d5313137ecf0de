using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Options;

namespace SocketIoChannels;

/// <summary>
/// Renders <c>&lt;socketio /&gt;</c> as the <c>&lt;script&gt;</c> element that loads the library's browser client
/// from <c>{PathBase}/{Resource}/socket.io.js</c>. Enable it with <c>@addTagHelper *, SocketIoChannels</c>. For a
/// socket server on another origin, set <c>host</c> and/or <c>port</c> (and <c>secure</c>):
/// <c>&lt;socketio host="io.example.com" port="9000" /&gt;</c>. The HTML is the one of
/// <see cref="SocketIoHtml.ScriptTag(Microsoft.AspNetCore.Http.HttpContext, string?, int?, bool?)"/>.
/// </summary>
/// <remarks>django-socketio: {% socketio %} template tag</remarks>
[HtmlTargetElement("socketio", TagStructure = TagStructure.WithoutEndTag)]
public sealed class SocketIoScriptTagHelper : TagHelper
{
    private readonly IOptions<SocketIoOptions> options;

    /// <summary>Creates the tag helper; Razor does this, with the options from dependency injection.</summary>
    /// <param name="options">The server options; <see cref="SocketIoOptions.Resource"/> names the script's path.</param>
    /// <remarks>django-socketio: {% socketio %} template tag</remarks>
    public SocketIoScriptTagHelper(IOptions<SocketIoOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.options = options;
    }

    /// <summary>The host name of a socket server on another origin (attribute <c>host</c>); by default the
    /// client connects to the origin it was loaded from.</summary>
    /// <remarks>django-socketio: {% socketio %} template tag</remarks>
    [HtmlAttributeName("host")]
    public string? Host { get; set; }

    /// <summary>The port of a socket server on another origin (attribute <c>port</c>), like django-socketio's
    /// <c>SOCKETIO_PORT</c>; with no <see cref="Host"/>, the page's host on that port.</summary>
    /// <remarks>django-socketio: {% socketio %} template tag</remarks>
    [HtmlAttributeName("port")]
    public int? Port { get; set; }

    /// <summary>Whether the client uses https/wss (attribute <c>secure</c>); by default the scheme the script is
    /// loaded with.</summary>
    /// <remarks>django-socketio: {% socketio %} template tag</remarks>
    [HtmlAttributeName("secure")]
    public bool? Secure { get; set; }

    /// <summary>The view being rendered, set by Razor; its <c>HttpContext</c> gives the path base and host.</summary>
    /// <remarks>django-socketio: {% socketio %} template tag</remarks>
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    /// <summary>Replaces the <c>&lt;socketio /&gt;</c> element with the script element.</summary>
    /// <param name="context">The tag helper context.</param>
    /// <param name="output">The output, which receives the script element instead of the tag.</param>
    /// <remarks>django-socketio: {% socketio %} template tag</remarks>
    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(output);
        var html = SocketIoHtml.ScriptTag(ViewContext.HttpContext, options.Value, Host, Port, Secure);
        output.TagName = null;
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Content.SetHtmlContent(html);
    }
}
