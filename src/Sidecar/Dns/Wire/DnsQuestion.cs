namespace Sidecar.Dns.Wire;

/// <summary>
/// A question as read: the decoded name's length (the name itself is in the caller's buffer), type and
/// class, and where the question sat in the message so it can be echoed exactly as sent.
/// </summary>
internal readonly record struct DnsQuestion(int NameLength, DnsRecordType Type, ushort Class, int Offset, int WireLength);
