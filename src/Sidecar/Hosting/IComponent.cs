namespace Sidecar.Hosting;

/// <summary>A long-running part of the sidecar that the host starts and stops in a fixed order.</summary>
internal interface IComponent : IAsyncDisposable
{
    string Name { get; }

    /// <summary>Binds sockets and starts background loops; returns once the component serves.</summary>
    /// <exception cref="StartupException">The component cannot run; the message says why and what to do.</exception>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Stops accepting work and finishes or abandons what is in flight by the time the token fires.</summary>
    Task StopAsync(CancellationToken cancellationToken);
}
