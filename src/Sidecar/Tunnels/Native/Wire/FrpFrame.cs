namespace Sidecar.Tunnels.Native.Wire;

/// <summary>One frp message as it travels: its type byte and its JSON body (golib msg/json framing).</summary>
internal readonly record struct FrpFrame(byte Type, ReadOnlyMemory<byte> Body)
{
    public override string ToString() => FrpMessageType.Describe(Type);
}
