using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Sidecar.Injection;

/// <summary>
/// The webhook's serving certificate and key (PEM files), reloaded when either file changes on disk, as
/// cert-manager rotates the Secret (the kubelet swaps the mounted files through a symlink). Checked on
/// handshakes, at most once per <see cref="CheckInterval"/>, so no watcher thread and no inotify limit; a
/// half-written or broken pair keeps the previous one serving.
/// </summary>
internal sealed class ServingCertificate : IDisposable
{
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly string _certificateFile;
    private readonly string _keyFile;
    private readonly TimeProvider _time;
    private readonly Action<string> _reloadFailed;
    private readonly Lock _gate = new();
    private Loaded _current;
    private long _nextCheck;

    /// <exception cref="FormatException">The pair cannot be read at start: the mode refuses to run without it.</exception>
    public ServingCertificate(string certificateFile, string keyFile, TimeProvider time, Action<string> reloadFailed)
    {
        _certificateFile = certificateFile;
        _keyFile = keyFile;
        _time = time;
        _reloadFailed = reloadFailed;
        _current = Load(Stamp()) ?? throw new FormatException(_lastError);
        _nextCheck = _time.GetTimestamp() + ToTicks(CheckInterval);
    }

    private string _lastError = "";

    /// <summary>Reloads seen since start; a test and the metrics read it.</summary>
    public int Reloads { get; private set; }

    /// <summary>For <see cref="SslServerAuthenticationOptions.ServerCertificateContext"/>: the newest good pair.</summary>
    public SslStreamCertificateContext Current
    {
        get
        {
            lock (_gate)
            {
                var now = _time.GetTimestamp();
                if (now >= _nextCheck)
                {
                    _nextCheck = now + ToTicks(CheckInterval);
                    var stamp = Stamp();
                    if (stamp != _current.Stamp)
                    {
                        if (Load(stamp) is { } loaded)
                        {
                            // Not disposed: a handshake in flight may still hold the old context.
                            _current = loaded;
                            Reloads++;
                        }
                        else
                        {
                            _reloadFailed(_lastError);
                        }
                    }
                }
                return _current.Context;
            }
        }
    }

    /// <summary>Why the pair in use cannot serve right now (expired, or not valid yet), or null: /readyz.</summary>
    public string? Unusable()
    {
        _ = Current;
        var (notBefore, notAfter) = (_current.NotBefore, _current.NotAfter);
        var now = _time.GetUtcNow();
        return now >= notAfter ? $"the serving certificate expired at {notAfter:u}"
            : now < notBefore ? $"the serving certificate is not valid before {notBefore:u}"
            : null;
    }

    /// <summary>When the pair in use expires, for the metrics (alert well before it).</summary>
    public DateTimeOffset NotAfter => _current.NotAfter;

    public X509Certificate2 Certificate
    {
        get
        {
            _ = Current;
            return _current.Certificate;
        }
    }

    private Loaded? Load((FileStamp, FileStamp) stamp)
    {
        try
        {
            var certificate = X509Certificate2.CreateFromPemFile(_certificateFile, _keyFile);
            return new Loaded(stamp, certificate, SslStreamCertificateContext.Create(certificate, additionalCertificates: null, offline: true));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            _lastError = $"cannot load the serving certificate {_certificateFile} with key {_keyFile}: {e.Message}";
            return null;
        }
    }

    private (FileStamp, FileStamp) Stamp() => (FileStamp.Of(_certificateFile), FileStamp.Of(_keyFile));

    private long ToTicks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    public void Dispose() => _current.Certificate.Dispose();

    /// <summary>The final target of the path (the kubelet swaps a <c>..data</c> symlink, leaving the file's own
    /// link untouched), with its modification time and size.</summary>
    private readonly record struct FileStamp(string Target, DateTime Modified, long Length)
    {
        public static FileStamp Of(string path)
        {
            try
            {
                var target = new FileInfo(path).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(path);
                var file = new FileInfo(target);
                return file.Exists ? new(target, file.LastWriteTimeUtc, file.Length) : new(target, default, -1);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new(path, default, -1);
            }
        }
    }

    private sealed record Loaded((FileStamp, FileStamp) Stamp, X509Certificate2 Certificate, SslStreamCertificateContext Context)
    {
        public DateTimeOffset NotBefore { get; } = new(Certificate.NotBefore.ToUniversalTime());

        public DateTimeOffset NotAfter { get; } = new(Certificate.NotAfter.ToUniversalTime());
    }
}
