namespace Sidecar.Admin;

/// <summary>Supplies the current mappings for /debug/mappings (the reconciler's view).</summary>
internal interface IMappingSource
{
    IReadOnlyList<MappingView> GetMappings();
}
