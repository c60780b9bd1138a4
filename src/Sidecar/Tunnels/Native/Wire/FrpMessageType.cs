namespace Sidecar.Tunnels.Native.Wire;

/// <summary>
/// The type bytes of frp's messages (frp v0.61 <c>pkg/msg/msg.go</c>). Only those a visitor sends or may
/// receive are named; any other byte is a protocol mismatch.
/// </summary>
internal static class FrpMessageType
{
    public const byte Login = (byte)'o';
    public const byte LoginResp = (byte)'1';
    public const byte NewWorkConn = (byte)'w';
    public const byte ReqWorkConn = (byte)'r';
    public const byte NewVisitorConn = (byte)'v';
    public const byte NewVisitorConnResp = (byte)'3';
    public const byte Ping = (byte)'h';
    public const byte Pong = (byte)'4';
    public const byte UdpPacket = (byte)'u';

    /// <summary>A readable name for logs and errors, e.g. <c>LoginResp('1')</c>.</summary>
    public static string Describe(byte type) => type switch
    {
        Login => "Login('o')",
        LoginResp => "LoginResp('1')",
        NewWorkConn => "NewWorkConn('w')",
        ReqWorkConn => "ReqWorkConn('r')",
        NewVisitorConn => "NewVisitorConn('v')",
        NewVisitorConnResp => "NewVisitorConnResp('3')",
        Ping => "Ping('h')",
        Pong => "Pong('4')",
        UdpPacket => "UDPPacket('u')",
        _ => $"0x{type:x2}",
    };
}
