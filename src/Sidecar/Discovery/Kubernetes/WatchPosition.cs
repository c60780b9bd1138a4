using System.Text;

namespace Sidecar.Discovery.Kubernetes;

/// <summary>
/// Where a watch resumes from: the newest version seen in an event or bookmark, and how many events came. A version
/// taken from a status rewrite that was never decoded (<see cref="ChurnFilter"/>) is kept as bytes and made a string
/// only when read (the next watch opens, a relist): the operator's rewrite every second allocates nothing here.
/// </summary>
internal sealed class WatchPosition(string resourceVersion)
{
    /// <summary>etcd's versions are 64-bit counters (at most 20 digits); a longer one is taken through the decode.</summary>
    public const int MaxPendingBytes = 64;

    private readonly byte[] _pending = new byte[MaxPendingBytes];
    private int _pendingLength = -1;
    private string _resourceVersion = resourceVersion;

    public string ResourceVersion
    {
        get
        {
            if (_pendingLength >= 0)
            {
                _resourceVersion = Encoding.UTF8.GetString(_pending, 0, _pendingLength);
                _pendingLength = -1;
            }
            return _resourceVersion;
        }
        set
        {
            _resourceVersion = value;
            _pendingLength = -1;
        }
    }

    public long Events { get; set; }

    /// <summary>Resume from this version (UTF-8, as the event carried it); false, and nothing kept, when it is too long.</summary>
    public bool TryAdvance(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxPendingBytes)
        {
            return false;
        }
        utf8.CopyTo(_pending);
        _pendingLength = utf8.Length;
        return true;
    }
}
