namespace Sidecar.Dns.Wire;

/// <summary>The outcome of a read. Anything but <see cref="Ok"/> means the input is malformed; nothing throws.</summary>
internal enum DnsReadStatus : byte
{
    Ok,
    /// <summary>The message ends before the item does.</summary>
    Truncated,
    /// <summary>A label length byte uses the reserved 0b01 or 0b10 prefix (RFC 6891 §5 retired extended labels).</summary>
    ReservedLabelType,
    /// <summary>The decoded name exceeds 255 octets (RFC 1035 §2.3.4).</summary>
    NameTooLong,
    /// <summary>A compression pointer does not point strictly backwards (self, forward, or into the current run).</summary>
    BadPointer,
    /// <summary>More than <see cref="DnsLimits.MaxPointerHops"/> pointers were followed.</summary>
    TooManyPointers,
    /// <summary>Record data is inconsistent with its type (e.g. an A record that is not 4 octets, a malformed OPT).</summary>
    BadRecordData,
    /// <summary>The destination buffer is too small (a caller bug, not bad input).</summary>
    BufferTooSmall,
}
