using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Sidecar.Dns.Wire;

namespace Sidecar.Tests.Dns;

/// <summary>
/// An application's resolver, reduced to one query over UDP: the question is built byte by byte
/// (<see cref="DnsTestMessages"/>), the answer read with the product's reader. Lost datagrams are re-sent,
/// as a stub resolver would (RFC 1035 §4.2.1), so a loaded machine only makes it slower.
/// </summary>
internal static class DnsProbe
{
    private static readonly TimeSpan Attempt = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>The response code and the first A record's address, if any.</summary>
    public static async Task<(DnsResponseCode Code, IPAddress? Address)> QueryAsync(IPEndPoint server, string name)
    {
        var message = await AskAsync(server, DnsTestMessages.Query(name, id: (ushort)Random.Shared.Next(1, ushort.MaxValue)));
        var a = message.Answers.FirstOrDefault(r => r.Type == DnsRecordType.A);
        return (message.ResponseCode, a is null ? null : new IPAddress(a.Data));
    }

    /// <summary>Sends the query until a readable response with its ID arrives; fails the test after 30 s.</summary>
    public static async Task<ParsedMessage> AskAsync(IPEndPoint server, byte[] query)
    {
        using var client = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        await client.ConnectAsync(server);
        var id = BinaryPrimitives.ReadUInt16BigEndian(query);
        var buffer = new byte[65536];
        using var patience = new CancellationTokenSource(Patience);
        while (true)
        {
            await client.SendAsync(query, SocketFlags.None, patience.Token);
            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(patience.Token);
            attempt.CancelAfter(Attempt);
            try
            {
                var length = await client.ReceiveAsync(buffer, SocketFlags.None, attempt.Token);
                var message = ParsedMessage.Read(buffer.AsSpan(0, length));
                if (message.Status == DnsReadStatus.Ok && message.Header.Id == id)
                {
                    return message;
                }
            }
            catch (OperationCanceledException) when (!patience.IsCancellationRequested)
            {
            }
            catch (SocketException) when (!patience.IsCancellationRequested)
            {
                // ICMP port unreachable while the server is not bound yet: try again.
                await Task.Delay(100, patience.Token);
            }
        }
    }
}
