namespace Sidecar.Tunnels.Frpc;

/// <summary>
/// Where the state directory is: the configured one, or, when none is configured anywhere, a fresh private
/// directory made with mkdtemp(3) semantics (new, unpredictable name, 0700, ours) and removed at the end —
/// never a predictable shared path another user could make first.
/// </summary>
internal sealed class StateDirectoryLocation(string? configured)
{
    private readonly Lock _lock = new();
    private string? _temporary;

    /// <summary>No directory was configured: a private temporary one is used.</summary>
    public bool IsTemporary => configured is null;

    /// <exception cref="StateDirectoryException">See <see cref="StateDirectory.Open"/>.</exception>
    public StateDirectory Open()
    {
        if (configured is not null)
        {
            return StateDirectory.Open(configured);
        }
        lock (_lock)
        {
            try
            {
                // Directory.CreateTempSubdirectory is mkdtemp(3) on Unix, under $TMPDIR or /tmp.
                _temporary ??= Directory.CreateTempSubdirectory("sidecar-").FullName;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new StateDirectoryException($"no state directory is configured and a private one cannot be made ({e.Message}); set --state-dir", isUnsafe: false);
            }
            return StateDirectory.Open(_temporary);
        }
    }

    /// <summary>Closes the directory; a temporary one is emptied and removed, as nothing will look for it again.</summary>
    public void Release(StateDirectory directory)
    {
        var temporary = _temporary is not null && directory.Path == _temporary;
        if (temporary)
        {
            foreach (var name in directory.Names())
            {
                directory.TryDelete(name);
            }
        }
        directory.Dispose();
        if (temporary)
        {
            try
            {
                Directory.Delete(_temporary!);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Best effort: what remains is ours, 0700, under a name nobody else knows.
            }
        }
    }
}
