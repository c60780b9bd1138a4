namespace Sidecar.Tunnels.Frpc;

/// <summary>The state directory cannot be used; the message says why and what to do, in one line.</summary>
/// <param name="IsUnsafe">
/// True when using it could hand our secrets to someone else (a symlink, another owner, writable by others):
/// a start-up error. False when it is only unavailable for now (cannot be created, locked by another sidecar).
/// </param>
internal sealed class StateDirectoryException(string message, bool isUnsafe) : Exception(message)
{
    public bool IsUnsafe => isUnsafe;
}
