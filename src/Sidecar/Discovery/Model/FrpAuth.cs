namespace Sidecar.Discovery.Model;

/// <summary><c>spec.auth</c>: <c>method</c> is <c>token</c> (default) or <c>oidc</c>.</summary>
internal sealed class FrpAuth
{
    public string? Method { get; init; }
    /// <summary>A secret: never logged.</summary>
    public string? Token { get; init; }
}
