using Sidecar.Admin;
using Sidecar.ControlLoop;
using Sidecar.Discovery;

namespace Sidecar.Hosting;

/// <summary>The two components of the control path, as <see cref="Composition"/> wires them: start Discovery first.</summary>
/// <param name="Mappings">What the loop applied, as /debug/mappings shows it.</param>
internal sealed record ControlPath(DiscoveryComponent Discovery, ReconcileLoop Loop, IMappingSource Mappings);
