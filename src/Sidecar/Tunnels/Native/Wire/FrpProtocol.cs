namespace Sidecar.Tunnels.Native.Wire;

/// <summary>The frp release whose protocol this implementation follows and was checked against (recorded transcripts).</summary>
internal static class FrpProtocol
{
    /// <summary>Sent as Login's version, as frpc sends its own; frps 0.61 does not gate on it.</summary>
    public const string Version = "0.61.2";
}
