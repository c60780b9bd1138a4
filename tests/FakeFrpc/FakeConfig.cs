namespace FakeFrpc;

/// <summary>What the stand-in uses of an frpc config.</summary>
internal sealed record FakeConfig(string ServerAddr, int ServerPort, WebServerSettings WebServer, IReadOnlyList<VisitorSettings> Visitors);
