namespace Chat;

/// <summary>The administrator who may send system messages: configuration section <c>Chat:Admin</c>. In
/// Development both default to <c>admin</c> (printed at startup); elsewhere, unset means sign-in is off.</summary>
public sealed class ChatAdminOptions
{
    public const string SectionName = "Chat:Admin";

    public const string DevelopmentDefault = "admin";

    public string? User { get; set; }

    public string? Password { get; set; }

    public bool IsConfigured => !string.IsNullOrEmpty(User) && !string.IsNullOrEmpty(Password);

    /// <summary>Compares in constant time, so the answer's timing tells nothing about the password.</summary>
    public bool Accepts(string? user, string? password) =>
        IsConfigured
        & FixedTimeEquals(user ?? string.Empty, User!)
        & FixedTimeEquals(password ?? string.Empty, Password!);

    private static bool FixedTimeEquals(string given, string expected) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(given)),
            System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(expected)));
}
