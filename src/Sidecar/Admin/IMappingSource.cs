namespace Sidecar.Admin;

/// <summary>Supplies the current mappings for /debug/mappings (in the product: <see cref="MappingBoardReader"/>).</summary>
internal interface IMappingSource
{
    IReadOnlyList<MappingView> GetMappings();
}
