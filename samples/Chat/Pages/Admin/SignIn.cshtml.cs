using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Chat.Pages.Admin;

/// <summary>The administrator's cookie sign-in (the original used Django's admin login).</summary>
public sealed class SignInModel(IOptions<ChatAdminOptions> admin) : PageModel
{
    public bool Enabled => admin.Value.IsConfigured;

    public string ReturnUrl { get; private set; } = "/system_message";

    public string? UserName { get; private set; }

    public string? Error { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = Local(returnUrl);

    public async Task<IActionResult> OnPostAsync(string? user, string? password, string? returnUrl)
    {
        ReturnUrl = Local(returnUrl);
        UserName = user;
        if (!admin.Value.Accepts(user, password))
        {
            Error = Enabled ? "Wrong user name or password." : null;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, admin.Value.User!)], CookieAuthenticationDefaults.AuthenticationScheme);
        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
        return LocalRedirect(ReturnUrl);
    }

    private string Local(string? url) => !string.IsNullOrEmpty(url) && Url.IsLocalUrl(url) ? url : "/system_message";
}
