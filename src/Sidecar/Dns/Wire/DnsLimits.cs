namespace Sidecar.Dns.Wire;

/// <summary>The numeric limits of the DNS wire format, each with where it comes from.</summary>
internal static class DnsLimits
{
    /// <summary>RFC 1035 §4.1.1: the fixed header is 12 octets.</summary>
    public const int HeaderLength = 12;

    /// <summary>RFC 1035 §2.3.4: a label is at most 63 octets (its length byte has 6 usable bits).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>RFC 1035 §2.3.4: a name is at most 255 octets on the wire, length bytes and root label included.</summary>
    public const int MaxNameLength = 255;

    /// <summary>
    /// Compression pointers a name may follow. Each pointer must land on at least one label of two or more
    /// octets inside the 255-octet budget, so more than 127 hops can only be a loop (the same bound miekg/dns uses).
    /// </summary>
    public const int MaxPointerHops = (MaxNameLength + 1) / 2 - 1;

    /// <summary>RFC 1035 §4.2.1: without EDNS a UDP message is at most 512 octets.</summary>
    public const int ClassicUdpPayload = 512;

    /// <summary>
    /// The UDP payload size we advertise and never exceed: the DNS Flag Day 2020 value, which avoids IP
    /// fragmentation on every common path (RFC 9715 discusses the same figure).
    /// </summary>
    public const int OurUdpPayload = 1232;

    /// <summary>RFC 1035 §4.2.2: a TCP message carries a two-octet length, so at most 65535 octets.</summary>
    public const int MaxMessageLength = 65535;

    /// <summary>RFC 1035 §4.1.2: type and class follow the question name.</summary>
    public const int QuestionFixedLength = 4;

    /// <summary>RFC 1035 §4.1.3: type, class, TTL and RDLENGTH follow a record's owner name.</summary>
    public const int RecordFixedLength = 10;

    /// <summary>RFC 6891 §6.1.3: the EDNS version we implement.</summary>
    public const byte EdnsVersion = 0;
}
