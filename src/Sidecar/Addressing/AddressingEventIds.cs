namespace Sidecar.Addressing;

/// <summary>
/// The log event ids of the address allocator. They are stable: dashboards, alerts and tests key on them, so each
/// is named once here, for the <c>[LoggerMessage]</c> attributes and the tests alike. Never reuse or renumber one.
/// </summary>
internal static class AddressingEventIds
{
    // AddressAllocator
    public const int Allocated = 2001;
    public const int Exhausted = 2002;
    public const int Released = 2003;
}
