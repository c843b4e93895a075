using Npgsql;

namespace Rag.Retrieval.Storage;

/// <summary>
/// A stored document's extracted text, put back together from its chunks: each chunk is exactly the characters
/// [start, end) of that text, so overlapping chunks are stitched at their offsets rather than repeated.
/// </summary>
public sealed class DocumentText(NpgsqlDataSource dataSource)
{
    /// <summary>The document's text; empty for a document without chunks.</summary>
    public async Task<string> ReadAsync(CollectionInfo collection, Guid documentId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(collection);
        await using var command = dataSource.CreateCommand(
            "SELECT text, start_offset, end_offset FROM chunks WHERE document_id = @document AND collection_id = @collection ORDER BY ordinal");
        command.Parameters.AddWithValue("document", documentId);
        command.Parameters.AddWithValue("collection", collection.Id);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var text = new System.Text.StringBuilder();
        var covered = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var chunk = reader.GetString(0);
            var start = reader.GetInt32(1);
            var end = reader.GetInt32(2);
            if (end <= covered)
            {
                continue;
            }
            if (start >= covered)
            {
                // Text between sections that no chunk holds (blank lines, headings' markup) reads as a line break.
                if (covered > 0 && start > covered)
                {
                    text.Append('\n');
                }
                text.Append(chunk);
            }
            else
            {
                text.Append(chunk.AsSpan(covered - start));
            }
            covered = end;
        }
        return text.ToString();
    }
}
