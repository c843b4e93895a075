namespace Rag.Tokenizers;

/// <summary>Token strings and ids both ways; lookups by span so the encoder never allocates a substring.</summary>
internal sealed class Vocabulary
{
    private readonly Dictionary<string, int> _ids;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _spanIds;
    private string?[] _tokens;

    public Vocabulary(IEnumerable<KeyValuePair<string, int>> entries)
    {
        _ids = new Dictionary<string, int>(StringComparer.Ordinal);
        var max = -1;
        foreach (var (token, id) in entries)
        {
            _ids[token] = id;
            max = Math.Max(max, id);
        }

        _tokens = new string?[max + 1];
        foreach (var (token, id) in _ids)
        {
            _tokens[id] = token;
        }

        _spanIds = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _ids.Count;

    /// <summary>One past the highest id, the size of the id space.</summary>
    public int IdLimit => _tokens.Length;

    public int MaxTokenLength { get; private set; } = -1;

    public bool TryGetId(ReadOnlySpan<char> token, out int id) => _spanIds.TryGetValue(token, out id);

    public int? Id(string? token) => token is not null && _ids.TryGetValue(token, out var id) ? id : null;

    public string? Token(int id) => (uint)id < (uint)_tokens.Length ? _tokens[id] : null;

    public IEnumerable<KeyValuePair<string, int>> Entries => _ids;

    /// <summary>Adds a token that the model's own vocabulary lacks (an added token with a new id).</summary>
    public void Add(string token, int id)
    {
        _ids[token] = id;
        if (id >= _tokens.Length)
        {
            Array.Resize(ref _tokens, id + 1);
        }

        _tokens[id] = token;
    }

    public int LongestToken()
    {
        if (MaxTokenLength < 0)
        {
            MaxTokenLength = _ids.Keys.Select(k => k.Length).DefaultIfEmpty(1).Max();
        }

        return MaxTokenLength;
    }
}
