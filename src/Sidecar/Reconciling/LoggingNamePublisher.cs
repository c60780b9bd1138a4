using Microsoft.Extensions.Logging;
using Sidecar.Dns;

namespace Sidecar.Reconciling;

/// <summary>
/// Stands in for the DNS server's <see cref="INamePublisher"/> until it is wired in: logs the names that
/// would be answered and keeps the last table so it can be inspected.
/// </summary>
internal sealed partial class LoggingNamePublisher(ILogger<LoggingNamePublisher> logger) : INamePublisher
{
    public IReadOnlyCollection<DnsMapping> Current { get; private set; } = [];

    public void Publish(IReadOnlyCollection<DnsMapping> mappings)
    {
        Current = mappings;
        LogPublished(mappings.Count, string.Join(", ", mappings.Select(m => $"{m.Name}={m.Address}")));
    }

    [LoggerMessage(4401, LogLevel.Information, "DNS names now: {Count} ({Names})")]
    private partial void LogPublished(int count, string names);
}
