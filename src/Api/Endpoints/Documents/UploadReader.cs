using System.ComponentModel.DataAnnotations;
using System.Text;
using System.Text.Json;
using Rag.Api.Contracts.Rag;
using Rag.Api.Contracts.Text;
using Rag.Api.Errors;
using Rag.Retrieval.Ingestion;

namespace Rag.Api.Endpoints.Documents;

/// <summary>
/// Reads an upload — multipart files or a JSON text document — into ingestion requests, or says what is
/// wrong with it. Nothing is written here.
/// </summary>
internal static class UploadReader
{
    private const int MaxTagCount = 64;
    private const int MaxTagLength = 256;

    public static async Task<(List<IngestRequest>? Requests, IResult? Problem)> ReadAsync(
        HttpRequest request, string collection, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        if (request.HasFormContentType)
        {
            return await ReadFormAsync(request, collection, json, cancellationToken);
        }
        if (request.HasJsonContentType())
        {
            return await ReadJsonAsync(request, collection, json, cancellationToken);
        }
        return (null, Problems.UnsupportedMediaType(
            $"Content type '{request.ContentType}' is not accepted: send multipart/form-data with one or more files, " +
            "or application/json {\"name\": \"...\", \"text\": \"...\"}."));
    }

    private static async Task<(List<IngestRequest>?, IResult?)> ReadFormAsync(
        HttpRequest request, string collection, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var form = await request.ReadFormAsync(cancellationToken);
        if (form.Files.Count == 0)
        {
            return (null, Problems.BadRequest("The form holds no file: attach one or more files (any field name, e.g. 'files')."));
        }
        if (FormTextFlaw(form) is { } textFlaw)
        {
            return (null, Problems.BadRequest(textFlaw, "Invalid text"));
        }
        var tags = ReadTags(form["tags"].ToString(), json, out var tagError);
        if (tagError is not null)
        {
            return (null, Problems.BadRequest(tagError, "Invalid tags"));
        }
        var externalId = form["id"].ToString();
        if (externalId.Length > 0 && form.Files.Count > 1)
        {
            return (null, Problems.BadRequest("An 'id' can only be given with a single file."));
        }
        var requests = new List<IngestRequest>(form.Files.Count);
        foreach (var file in form.Files)
        {
            var name = Path.GetFileName(file.FileName);
            if (string.IsNullOrWhiteSpace(name))
            {
                return (null, Problems.BadRequest($"The file in form field '{file.Name}' has no file name; the name tells its type (.pdf, .docx, .md, ...)."));
            }
            var content = new byte[file.Length];
            await using (var stream = file.OpenReadStream())
            {
                await stream.ReadExactlyAsync(content, cancellationToken);
            }
            requests.Add(new IngestRequest(name, content) { Collection = collection, ExternalId = externalId.Length > 0 ? externalId : null, Tags = tags });
        }
        return (requests, null);
    }

    private static async Task<(List<IngestRequest>?, IResult?)> ReadJsonAsync(
        HttpRequest request, string collection, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var body = await request.ReadFromJsonAsync<DocumentTextRequest>(json, cancellationToken);
        if (body is null)
        {
            return (null, Problems.BadRequest("The body must be a JSON object {\"name\": \"...\", \"text\": \"...\"}."));
        }
        var results = new List<ValidationResult>();
        if (!Validator.TryValidateObject(body, new ValidationContext(body), results, validateAllProperties: true))
        {
            var errors = results
                .SelectMany(r => r.MemberNames.DefaultIfEmpty("").Select(m => (Member: JsonNamingPolicy.SnakeCaseLower.ConvertName(m), r.ErrorMessage ?? "is invalid")))
                .GroupBy(e => e.Member)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Item2).ToArray());
            return (null, TypedResults.ValidationProblem(errors, detail: "The document is missing fields or has invalid ones."));
        }
        if (ValidateTags(body.Tags) is { } tagError)
        {
            return (null, Problems.BadRequest(tagError, "Invalid tags"));
        }
        var content = Encoding.UTF8.GetBytes(body.Text!);
        return ([new IngestRequest(body.Name!, content) { Collection = collection, ExternalId = body.Id, Tags = body.Tags ?? new Dictionary<string, string>() }], null);
    }

    // Form field names and values and file names are read by the form reader, not by the JSON converters: checked here.
    private static string? FormTextFlaw(IFormCollection form)
    {
        foreach (var (key, values) in form)
        {
            if ((TextRules.Flaw(key) ?? FirstFlaw(values)) is { } flaw)
            {
                return TextRules.Describe($"Form field '{key}'", flaw);
            }
        }
        foreach (var file in form.Files)
        {
            if (TextRules.Flaw(file.Name) is { } nameFlaw)
            {
                return TextRules.Describe($"Form field name '{file.Name}'", nameFlaw);
            }
            if (TextRules.Flaw(file.FileName) is { } flaw)
            {
                return TextRules.Describe($"The file name in form field '{file.Name}'", flaw);
            }
        }
        return null;
    }

    private static string? FirstFlaw(Microsoft.Extensions.Primitives.StringValues values)
    {
        foreach (var value in values)
        {
            if (TextRules.Flaw(value) is { } flaw)
            {
                return flaw;
            }
        }
        return null;
    }

    private static Dictionary<string, string> ReadTags(string field, JsonSerializerOptions json, out string? error)
    {
        error = null;
        if (field.Length == 0)
        {
            return [];
        }
        Dictionary<string, string>? tags;
        try
        {
            tags = JsonSerializer.Deserialize<Dictionary<string, string>>(field, json);
        }
        catch (InvalidTextException invalid)
        {
            error = $"The 'tags' field is not accepted: {invalid.Message}";
            return [];
        }
        catch (JsonException)
        {
            tags = null;
        }
        if (tags is null)
        {
            error = "The 'tags' field must be a JSON object of strings, e.g. {\"lang\": \"en\"}.";
            return [];
        }
        error = ValidateTags(tags);
        return tags;
    }

    internal static string? ValidateTags(IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null)
        {
            return null;
        }
        if (tags.Count > MaxTagCount)
        {
            return $"A document can have at most {MaxTagCount} tags.";
        }
        foreach (var (key, value) in tags)
        {
            if (key.Length == 0 || key.Length > MaxTagLength || key.StartsWith('$'))
            {
                return $"Tag name '{key}' is not valid: use 1 to {MaxTagLength} characters, not starting with '$'.";
            }
            if (value is null || value.Length > MaxTagLength)
            {
                return $"Tag '{key}' needs a string value of at most {MaxTagLength} characters.";
            }
        }
        return null;
    }
}
