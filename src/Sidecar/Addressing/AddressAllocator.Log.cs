using System.Net;
using Microsoft.Extensions.Logging;

namespace Sidecar.Addressing;

internal sealed partial class AddressAllocator
{
    [LoggerMessage(AddressingEventIds.Allocated, LogLevel.Debug, "Allocated {Address} to {Service} ({Probes} collisions probed)")]
    private partial void LogAllocated(string service, IPAddress address, int probes);

    [LoggerMessage(AddressingEventIds.Exhausted, LogLevel.Error, "No free address for {Service}: ip-range {Range} is exhausted ({InUse} in use); widen --ip-range. Other services are unaffected")]
    private partial void LogExhausted(string service, string range, int inUse);

    [LoggerMessage(AddressingEventIds.Released, LogLevel.Debug, "Released {Address} of {Service}")]
    private partial void LogReleased(string service, IPAddress address);
}
