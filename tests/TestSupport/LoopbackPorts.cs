using System.Net;
using System.Net.Sockets;

namespace Rag.TestSupport;

/// <summary>Ports on 127.0.0.1 for servers a test starts itself (a dedicated PostgreSQL cluster, say).</summary>
public static class LoopbackPorts
{
    /// <summary>A port the system reports free right now: the listener that asked for it is closed before returning,
    /// so another process may still take it before the caller binds it.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
