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
    /// <summary>The original listed every 10 s.</summary>
    public static readonly TimeSpan ResyncPeriod = TimeSpan.FromSeconds(10);
    public const string FrpcPath = "frpc";
    /// <summary>All interfaces, so the kubelet's probes reach it.</summary>
    public static readonly IPEndPoint AdminAddr = new(IPAddress.Any, 9901);
    public static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(5);
    public const string ResolvConfPath = "/etc/resolv.conf";
}
