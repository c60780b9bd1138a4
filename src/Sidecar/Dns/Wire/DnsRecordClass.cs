namespace Sidecar.Dns.Wire;

/// <summary>RFC 1035 §3.2.4 classes; only IN is answered.</summary>
internal static class DnsRecordClass
{
    public const ushort Internet = 1;
    public const ushort Any = 255;
}
