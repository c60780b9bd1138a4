using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Sidecar.Tests.Discovery.StandIn;

/// <summary>
/// One open watch: the lines waiting to be written, its selector and whether it asked for bookmarks.
/// Bounded like the real watch cache's per-watcher buffer: a watcher that falls this far behind is ended,
/// and must resume from its last version.
/// </summary>
internal sealed class StandInWatcher(StandInHttpConnection connection, StandInSelector selector, string from, bool bookmarks,
    Func<long> currentVersion, StandInClientStats? stats)
{
    private const int Capacity = 10_000;

    private readonly Channel<byte[]> _lines = Channel.CreateBounded<byte[]>(new BoundedChannelOptions(Capacity) { SingleReader = true });

    public StandInHttpConnection Connection { get; } = connection;
    public StandInSelector Selector { get; } = selector;
    public string From { get; } = from;
    public bool AllowsBookmarks { get; } = bookmarks;
    public StandInClientStats? Stats { get; } = stats;

    public ChannelReader<byte[]> Lines => _lines.Reader;

    public void Offer(byte[] line)
    {
        if (!_lines.Writer.TryWrite(line))
        {
            Complete(); // too slow: the real server ends the watch
        }
    }

    public void Complete() => _lines.Writer.TryComplete();

    /// <summary>A BOOKMARK at the current version, shaped as in watch-bookmarks.jsonl; only if the client asked for them.</summary>
    public void SendBookmark()
    {
        if (AllowsBookmarks)
        {
            Offer(BookmarkLine(currentVersion()));
        }
    }

    public static byte[] BookmarkLine(long version) => Encoding.UTF8.GetBytes(new JsonObject
    {
        ["type"] = "BOOKMARK",
        ["object"] = new JsonObject
        {
            ["apiVersion"] = "tunnel.kubeinfra.io/v1alpha1",
            ["kind"] = "FRPServer",
            ["metadata"] = new JsonObject { ["resourceVersion"] = version.ToString(CultureInfo.InvariantCulture) },
        },
    }.ToJsonString() + "\n");
}
