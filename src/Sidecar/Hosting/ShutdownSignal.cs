using System.Runtime.InteropServices;

namespace Sidecar.Hosting;

/// <summary>Turns SIGTERM and SIGINT into a cancellation, without Microsoft.Extensions.Hosting.</summary>
internal sealed class ShutdownSignal : IDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly PosixSignalRegistration _term;
    private readonly PosixSignalRegistration _int;

    public ShutdownSignal()
    {
        _term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        _int = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
    }

    public CancellationToken Token => _stopping.Token;

    public PosixSignal? Received { get; private set; }

    private void OnSignal(PosixSignalContext context)
    {
        // Keep the runtime from terminating the process: we shut down in order ourselves.
        context.Cancel = true;
        Received ??= context.Signal;
        _stopping.Cancel();
    }

    public void Dispose()
    {
        _term.Dispose();
        _int.Dispose();
        _stopping.Dispose();
    }
}
