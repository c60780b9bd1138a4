namespace Sidecar.ControlLoop.Extraction;

/// <summary>Why one item of one resource was skipped.</summary>
internal readonly record struct ItemProblem(string Resource, string Item, string Reason);
