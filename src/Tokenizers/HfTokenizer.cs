using Rag.Tokenizers.Decoders;
using Rag.Tokenizers.Models;
using Rag.Tokenizers.PostProcessors;

namespace Rag.Tokenizers;

/// <summary>
/// A Hugging Face tokenizer loaded from a model folder: encodes exactly as HF tokenizers does for the same files
/// (added tokens, normalizer, pre-tokenizer, model, post-processor) and decodes with the file's decoder chain.
/// Thread-safe: one instance serves every request.
/// </summary>
/// <remarks>
/// Special tokens written in text are parsed only when asked (<c>parseSpecialTokens</c>, on for a rendered prompt) and
/// then never inside text a <see cref="SpecialTokenFence"/> fenced; document and user text is encoded as plain text.
/// </remarks>
public sealed class HfTokenizer
{
    private static readonly string[] LlamaStyleClasses =
        ["LlamaTokenizer", "LlamaTokenizerFast", "CodeLlamaTokenizer", "CodeLlamaTokenizerFast", "GemmaTokenizer", "GemmaTokenizerFast"];

    private readonly TokenizerPipeline _pipeline;
    private readonly AddedTokenMatcher _matcher;
    private readonly AddedTokenMatcher _plainMatcher;
    private readonly IPostProcessor? _postProcessor;
    private readonly HashSet<int> _specialIds;
    private readonly TokenBytes? _tokenBytes;

    private HfTokenizer(TokenizerPipeline pipeline, TokenizerConfig config)
    {
        _pipeline = pipeline;
        // tokenizer.json's added tokens are the ones matched, so they are the ones a chat template must fence.
        Config = pipeline.AddedTokens.Count > 0 ? config.WithAddedTokens(pipeline.AddedTokens) : config;
        _matcher = new AddedTokenMatcher(pipeline.AddedTokens, fenced: true);
        _plainMatcher = new AddedTokenMatcher(pipeline.AddedTokens.Where(t => !t.Special), fenced: false);
        _specialIds = [.. pipeline.AddedTokens.Where(t => t.Special).Select(t => t.Id)];
        BosTokenId = TokenToId(config.BosToken);
        EosTokenId = TokenToId(config.EosToken);
        PadTokenId = TokenToId(config.PadToken);
        UnkTokenId = TokenToId(config.UnkToken);
        _postProcessor = ChoosePostProcessor(pipeline, config, BosTokenId, EosTokenId);
        if (pipeline.Decoder?.Compose(ByteWiseDecoding.Identity) is { } byteWise)
        {
            _tokenBytes = new TokenBytes(pipeline.Model.Vocabulary, byteWise);
        }
    }

    public TokenizerConfig Config { get; }

    /// <summary>Size of the id space (highest id + 1), added tokens included.</summary>
    public int VocabularySize => _pipeline.Model.Vocabulary.IdLimit;

    public int? BosTokenId { get; }

    public int? EosTokenId { get; }

    public int? PadTokenId { get; }

    public int? UnkTokenId { get; }

    /// <summary><c>model_max_length</c> from tokenizer_config.json, when it states a real one.</summary>
    public int? ModelMaxLength => Config.ModelMaxLength;

    public IReadOnlyList<AddedToken> AddedTokens => _pipeline.AddedTokens;

    /// <summary>Loads tokenizer_config.json (if present) and the tokenizer files of a model folder.</summary>
    public static HfTokenizer Load(string folder)
    {
        var config = TokenizerConfig.Load(folder);
        return new HfTokenizer(TokenizerFolder.Load(folder, config), config);
    }

    /// <summary>From the text of tokenizer.json (and optionally tokenizer_config.json).</summary>
    public static HfTokenizer FromJson(string tokenizerJson, string? tokenizerConfigJson = null) =>
        new(TokenizerJson.Parse(tokenizerJson), tokenizerConfigJson is null ? TokenizerConfig.Empty : TokenizerConfig.Parse(tokenizerConfigJson));

    public int? TokenToId(string? token) => _pipeline.Model.Vocabulary.Id(token);

    public string? IdToToken(int id) => _pipeline.Model.Vocabulary.Token(id);

    /// <summary>True for added tokens marked special (what <c>skipSpecialTokens</c> removes when decoding).</summary>
    public bool IsSpecial(int id) => _specialIds.Contains(id);

    /// <param name="parseSpecialTokens">
    /// True for a rendered prompt: special tokens written in it become their ids (outside fenced text). False for
    /// document and user text: "&lt;|im_start|&gt;" is encoded as the characters it is made of.
    /// </param>
    public int[] Encode(string text, bool addSpecialTokens = true, bool parseSpecialTokens = true) =>
        EncodeIds(text, addSpecialTokens, parseSpecialTokens: parseSpecialTokens).Ids;

    /// <summary>The ids alone (no offsets to allocate), cut like <see cref="EncodeWithOffsets"/> to <paramref name="maxTokens"/>.</summary>
    public (int[] Ids, bool Truncated) EncodeIds(string text, bool addSpecialTokens = true, int maxTokens = int.MaxValue, bool parseSpecialTokens = true)
    {
        var (tokens, truncated) = EncodeTruncated(text, addSpecialTokens, maxTokens, parseSpecialTokens);
        var ids = new int[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            ids[i] = tokens[i].Id;
        }
        return (ids, truncated);
    }

