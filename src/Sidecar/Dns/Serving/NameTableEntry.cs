namespace Sidecar.Dns.Serving;

/// <summary>One answerable name: its lower-case wire form and the 4- or 16-octet address it maps to.</summary>
internal readonly record struct NameTableEntry(byte[] Name, byte[] Address, int Hash);
