namespace Sidecar.Discovery.Model;

/// <summary>A list item that can stand for "this item could not be read", so one bad item never spoils a list.</summary>
internal interface IMalformable<TSelf> where TSelf : IMalformable<TSelf>
{
    string? ParseError { get; }

    /// <param name="name">The item's name when it could still be read, for the warning.</param>
    static abstract TSelf Malformed(string? name, string error);
}
