using System.Net;

namespace Sidecar.Dns;

/// <summary>A published name and the local address it resolves to.</summary>
internal readonly record struct DnsMapping(string Name, IPAddress Address);
