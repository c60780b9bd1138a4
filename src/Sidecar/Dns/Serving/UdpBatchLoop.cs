using System.Net.Sockets;
using System.Runtime.InteropServices;
using Sidecar.Dns.Serving.Interop;
using Sidecar.Dns.Wire;

namespace Sidecar.Dns.Serving;

/// <summary>
/// The Linux receive loop: recvmmsg takes up to <see cref="BatchSize"/> queued queries in one call, the
/// responder answers each, and sendmmsg sends the replies in one call. Under load this divides the
/// system-call cost by the batch size; when idle it is one blocking call per query like recvfrom. All
/// buffers are allocated once per loop in native memory, so the steady state allocates nothing.
/// </summary>
internal sealed unsafe class UdpBatchLoop(Socket socket, DnsResponder responder, Func<bool> stopping, UdpBatchLoop.ForwardHandler? forward)
{
    public delegate void ForwardHandler(ReadOnlySpan<byte> request, ReadOnlySpan<byte> sockaddr);

    private const int BatchSize = 32;
    /// <summary>Queries above this are not DNS queries we answer; they are dropped (flagged MSG_TRUNC).</summary>
    private const int RequestBytes = 4096;
    /// <summary>sizeof(struct sockaddr_storage).</summary>
    private const int AddressBytes = 128;

    /// <summary>Runs until the socket is shut down; returns false if the system call is unavailable (the caller falls back).</summary>
    public bool Run()
    {
        var handle = socket.SafeHandle;
        var added = false;
        handle.DangerousAddRef(ref added);
        var memory = (byte*)NativeMemory.AllocZeroed((nuint)(BatchSize * (2 * sizeof(MMsgHdr) + 2 * sizeof(IoVec) + AddressBytes + RequestBytes + DnsLimits.OurUdpPayload)));
        try
        {
            var received = (MMsgHdr*)memory;
            var replies = received + BatchSize;
            var requestIov = (IoVec*)(replies + BatchSize);
            var replyIov = requestIov + BatchSize;
            var addresses = (byte*)(replyIov + BatchSize);
            var requests = addresses + BatchSize * AddressBytes;
            var responses = requests + BatchSize * RequestBytes;
            for (var i = 0; i < BatchSize; i++)
            {
                requestIov[i] = new IoVec { Base = requests + i * RequestBytes, Length = RequestBytes };
                received[i].Header.Iov = requestIov + i;
                received[i].Header.IovLength = 1;
                received[i].Header.Name = addresses + i * AddressBytes;
                replies[i].Header.Iov = replyIov + i;
                replies[i].Header.IovLength = 1;
            }
            return Loop((int)handle.DangerousGetHandle(), received, replies, replyIov, responses);
        }
        finally
        {
            NativeMemory.Free(memory);
            if (added)
            {
                handle.DangerousRelease();
            }
        }
    }

    private bool Loop(int fd, MMsgHdr* received, MMsgHdr* replies, IoVec* replyIov, byte* responses)
    {
        while (!stopping())
        {
            for (var i = 0; i < BatchSize; i++)
            {
                received[i].Header.NameLength = AddressBytes;
                received[i].Header.Flags = 0;
            }
            var count = LinuxDatagrams.ReceiveMany(fd, received, BatchSize, LinuxDatagrams.MsgWaitForOne, null);
            if (count < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                // EINTR and transient errors (e.g. ENOMEM) retry; a closed socket or a kernel without recvmmsg ends the loop.
                if (errno == LinuxDatagrams.EIntr || !stopping() && errno is not LinuxDatagrams.ENoSys and not LinuxDatagrams.EBadF)
                {
                    continue;
                }
                return errno != LinuxDatagrams.ENoSys;
            }
            var replyCount = 0;
            for (var i = 0; i < count; i++)
            {
                ref var message = ref received[i];
                if ((message.Header.Flags & LinuxDatagrams.MsgTrunc) != 0)
                {
                    continue;
                }
                var request = new ReadOnlySpan<byte>(message.Header.Iov->Base, (int)message.Length);
                var response = new Span<byte>(responses + replyCount * DnsLimits.OurUdpPayload, DnsLimits.OurUdpPayload);
                var result = responder.Respond(request, response, overTcp: false);
                if (result.Outcome == DnsOutcome.Reply)
                {
                    replyIov[replyCount] = new IoVec { Base = responses + replyCount * DnsLimits.OurUdpPayload, Length = (nuint)result.Length };
                    replies[replyCount].Header.Name = message.Header.Name;
                    replies[replyCount].Header.NameLength = message.Header.NameLength;
                    replyCount++;
                }
                else if (result.Outcome == DnsOutcome.Forward)
                {
                    forward?.Invoke(request, new ReadOnlySpan<byte>(message.Header.Name, (int)message.Header.NameLength));
                }
            }
            Send(fd, replies, replyCount);
        }
        return true;
    }

    /// <summary>Sends all replies; a reply the kernel refuses (e.g. ICMP-induced ECONNREFUSED) is skipped, not retried.</summary>
    private static void Send(int fd, MMsgHdr* replies, int count)
    {
        var sent = 0;
        while (sent < count)
        {
            var n = LinuxDatagrams.SendMany(fd, replies + sent, (uint)(count - sent), 0);
            sent += n > 0 ? n : Marshal.GetLastPInvokeError() == LinuxDatagrams.EIntr ? 0 : 1;
        }
    }
}
