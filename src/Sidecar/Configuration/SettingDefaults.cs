using System.Net;

namespace Sidecar.Configuration;

/// <summary>Default values, shared by <see cref="Settings"/> and the help text.</summary>
internal static class SettingDefaults
{
    /// <summary>The original design's limit on mapped services.</summary>
    public const int MaxServices = 100;
    public static readonly IPEndPoint DnsAddr = new(IPAddress.Parse("127.0.0.2"), 53);
    /// <summary>The original answered with a 5 s TTL: short enough that a moved service is picked up quickly.</summary>
    public static readonly TimeSpan DnsTtl = TimeSpan.FromSeconds(5);
    /// <summary>The original design polled every 10 s.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(10);
    /// <summary>A watch resumes from bookmarks, so a full list is only a safety net: hourly costs one request per Pod-hour.</summary>
    public static readonly TimeSpan RelistPeriod = TimeSpan.FromHours(1);
    /// <summary>More often than this, the safety net would cost more than the watch it guards.</summary>
    public static readonly TimeSpan MinRelistPeriod = TimeSpan.FromMinutes(30);
    public const string StateDir = "/tmp/sidecar";
    public const string FrpcPath = "frpc";
    /// <summary>All interfaces, so the kubelet's probes reach it.</summary>
    public static readonly IPEndPoint AdminAddr = new(IPAddress.Any, 9901);
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);
    public const string ResolvConfPath = "/etc/resolv.conf";
}
