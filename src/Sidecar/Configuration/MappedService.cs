namespace Sidecar.Configuration;

/// <summary>One entry of <c>--mapped-services</c>: a service name, optionally with a port that overrides the resource's.</summary>
internal sealed record MappedService(string Name, int? Port)
{
    public override string ToString() => Port is { } port ? $"{Name}:{port}" : Name;
}