    /// <summary>
    /// Encodes with character offsets. With <paramref name="maxTokens"/>, the text's tokens are cut (from the end) so
    /// that the result including the post-processor's specials fits, as HF's truncation does.
    /// </summary>
    public TokenizedText EncodeWithOffsets(string text, bool addSpecialTokens = true, int maxTokens = int.MaxValue, bool parseSpecialTokens = true)
    {
        var (tokens, truncated) = EncodeTruncated(text, addSpecialTokens, maxTokens, parseSpecialTokens);
        var ids = new int[tokens.Count];
        var offsets = new (int, int)[tokens.Count];
        for (var i = 0; i < tokens.Count; i++)
        {
            ids[i] = tokens[i].Id;
            offsets[i] = (tokens[i].Start, tokens[i].End);
        }

        return new TokenizedText(ids, offsets, truncated);
    }

    /// <summary>Token count of <paramref name="text"/> as plain text, without special tokens (for chunking and prompt budgets).</summary>
    public int CountTokens(string text) => EncodeText(text, parseSpecialTokens: false).Count;

    public string Decode(ReadOnlySpan<int> ids, bool skipSpecialTokens = true)
    {
        var tokens = new List<string>(ids.Length);
        foreach (var id in ids)
        {
            if (skipSpecialTokens && _specialIds.Contains(id))
            {
                continue;
            }

            if (IdToToken(id) is { } token)
            {
                tokens.Add(token);
            }
        }

        if (_pipeline.Decoder is null)
        {
            return string.Join(' ', tokens);
        }

        _pipeline.Decoder.Decode(tokens);
        return string.Concat(tokens);
    }

    /// <summary>A detokenizer for one generation stream: feed ids one at a time, get text deltas.</summary>
    public StreamingDetokenizer CreateStreamingDetokenizer(bool skipSpecialTokens = true) =>
        _tokenBytes is not null
            ? new ByteStreamingDetokenizer(this, _tokenBytes, skipSpecialTokens)
            : new WindowStreamingDetokenizer(this, skipSpecialTokens);

    /// <summary>This tokenizer as a Microsoft.ML.Tokenizers <see cref="Microsoft.ML.Tokenizers.Tokenizer"/> (counts, offsets, index by token count).</summary>
    public Microsoft.ML.Tokenizers.Tokenizer AsTokenizer() => new HfTokenizerAdapter(this);

    /// <summary>The text's tokens cut from the end so that, with the post-processor's specials, at most maxTokens remain.</summary>
    private (List<TokenSpan> Tokens, bool Truncated) EncodeTruncated(string text, bool addSpecialTokens, int maxTokens, bool parseSpecialTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tokens = EncodeText(text, parseSpecialTokens);
        var special = addSpecialTokens && _postProcessor is not null ? _postProcessor.AddedTokenCount : 0;
        var room = Math.Max(0, maxTokens - special);
        var truncated = tokens.Count > room;
        if (truncated)
        {
            tokens.RemoveRange(room, tokens.Count - room);
        }

        return (addSpecialTokens && _postProcessor is not null ? _postProcessor.Process(tokens) : tokens, truncated);
    }

    internal List<TokenSpan> EncodeText(string text, bool parseSpecialTokens)
    {
        var tokens = new List<TokenSpan>(text.Length / 3 + 4);
        var pieces = new List<AlignedText>();
        foreach (var (start, end, added) in (parseSpecialTokens ? _matcher : _plainMatcher).Split(text))
        {
            if (added is not null)
            {
                tokens.Add(new TokenSpan(added.Id, start, end));
                continue;
            }

            var section = parseSpecialTokens ? WithoutFenceMarkers(text, start, end - start) : AlignedText.FromOriginal(text, start, end - start);
            if (section.Length == 0)
            {
                continue;
            }

            if (_pipeline.Normalizer is not null)
            {
                section = _pipeline.Normalizer.Normalize(section);
            }

            pieces.Clear();
            if (_pipeline.PreTokenizer is null)
            {
                pieces.Add(section);
            }
            else
            {
                _pipeline.PreTokenizer.Split(section, pieces);
            }

            foreach (var piece in pieces)
            {
                _pipeline.Model.Tokenize(piece, tokens);
            }
        }

        return tokens;
    }

    /// <summary>A prompt's section with the fence markers taken out; every other char keeps its original position.</summary>
    private static AlignedText WithoutFenceMarkers(string text, int start, int length)
    {
        if (text.IndexOf(SpecialTokenFence.Marker, start, length) < 0)
        {
            return AlignedText.FromOriginal(text, start, length);
        }

        var kept = new System.Text.StringBuilder(length);
        var origins = new List<int>(length + 1);
        for (var i = start; i < start + length; i++)
        {
            if (text[i] != SpecialTokenFence.Marker)
            {
                kept.Append(text[i]);
                origins.Add(i);
            }
        }

        origins.Add(start + length);
        return new AlignedText(kept.ToString(), [.. origins]);
    }

    /// <summary>
    /// Llama-family fast tokenizers rebuild their post-processor from add_bos_token/add_eos_token when constructed
    /// (transformers' update_post_processor), so for them, and whenever tokenizer.json has no post-processor, the config
    /// decides; otherwise tokenizer.json's post-processor does.
    /// </summary>
    private static IPostProcessor? ChoosePostProcessor(TokenizerPipeline pipeline, TokenizerConfig config, int? bos, int? eos)
    {
        var configSays = config.AddBosToken is not null || config.AddEosToken is not null;
        var llamaStyle = config.TokenizerClass is { } cls && LlamaStyleClasses.Contains(cls);
        if (configSays && (llamaStyle || pipeline.PostProcessor is null))
        {
            return TemplateProcessor.Around(config.AddBosToken == true ? bos : null, config.AddEosToken == true ? eos : null);
        }

        if (pipeline.PostProcessor is null && pipeline.Model is SentencePieceModel)
        {
            // A bare tokenizer.model follows SentencePiece/LlamaTokenizer's default: BOS, no EOS.
            return TemplateProcessor.Around(bos, null);
        }

        return pipeline.PostProcessor;
    }
}
