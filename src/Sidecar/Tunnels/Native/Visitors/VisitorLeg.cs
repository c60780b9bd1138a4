using Sidecar.Tunnels.Native.Metrics;
using Sidecar.Tunnels.Native.Yamux;

namespace Sidecar.Tunnels.Native.Visitors;

/// <summary>
/// An open visitor connection: <see cref="Data"/> carries the application's bytes (through this leg's
/// encryption/compression if any); <see cref="Stream"/> is the yamux stream under it, for the half-close.
/// Counted in its server's open streams from the handshake until disposed.
/// </summary>
internal sealed class VisitorLeg(Stream data, YamuxStream stream, FrpServerCounters counters) : IAsyncDisposable
{
    private int _disposed;

    public Stream Data => data;

    public YamuxStream Stream => stream;

    /// <summary>The application closed its sending side: FIN to frps, reading goes on.</summary>
    public ValueTask ShutdownWriteAsync(CancellationToken cancellationToken) => stream.CloseWriteAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }
        counters.OpenStreams.Decrement();
        if (!ReferenceEquals(data, stream))
        {
            // The wrappers own the stream; disposing them disposes it.
            await data.DisposeAsync().ConfigureAwait(false);
        }
        await stream.DisposeAsync().ConfigureAwait(false);
    }
}
