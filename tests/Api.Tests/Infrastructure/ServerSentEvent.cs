using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;

namespace Rag.Api.Tests.Infrastructure;

/// <summary>One event of a <c>text/event-stream</c>, read by a minimal parser of the wire format.</summary>
internal sealed record ServerSentEvent(string Type, string Data)
{
    public JsonElement Json => JsonDocument.Parse(Data).RootElement.Clone();

    public static async IAsyncEnumerable<ServerSentEvent> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var reader = new StreamReader(stream, Encoding.UTF8);
        string type = "message";
        var data = new StringBuilder();
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Length == 0)
            {
                if (data.Length > 0)
                {
                    yield return new ServerSentEvent(type, data.ToString());
                }
                type = "message";
                data.Clear();
            }
            else if (line.StartsWith("event:", StringComparison.Ordinal))
            {
                type = line[6..].Trim();
            }
            else if (line.StartsWith("data:", StringComparison.Ordinal))
            {
                if (data.Length > 0)
                {
                    data.Append('\n');
                }
                data.Append(line[5..].TrimStart(' '));
            }
        }
    }
}
