using Microsoft.Extensions.Logging;
using Sidecar.Tunnels;

namespace Sidecar.ControlLoop.Reconciling;

internal sealed partial class Reconciler
{
    [LoggerMessage(ControlLoopEventIds.Reconciled, LogLevel.Information, "Reconciled: {Added} added, {Removed} removed, {Changed} changed; {Names} names published")]
    private partial void LogReconciled(int added, int removed, int changed, int names);

    [LoggerMessage(ControlLoopEventIds.EndpointChanged, LogLevel.Information, "{Old} changed to {New}; keeping its address")]
    private partial void LogChanged(string old, string @new);

    [LoggerMessage(ControlLoopEventIds.DriverFailed, LogLevel.Error, "The tunnel driver failed to {Operation} {Count} tunnels")]
    private partial void LogDriverFailed(string operation, int count, Exception exception);

    [LoggerMessage(ControlLoopEventIds.MappingAdded, LogLevel.Information, "Mapping added: {Name} -> {Address}:{Port} ({ProxyType} via {Server})")]
    private partial void LogMappingAdded(string name, string address, int port, string proxyType, string server);

    [LoggerMessage(ControlLoopEventIds.MappingRemoved, LogLevel.Information, "Mapping removed: {Name} {Address}:{Port} ({ProxyType} via {Server})")]
    private partial void LogMappingRemoved(string name, string address, int port, string proxyType, string server);

    [LoggerMessage(ControlLoopEventIds.NamePublished, LogLevel.Information, "DNS now answers {Name} with {Address}")]
    private partial void LogNamePublished(string name, string address);

    [LoggerMessage(ControlLoopEventIds.NameWithdrawn, LogLevel.Information, "DNS no longer answers {Name}")]
    private partial void LogNameWithdrawn(string name);

    private void LogMapping(Tunnel tunnel, bool added)
    {
        var e = tunnel.Endpoint;
        var type = e.Traits.Name;
        if (added)
        {
            LogMappingAdded(e.Service, tunnel.LocalAddress.ToString(), e.Port, type, e.Server.ToString());
        }
        else
        {
            LogMappingRemoved(e.Service, tunnel.LocalAddress.ToString(), e.Port, type, e.Server.ToString());
        }
    }
}
