using Sidecar.Dns.Wire;

namespace Sidecar.Tests.Dns;

/// <summary>One record of a <see cref="ParsedMessage"/>; <see cref="SoaMname"/> is set for SOA records.</summary>
internal sealed record ParsedRecord(string Name, DnsRecordType Type, ushort Class, uint Ttl, byte[] Data, string? SoaMname);
