namespace Sidecar.Tunnels.Frpc;

/// <summary>One frpc <c>[[visitors]]</c> entry (frp <c>pkg/config/v1/visitor.go</c>).</summary>
internal sealed class FrpcVisitorConfig
{
    /// <summary>Unique within one frpc; kept stable across reloads so an unchanged visitor keeps its connections.</summary>
    public required string Name { get; init; }

    /// <summary><c>stcp</c>, <c>sudp</c> or <c>xtcp</c>.</summary>
    public required string Type { get; init; }

    /// <summary>The proxy name at frps, including its owner's <c>user.</c> prefix.</summary>
    public required string ServerName { get; init; }

    /// <summary>A secret: only ever written into the 0600 config file.</summary>
    public string? SecretKey { get; init; }

    public required string BindAddr { get; init; }

    /// <summary>Positive, or -1 for a visitor that only serves as an xtcp fallback; frpc rejects 0.</summary>
    public required int BindPort { get; init; }

    /// <summary>xtcp only: the stcp visitor to fall back to when hole punching fails.</summary>
    public string? FallbackTo { get; init; }

    /// <summary>xtcp only: milliseconds to wait for hole punching before falling back.</summary>
    public int? FallbackTimeoutMs { get; init; }
}
