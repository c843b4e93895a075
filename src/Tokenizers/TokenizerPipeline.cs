using Rag.Tokenizers.Decoders;
using Rag.Tokenizers.Models;
using Rag.Tokenizers.Normalizers;
using Rag.Tokenizers.PostProcessors;
using Rag.Tokenizers.PreTokenizers;

namespace Rag.Tokenizers;

/// <summary>The parts of a Hugging Face tokenizer, in the order they run.</summary>
internal sealed record TokenizerPipeline(
    IReadOnlyList<AddedToken> AddedTokens,
    INormalizer? Normalizer,
    IPreTokenizer? PreTokenizer,
    ITokenModel Model,
    IPostProcessor? PostProcessor,
    IDecoder? Decoder);
