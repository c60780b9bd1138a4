using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Sidecar.Dns.Serving.Interop;
using Sidecar.Dns.Wire;

namespace Sidecar.Dns.Serving;

/// <summary>
/// UDP service: one blocking receive loop per core on dedicated threads, sharing one socket, so both
/// cores answer. On Linux each loop batches with recvmmsg/sendmmsg (<see cref="UdpBatchLoop"/>);
/// elsewhere it is one recvfrom and one sendto per query. Neither allocates in the steady state.
/// Forwarded misses leave the loop and are answered from a task, so an upstream never stalls local answers.
/// </summary>
internal sealed partial class UdpDnsServer : IDisposable
{
    /// <summary>nsd's figure: the 208 KiB default dropped ~0.2 % of queries in bursts (docs/dns.md, "Serving").</summary>
    private const int ReceiveBufferBytes = 4 * 1024 * 1024;
    /// <summary>A UDP datagram carries at most 65507 octets; a smaller buffer would fail on large junk.</summary>
    private const int DatagramBufferBytes = 65536;
    /// <summary>Forwarded queries in flight; beyond this, misses are dropped and clients retry.</summary>
    private const int MaxForwardsInFlight = 1024;

    private readonly Socket _socket;
    private readonly DnsResponder _responder;
    private readonly UpstreamForwarder? _forwarder;
    private readonly ILogger _logger;
    private readonly UdpDnsCounters _counters;
    private readonly List<Thread> _threads = [];
    private int _forwardsInFlight;
    private volatile bool _stopping;
    private bool _batched;

    public UdpDnsServer(IPEndPoint address, DnsResponder responder, UpstreamForwarder? forwarder, ILogger logger, UdpDnsCounters? counters = null)
    {
        _responder = responder;
        _forwarder = forwarder;
        _logger = logger;
        _counters = counters ?? new UdpDnsCounters();
        _socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _socket.ReceiveBufferSize = ReceiveBufferBytes;
            _socket.Bind(address);
        }
        catch
        {
            _socket.Dispose();
            throw;
        }
    }

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    public bool LoopsAlive => !_stopping && _threads.Count > 0 && _threads.TrueForAll(t => t.IsAlive);

    public void Start(int loops, bool batched)
    {
        _batched = batched;
        for (var i = 0; i < loops; i++)
        {
            var thread = new Thread(ReceiveLoop) { IsBackground = true, Name = $"dns-udp-{i}" };
            _threads.Add(thread);
            thread.Start();
        }
    }

    private void ReceiveLoop()
    {
        if (_batched && LinuxDatagrams.IsSupported && RunBatched())
        {
            return;
        }
        PortableReceiveLoop();
    }

    /// <returns>False when batching is unavailable and the caller should fall back.</returns>
    private bool RunBatched()
    {
        _counters.BatchedLoops.Increment();
        try
        {
            if (new UdpBatchLoop(_socket, _responder, () => _stopping, _forwarder is null ? null : Dispatch).Run())
            {
                return true;
            }
            LogBatchingUnavailable("recvmmsg: ENOSYS");
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            // libc imports bound lazily by dlopen (the dynamic binary), where no libc can be loaded; the static
            // binary binds them at link time (DirectPInvoke), so this is for unusual runtimes.
            LogBatchingUnavailable(e.Message);
        }
        finally
        {
            _counters.BatchedLoops.Decrement();
        }
        return false;
    }

    /// <summary>One recvfrom and one sendto per query: for platforms without recvmmsg.</summary>
    private void PortableReceiveLoop()
    {
        var request = GC.AllocateUninitializedArray<byte>(DatagramBufferBytes, pinned: true);
        var response = GC.AllocateUninitializedArray<byte>(DnsLimits.OurUdpPayload, pinned: true);
        var client = new SocketAddress(_socket.AddressFamily);
        while (!_stopping)
        {
            int received;
            try
            {
                received = _socket.ReceiveFrom(request, SocketFlags.None, client);
            }
            catch (Exception e) when (_stopping && e is SocketException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                // E.g. ECONNREFUSED left by an ICMP error for an earlier reply: the socket is still good.
                LogReceiveFailed(e.SocketErrorCode);
                continue;
            }
            var result = _responder.Respond(request.AsSpan(0, received), response, overTcp: false);
            if (result.Outcome == DnsOutcome.Reply)
            {
                Send(response.AsSpan(0, result.Length), client);
            }
            else if (result.Outcome == DnsOutcome.Forward && _forwarder is not null)
            {
                Dispatch(request.AsSpan(0, received), client);
            }
        }
    }

    private void Send(ReadOnlySpan<byte> datagram, SocketAddress client)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, client);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            LogSendFailed(e.Message);
        }
    }

    private void Dispatch(ReadOnlySpan<byte> request, ReadOnlySpan<byte> sockaddr)
    {
        var client = new SocketAddress(_socket.AddressFamily, sockaddr.Length);
        sockaddr.CopyTo(client.Buffer.Span);
        Dispatch(request, client);
    }

    private void Dispatch(ReadOnlySpan<byte> request, SocketAddress client)
    {
        if (Interlocked.Increment(ref _forwardsInFlight) > MaxForwardsInFlight)
        {
            Interlocked.Decrement(ref _forwardsInFlight);
            LogForwardQueueFull(MaxForwardsInFlight);
            return;
        }
        var clientCopy = new SocketAddress(client.Family, client.Size);
        client.Buffer.CopyTo(clientCopy.Buffer);
        _ = ForwardAsync(request.ToArray(), clientCopy);
    }

    private async Task ForwardAsync(byte[] request, SocketAddress client)
    {
        try
        {
            var response = new byte[DnsLimits.MaxMessageLength];
            var length = await _forwarder!.ForwardAsync(request, response, overTcp: false, CancellationToken.None).ConfigureAwait(false);
            var result = length > 0
                ? new DnsResponse(DnsOutcome.Reply, length, 0)
                : _responder.RespondWithCode(request, response, overTcp: false, DnsResponseCode.ServerFailure);
            if (result.Outcome == DnsOutcome.Reply && !_stopping)
            {
                Send(response.AsSpan(0, result.Length), client);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _forwardsInFlight);
        }
    }

    /// <summary>Stops the loops: closing the socket wakes blocked receives (shutdown(2) wakes even unconnected UDP).</summary>
    public void Dispose()
    {
        _stopping = true;
        try
        {
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
            // ENOTCONN on an unconnected UDP socket, yet Linux still wakes the blocked readers.
        }
        // The batched loops hold a reference on the handle, so the descriptor stays valid until they return.
        foreach (var thread in _threads)
        {
            thread.Join(TimeSpan.FromSeconds(2));
        }
        _socket.Dispose();
    }
}
