using Sidecar.Configuration;

namespace Sidecar.ControlLoop.Extraction;

/// <summary>The settings that shape endpoints: which services, and the frps fallbacks.</summary>
/// <param name="FrpToken">Overrides <c>spec.auth.token</c> when set; a secret.</param>
internal sealed record EndpointRules(IReadOnlyDictionary<string, MappedService> MappedServices, string? FrpsAddr, string? FrpToken)
{
    public static EndpointRules From(Settings settings) => new(
        settings.MappedServices.ToDictionary(s => s.Name, StringComparer.Ordinal),
        settings.FrpsAddr,
        settings.FrpToken);

    public override string ToString() => $"{MappedServices.Count} mapped services, frps-addr {FrpsAddr ?? "(none)"}";
}
