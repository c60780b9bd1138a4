using Microsoft.Extensions.Logging;

namespace Sidecar.Reconciling;

internal sealed partial class Reconciler
{
    [LoggerMessage(4201, LogLevel.Information, "Reconciled: {Added} added, {Removed} removed, {Changed} changed; {Names} names published")]
    private partial void LogReconciled(int added, int removed, int changed, int names);

    [LoggerMessage(4202, LogLevel.Information, "{Old} changed to {New}; keeping its address")]
    private partial void LogChanged(string old, string @new);

    [LoggerMessage(4203, LogLevel.Error, "The tunnel driver failed to {Operation} {Count} tunnels")]
    private partial void LogDriverFailed(string operation, int count, Exception exception);
}
