namespace Sidecar.Admin;

/// <summary>One mapped name as /debug/mappings shows it. Never carries secrets.</summary>
internal sealed record MappingView(
    string Name,
    string Address,
    bool Published,
    IReadOnlyList<MappingPortView> Ports);

/// <summary>One tunnel of a mapped name.</summary>
internal sealed record MappingPortView(
    int Port,
    string Protocol,
    string ProxyType,
    string ProxyName,
    string Server,
    string Target,
    string TunnelState,
    DateTimeOffset Since);
