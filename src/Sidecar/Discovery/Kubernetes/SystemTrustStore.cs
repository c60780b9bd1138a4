using System.Runtime.InteropServices;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// Keeps .NET from loading the system's CA certificates when nothing in this process trusts them. Every TLS client
/// handshake builds an X509Chain, and on Linux that loads the whole system store first (/etc/ssl/certs: every file
/// parsed into OpenSSL objects, ~0.7 MiB of native heap per process, reloaded on a handshake more than 5 minutes
/// after the last load, the old copy freed only when the GC gets to it), even under CustomRootTrust, where it only
/// contributes intermediates. Our peers are the API server, checked against the kubeconfig's CA alone (as kubectl
/// does), and frps, checked against its own CA file or not at all; so once the kubeconfig names a CA (or skips the
/// check) the store is pointed at nothing, through the variables OpenSSL and .NET read for it (SSL_CERT_FILE,
/// SSL_CERT_DIR), also when the environment named a bundle: no peer of ours would be checked against it. A
/// kubeconfig without a CA keeps the system store. Child processes get the variables as they were.
/// </summary>
internal static partial class SystemTrustStore
{
    public const string FileVariable = "SSL_CERT_FILE";
    public const string DirectoryVariable = "SSL_CERT_DIR";

    private static readonly Lock Gate = new();

    /// <summary>Whether <see cref="TryDisable"/> changed the variables (a child process gets <see cref="Original"/> instead).</summary>
    public static bool Disabled { get; private set; }

    /// <summary>The variables as this process found them, for child processes (null: unset).</summary>
    public static (string? File, string? Directory) Original { get; private set; }

    /// <returns>Whether the store is now empty for this process.</returns>
    public static bool TryDisable()
    {
        lock (Gate)
        {
            if (!Disabled)
            {
                Original = (NativeValue(FileVariable), NativeValue(DirectoryVariable));
                // Native setenv, not Environment.SetEnvironmentVariable: .NET reads these through getenv(3) in its OpenSSL
                // shim, and on Unix the managed setter does not reach the native environment. /dev/null is not a regular
                // file, so no file is read; an empty directory list (set, so not the default) means no directory either.
                Disabled = SetEnv(FileVariable, "/dev/null", 1) == 0 && SetEnv(DirectoryVariable, "", 1) == 0;
            }
            return Disabled;
        }
    }

    /// <summary>Gives a child process the variables as this process found them.</summary>
    public static void RestoreFor(IDictionary<string, string?> environment)
    {
        if (!Disabled)
        {
            return;
        }
        Set(environment, FileVariable, Original.File);
        Set(environment, DirectoryVariable, Original.Directory);
    }

    private static void Set(IDictionary<string, string?> environment, string name, string? value)
    {
        if (value is null)
        {
            environment.Remove(name);
        }
        else
        {
            environment[name] = value;
        }
    }

    /// <summary>The variable as native code (OpenSSL, .NET's crypto shim) sees it.</summary>
    public static string? NativeValue(string name) => Marshal.PtrToStringUTF8(GetEnv(name));

    [LibraryImport("libc", EntryPoint = "getenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetEnv(string name);

    [LibraryImport("libc", EntryPoint = "setenv", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int SetEnv(string name, string value, int overwrite);
}
