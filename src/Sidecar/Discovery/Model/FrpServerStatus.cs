namespace Sidecar.Discovery.Model;

/// <summary><c>status</c> as the operator documents it; frps rewrites it every second. Read by <see cref="FrpServerStatusReader"/>.</summary>
internal sealed class FrpServerStatus
{
    public List<StatusCondition>? Conditions { get; init; }
    public bool? Ready { get; init; }
    public long? ObservedGeneration { get; init; }
    /// <summary>The frps host a client should dial (newer operators only).</summary>
    public string? InternetAddr { get; init; }
    public ServiceStatus? ServiceStatus { get; init; }

    public List<ActiveConnection>? ActiveConnections { get; init; }
}
