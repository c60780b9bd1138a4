using Sidecar.Endpoints;

namespace Sidecar.ControlLoop.Extraction;

/// <summary>What one resource offers: its endpoints for mapped services and the items it had to skip.</summary>
internal sealed record ResourceEndpoints(string Resource, DateTimeOffset Created, IReadOnlyList<Endpoint> Endpoints, IReadOnlyList<ItemProblem> Problems);
