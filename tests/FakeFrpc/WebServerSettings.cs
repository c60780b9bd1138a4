namespace FakeFrpc;

internal sealed record WebServerSettings(string Addr, int Port, string User, string Password);
