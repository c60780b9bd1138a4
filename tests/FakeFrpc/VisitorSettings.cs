namespace FakeFrpc;

/// <summary>One visitor; compared by value, so a reload keeps a visitor whose settings did not change.</summary>
internal sealed record VisitorSettings(string Name, string Type, string ServerName, string? SecretKey, string BindAddr, int BindPort);
