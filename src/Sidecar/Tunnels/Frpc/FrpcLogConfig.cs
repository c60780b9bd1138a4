namespace Sidecar.Tunnels.Frpc;

/// <summary>frpc <c>[log]</c>: plain lines on stdout, which the supervisor copies into our log.</summary>
internal sealed class FrpcLogConfig
{
    public string To { get; init; } = "console";

    public string Level { get; init; } = "info";

    /// <summary>No ANSI colour codes in our log lines.</summary>
    public bool DisablePrintColor { get; init; } = true;
}
