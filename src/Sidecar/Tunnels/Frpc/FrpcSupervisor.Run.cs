using Sidecar.Logging;
using Sidecar.Resilience;
using System.ComponentModel;
using System.Diagnostics;

namespace Sidecar.Tunnels.Frpc;

internal sealed partial class FrpcSupervisor
{
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var attempt = 0;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                var started = _time.GetTimestamp();
                var exitCode = await RunOnceAsync(cancellationToken).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                if (_time.GetElapsedTime(started) >= _options.StableRun)
                {
                    attempt = 0;
                }
                var delay = Backoff.Delay(attempt, _options.RestartInitial, _options.RestartMax);
                attempt++;
                if (exitCode is { } code)
                {
                    _counters.FrpcRestarted(_server.Resource);
                    if (attempt >= CrashLoopAttempts)
                    {
                        LogCrashLoop(_server.ToString(), code, attempt, delay.TotalSeconds);
                    }
                    else
                    {
                        LogExited(_server.ToString(), code, delay.TotalSeconds);
                    }
                }
                await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <returns>frpc's exit code, or null when it could not be started.</returns>
    private async Task<int?> RunOnceAsync(CancellationToken cancellationToken)
    {
        var path = FrpcLocator.Resolve(_options.FrpcPath, Environment.GetEnvironmentVariable("PATH"));
        Process process;
        string configPath;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Checked before the state directory: without frpc nothing is written, so nothing is opened.
            if (path is null)
            {
                _missingLogged = true;
                _counters.FrpcStartFailed(_server.Resource, FrpcStartFailure.NotFound);
                // One line per tunnel, naming its service: the person reading it must know what is down.
                foreach (var visitor in _visitors.Values.Where(v => !v.MissingFrpcReported))
                {
                    visitor.MissingFrpcReported = true;
                    LogFrpcMissing(_options.FrpcPath, visitor.Tunnel.ToString());
                }
                SetAll(TunnelState.Failed);
                return null;
            }
            StateDirectory directory;
            try
            {
                directory = _registry.Open();
            }
            catch (StateDirectoryException e)
            {
                _counters.FrpcStartFailed(_server.Resource, FrpcStartFailure.StateDirectory);
                if (!_stateDirLogged)
                {
                    _stateDirLogged = true;
                    LogStateDirUnusable(_server.ToString(), e.Message);
                }
                SetAll(TunnelState.Failed);
                return null;
            }
            _stateDirLogged = false;
            _adminPort = FrpcProcess.FreeLoopbackPort();
            if (!WriteConfig(directory, _adminPort))
            {
                return null;
            }
            configPath = directory.PathOf(_configName);
            try
            {
                var server = _server.ToString();
                process = FrpcProcess.Start(path, configPath, directory.Path, line => LogFrpcOutput(FrpcLineLevel(line), server, UntrustedText.ForLog(line, UntrustedText.MaxMessageLength)));
            }
            catch (Exception e) when (e is Win32Exception or IOException or InvalidOperationException)
            {
                LogStartFailed(path, _server.ToString(), e.Message);
                _counters.FrpcStartFailed(_server.Resource, FrpcStartFailure.ExecFailed);
                SetAll(TunnelState.Failed);
                return null;
            }
            if (_missingLogged)
            {
                // Found after all: should it vanish again, each tunnel is named again.
                _missingLogged = false;
                foreach (var visitor in _visitors.Values)
                {
                    visitor.MissingFrpcReported = false;
                }
            }
            _process = process;
            try
            {
                _registry.Record(_name, process.Id);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Only the clean-up after a SIGKILL of the sidecar depends on it: keep running.
                LogConfigWriteFailed(_name + ".pid", _server.ToString(), e.Message);
            }
            SetAll(TunnelState.Starting);
            LogStarted(_server.ToString(), process.Id, _visitors.Count, configPath);
        }
        finally
        {
            _gate.Release();
        }

        await WaitHealthyAsync(process, cancellationToken).ConfigureAwait(false);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _healthy = false;
            _process = null;
            _registry.Forget(_name);
            SetAll(TunnelState.Starting);
            var code = process.ExitCode;
            process.Dispose();
            return code;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task WaitHealthyAsync(Process process, CancellationToken cancellationToken)
    {
        while (!process.HasExited)
        {
            if (await _admin.IsHealthyAsync(_adminPort, cancellationToken).ConfigureAwait(false))
            {
                await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                try
                {
                    // Visitors may have changed between writing the file and frpc reading it.
                    if (_registry.Directory is { } directory && WriteConfig(directory, _adminPort))
                    {
                        await ReloadAsync(cancellationToken).ConfigureAwait(false);
                    }
                    _healthy = true;
                }
                finally
                {
                    _gate.Release();
                }
                return;
            }
            await Task.Delay(_options.ProbeInterval, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Stops supervising, then SIGTERM and, when the token fires first, SIGKILL.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_run, _probe).ConfigureAwait(false);
        var process = _process;
        if (process is not null)
        {
            var pid = process.HasExited ? 0 : process.Id;
            if (await FrpcProcess.TerminateAsync(process, _time, cancellationToken).ConfigureAwait(false))
            {
                LogKilled(_server.ToString(), pid);
            }
            _registry.Forget(_name);
            _process = null;
            process.Dispose();
        }
        _healthy = false;
        SetAll(TunnelState.Failed);
        // Only with the directory's lock held: a sidecar refused by the lock deletes nothing of the holder's.
        _registry.Directory?.TryDelete(_configName);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopping.IsCancellationRequested)
        {
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5), _time);
            await StopAsync(grace.Token).ConfigureAwait(false);
        }
        _stopping.Dispose();
        // _gate is not disposed: a late ApplyAsync may still release it; it holds no wait handle.
    }
}
